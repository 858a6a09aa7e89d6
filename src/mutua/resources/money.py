"""Amounts of money: whole numbers of the currency's smallest unit (pence, cents), never
floats, read from and written as the decimal text people use."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput

# Currencies whose smallest unit is not a hundredth (ISO 4217); every other has 2 digits.
_DIGITS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "VND": 0, "BHD": 3, "KWD": 3, "TND": 3}
# Large enough for any group's pool, small enough that sums stay exact in a 64-bit column.
MAX_AMOUNT = 10**12


def digits(currency: str) -> int:
    return _DIGITS.get(currency.upper(), 2)


def format_amount(minor: int, currency: str) -> str:
    """12345 GBP -> "123.45 GBP"; negative amounts keep their sign."""
    places = digits(currency)
    sign = "-" if minor < 0 else ""
    whole, part = divmod(abs(minor), 10**places)
    text = f"{whole:,}" if not places else f"{whole:,}.{part:0{places}d}"
    return f"{sign}{text} {currency}"


def parse_amount(text: str, currency: str, *, field: str = "amount") -> int:
    """ "12.50" -> 1250 (for a 2-digit currency): positive, at most the currency's digits."""
    cleaned = text.strip().replace(",", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(
            _("Give the amount as a number, for example 12.50."), field=field
        ) from None
    minor = value.scaleb(digits(currency))
    if not value.is_finite() or minor != minor.to_integral_value():
        raise InvalidInput(
            _("Give the amount with at most %(n)d digits after the point.")
            % {"n": digits(currency)},
            field=field,
        )
    return check_amount(int(minor), field=field)


def check_amount(minor: int, *, field: str = "amount") -> int:
    if isinstance(minor, bool) or minor <= 0:
        raise InvalidInput(_("The amount must be more than nothing."), field=field)
    if minor > MAX_AMOUNT:
        raise InvalidInput(_("That amount is too large for the ledger."), field=field)
    return minor
