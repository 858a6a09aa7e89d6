"""pydantic's complaints about the shape of API input, in the request's language.

pydantic writes its messages in English only ("Field required", "Input should be a valid
integer"). The API answers every other error in the language of Accept-Language, so the
common kinds are said again here in translatable words, keyed by pydantic's stable error
`type` and filled from its `ctx`; a kind not listed keeps pydantic's English.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext


def _fixed(text: Callable[[], str]) -> Callable[[Mapping[str, Any]], str]:
    return lambda ctx: text()


def _number(value: Any) -> Any:
    # Bounds declared on float fields come as 90.0; people write 90.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _bound(key: str, text: Callable[[], str]) -> Callable[[Mapping[str, Any]], str]:
    return lambda ctx: text() % {"limit": _number(ctx.get(key, ""))}


def _characters(key: str, least: bool) -> Callable[[Mapping[str, Any]], str]:
    def say(ctx: Mapping[str, Any]) -> str:
        limit = int(ctx.get(key, 0))
        if least:
            text = ngettext(
                "Use at least %(limit)d character.", "Use at least %(limit)d characters.", limit
            )
        else:
            text = ngettext(
                "Use at most %(limit)d character.", "Use at most %(limit)d characters.", limit
            )
        return text % {"limit": limit}

    return say


def _items(key: str, least: bool) -> Callable[[Mapping[str, Any]], str]:
    def say(ctx: Mapping[str, Any]) -> str:
        limit = int(ctx.get(key, 0))
        if least:
            text = ngettext(
                "Give at least %(limit)d item.", "Give at least %(limit)d items.", limit
            )
        else:
            text = ngettext("Give at most %(limit)d item.", "Give at most %(limit)d items.", limit)
        return text % {"limit": limit}

    return say


def _choices(ctx: Mapping[str, Any]) -> str:
    return _("Must be one of: %(choices)s.") % {"choices": ctx.get("expected", "")}


def _own(ctx: Mapping[str, Any]) -> str:
    # Our own validators raise ValueError with a message already in the request's language.
    return str(ctx.get("error", "")) or _("This value is not valid.")


_REQUIRED = _fixed(lambda: _("This field is required."))
_TEXT = _fixed(lambda: _("Must be text."))
_WHOLE = _fixed(lambda: _("Must be a whole number."))
_NUMBER = _fixed(lambda: _("Must be a number."))
_BOOLEAN = _fixed(lambda: _("Must be true or false."))
_LIST = _fixed(lambda: _("Must be a list."))
_OBJECT = _fixed(lambda: _("Must be an object with named fields."))
_DATE = _fixed(lambda: _("Must be a date, such as 2025-03-01."))
_DATETIME = _fixed(lambda: _("Must be a date and time, such as 2025-03-01T14:00:00Z."))
_TIME = _fixed(lambda: _("Must be a time of day, such as 09:00."))

_SAYINGS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "missing": _REQUIRED,
    "missing_argument": _REQUIRED,
    "string_type": _TEXT,
    "string_unicode": _TEXT,
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_from_float": _WHOLE,
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "finite_number": _NUMBER,
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "bool_type": _BOOLEAN,
    "bool_parsing": _BOOLEAN,
    "list_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "date_type": _DATE,
    "date_parsing": _DATE,
    "date_from_datetime_parsing": _DATE,
    "datetime_type": _DATETIME,
    "datetime_parsing": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    # A shift's start and end, a member's available hours.
    "time_type": _TIME,
    "time_parsing": _TIME,
    "greater_than_equal": _bound("ge", lambda: _("Must be at least %(limit)s.")),
    "greater_than": _bound("gt", lambda: _("Must be more than %(limit)s.")),
    "less_than_equal": _bound("le", lambda: _("Must be at most %(limit)s.")),
    "less_than": _bound("lt", lambda: _("Must be less than %(limit)s.")),
    "string_too_short": _characters("min_length", least=True),
    "string_too_long": _characters("max_length", least=False),
    "too_short": _items("min_length", least=True),
    "too_long": _items("max_length", least=False),
    "enum": _choices,
    "literal_error": _choices,
    "string_pattern_mismatch": _fixed(lambda: _("This is not in the expected form.")),
    "extra_forbidden": _fixed(lambda: _("This field is not expected here.")),
    "json_invalid": _fixed(lambda: _("The body is not valid JSON.")),
    "value_error": _own,
    "assertion_error": _own,
}


def explain(error: Mapping[str, Any]) -> str:
    """One pydantic error (a dict from `ValidationError.errors()`) as a sentence in the
    active language."""
    say = _SAYINGS.get(str(error.get("type", "")))
    if say is None:
        return str(error.get("msg", "")) or _("This value is not valid.")
    return say(error.get("ctx") or {})
