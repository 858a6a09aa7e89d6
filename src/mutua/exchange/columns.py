"""Which spreadsheet column holds which field, and reading the cells' values.

Headers are matched after lower-casing and dropping punctuation, against the names
people commonly give them ("Phone number", "Tel.", "Mobile" all mean phone). `--map
"Column=field"` overrides the guess. Cell values are read generously too: a category
may be its slug, its English name or a common word for it ("shopping").
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _

from mutua.aid.models import OfferKind
from mutua.core.categories import Category
from mutua.core.errors import InvalidInput

KINDS = ("asks", "offers", "members")


@dataclass(frozen=True)
class Field:
    name: str
    required: bool
    synonyms: tuple[str, ...]


FIELDS: dict[str, tuple[Field, ...]] = {
    "asks": (
        Field(
            "what",
            True,
            (
                "what",
                "need",
                "needs",
                "what is needed",
                "help needed",
                "request",
                "ask",
                "description",
                "details",
                "task",
            ),
        ),
        Field("category", True, ("category", "type", "kind of help", "help type", "service")),
        Field("urgency", False, ("urgency", "priority", "how soon", "urgent")),
        Field("language", False, ("language", "lang", "preferred language")),
        Field("lat", False, ("lat", "latitude")),
        Field("lon", False, ("lon", "lng", "long", "longitude")),
        Field("place", False, ("place", "coordinates", "location", "lat lon", "latlon", "point")),
        Field("address", False, ("address", "street address", "home address", "full address")),
        Field("name", False, ("name", "full name", "contact name", "contact", "requester")),
        Field(
            "phone",
            False,
            (
                "phone",
                "phone number",
                "telephone",
                "tel",
                "mobile",
                "mobile number",
                "contact number",
                "cell",
            ),
        ),
        Field("email", False, ("email", "e mail", "email address", "mail")),
        Field(
            "consent",
            True,
            ("consent", "consent given", "agreed", "permission", "gdpr consent", "data consent"),
        ),
    ),
    "offers": (
        Field("email", True, ("email", "e mail", "email address", "mail", "member email")),
        Field("kind", False, ("kind", "offer type", "type of offer", "offering")),
        Field("category", True, ("category", "type", "kind of help", "help type", "service")),
        Field(
            "what",
            True,
            (
                "what",
                "offer",
                "description",
                "details",
                "what i can offer",
                "can offer",
                "skills offered",
            ),
        ),
    ),
    "members": (
        Field("email", True, ("email", "e mail", "email address", "mail")),
        Field("name", False, ("name", "full name", "display name", "first name", "nickname")),
        Field("languages", False, ("languages", "language", "spoken languages", "langs")),
        Field("skills", False, ("skills", "can help with", "help with", "categories")),
    ),
}


def normalise(header: str) -> str:
    """ "  Phone-Number: " -> "phone number"."""
    text = unicodedata.normalize("NFKC", header).strip().lower()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


class MappingError(ValueError):
    """The columns cannot be matched to fields; the message says why, for a person."""


def parse_map(specs: list[str]) -> dict[str, str]:
    """["Tel=phone,Need=what", "Postcode=address"] -> {"Tel": "phone", ...}."""
    pairs: dict[str, str] = {}
    for spec in specs:
        for part in spec.split(","):
            if not part.strip():
                continue
            header, sep, target = part.rpartition("=")
            if not sep or not header.strip() or not target.strip():
                raise MappingError(
                    _("--map takes COLUMN=FIELD pairs separated by commas, not %(part)r.")
                    % {"part": part.strip()}
                )
            pairs[header.strip()] = target.strip().lower()
    return pairs


@dataclass(frozen=True)
class Mapping:
    # field name -> index of the column that holds it
    columns: dict[str, int]
    # headers that no field uses, to tell the person what was left out
    ignored: list[str]


def resolve(kind: str, headers: list[str], overrides: dict[str, str]) -> Mapping:
    """Match the file's headers to the fields of `kind`: overrides first, then guesses."""
    fields = {f.name: f for f in FIELDS[kind]}
    by_normal: dict[str, int] = {}
    for position, header in enumerate(headers):
        by_normal.setdefault(normalise(header), position)
    columns: dict[str, int] = {}
    for header, target in overrides.items():
        if target not in fields:
            raise MappingError(
                _("--map: %(target)s is not a field of %(kind)s (fields: %(known)s).")
                % {"target": target, "kind": kind, "known": ", ".join(fields)}
            )
        named = headers.index(header) if header in headers else by_normal.get(normalise(header))
        if named is None:
            raise MappingError(_("--map: the file has no column %(header)r.") % {"header": header})
        columns[target] = named
    taken = set(columns.values())
    for f in FIELDS[kind]:
        if f.name in columns:
            continue
        for synonym in f.synonyms:
            guess = by_normal.get(synonym)
            if guess is not None and guess not in taken:
                columns[f.name] = guess
                taken.add(guess)
                break
    missing = [f.name for f in FIELDS[kind] if f.required and f.name not in columns]
    if missing:
        raise MappingError(
            _(
                "No column for %(fields)s among the headers %(headers)s; name one with "
                "--map 'Your header=%(first)s'."
            )
            % {
                "fields": ", ".join(missing),
                "headers": ", ".join(repr(h) for h in headers),
                "first": missing[0],
            }
        )
    ignored = [h for i, h in enumerate(headers) if i not in taken and h]
    return Mapping(columns=columns, ignored=ignored)


def pick(mapping: Mapping, cells: list[str]) -> dict[str, str]:
    """The row's values by field name (stripped); a short row has blanks at its end."""
    return {
        name: (cells[index].strip() if index < len(cells) else "")
        for name, index in mapping.columns.items()
    }


# --- reading values ------------------------------------------------------------------------

_CATEGORY_WORDS = {
    "shopping": "groceries",
    "food": "groceries",
    "grocery": "groceries",
    "food shopping": "groceries",
    "prescription": "prescriptions",
    "medicine": "prescriptions",
    "medicines": "prescriptions",
    "medication": "prescriptions",
    "pharmacy": "prescriptions",
    "meal": "meals",
    "cooking": "meals",
    "lift": "transport",
    "lifts": "transport",
    "ride": "transport",
    "rides": "transport",
    "transportation": "transport",
    "pet": "pets",
    "dog walking": "pets",
    "check in": "check-in",
    "chat": "check-in",
    "phone call": "check-in",
    "befriending": "check-in",
    "repair": "repairs",
    "diy": "repairs",
    "cleanup": "clean-up",
    "clean up": "clean-up",
}
_URGENCY_WORDS = {
    "1": 1,
    "low": 1,
    "when someone can": 1,
    "2": 2,
    "normal": 2,
    "medium": 2,
    "": 2,
    "3": 3,
    "high": 3,
    "urgent": 3,
    "today": 3,
}
_YES = {"yes", "y", "true", "1", "x", "agreed", "agree", "given", "ok", "✓", "✔", "oui", "sí", "si"}
_KIND_WORDS = {
    "skills": "skill",
    "things": "thing",
    "item": "thing",
    "items": "thing",
    "stuff": "thing",
    "lend": "thing",
    "hours": "time",
    "volunteering": "time",
}


def category(value: str) -> str:
    word = normalise(value)
    if value.strip().lower() in Category.values:
        return value.strip().lower()
    with translation.override("en"):
        labels = {normalise(str(label)): slug for slug, label in Category.choices}
    found = labels.get(word) or _CATEGORY_WORDS.get(word) or _CATEGORY_WORDS.get(word + "s")
    if found is None and word.replace(" ", "-") in Category.values:
        found = word.replace(" ", "-")
    if found is None:
        raise InvalidInput(
            _("Unknown kind of help: %(c)s (use one of %(known)s).")
            % {"c": value, "known": ", ".join(Category.values)},
            field="category",
        )
    return found


def urgency(value: str) -> int:
    found = _URGENCY_WORDS.get(normalise(value))
    if found is None:
        raise InvalidInput(
            _("Urgency must be 1, 2 or 3 (or low, normal, urgent), not %(v)s.") % {"v": value},
            field="urgency",
        )
    return found


def offer_kind(value: str) -> str:
    word = normalise(value)
    if not word:
        return OfferKind.TIME
    found = word if word in OfferKind.values else _KIND_WORDS.get(word)
    if found is None:
        raise InvalidInput(
            _("Unknown kind of offer: %(k)s (use skill, thing or time).") % {"k": value},
            field="kind",
        )
    return found


def consent(value: str) -> bool:
    return value.strip().lower() in _YES


def number(value: str, *, field: str) -> float:
    text = value.strip()
    # "51,5450" from a spreadsheet where the comma is the decimal sign.
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        result = float(text)
    except ValueError:
        raise InvalidInput(
            _("%(f)s must be a number, not %(v)s.") % {"f": field, "v": value}, field=field
        ) from None
    if not math.isfinite(result):
        raise InvalidInput(
            _("%(f)s must be a number, not %(v)s.") % {"f": field, "v": value}, field=field
        )
    return result


_POINT = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*$")


def point(values: dict[str, str]) -> tuple[float, float] | None:
    """The row's place from lat and lon, or from "LAT,LON" in place; None if it has none."""
    lat, lon, place = values.get("lat", ""), values.get("lon", ""), values.get("place", "")
    if lat or lon:
        if not (lat and lon):
            raise InvalidInput(_("Give both lat and lon, or neither."), field="lat")
        return number(lat, field="lat"), number(lon, field="lon")
    if place:
        match = _POINT.match(place)
        if match is None:
            raise InvalidInput(
                _("place must be LAT,LON such as 51.545,-0.055, not %(v)s.") % {"v": place},
                field="place",
            )
        return float(match.group(1)), float(match.group(2))
    return None


def words(value: str, *, split_spaces: bool = True) -> list[str]:
    """ "en, bn; pt-BR" -> ["en", "bn", "pt-BR"]; without split_spaces "dog walking" stays."""
    pattern = r"[,;/|\s]+" if split_spaces else r"\s*[,;/|]+\s*"
    return [w.strip() for w in re.split(pattern, value) if w.strip()]
