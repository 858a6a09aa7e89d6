"""The extra questions an incident asks of each case (water depth, roof damage, power...):
a short declared list of typed fields, and the checking of the answers.

Answers are numbers, yes/no or one of a few choices, never free text, so a case's answers
can never carry a name, a number or an address.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mutua.core.errors import InvalidInput
from mutua.core.text import clean_text
from mutua.incidents.models import IncidentType

NUMBER, YES_NO, CHOICE = "number", "yesno", "choice"
TYPES = (NUMBER, YES_NO, CHOICE)
MAX_FIELDS = 12
_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
_CHOICE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")
# Numbers people give for a house: water depth in centimetres, days without power...
_NUMBER_RANGE = (0, 100_000)

Field = dict[str, Any]

# What each type of incident asks when its opener declares nothing else (labels are
# translated where they are shown; labels an opener declares are in their own words).
PRESETS: dict[str, list[Field]] = {
    IncidentType.FLOOD: [
        {"key": "water_depth_cm", "label": gettext_noop("Water depth (cm)"), "type": NUMBER},
        {"key": "power", "label": gettext_noop("Power on"), "type": YES_NO},
    ],
    IncidentType.STORM: [
        {
            "key": "roof_damage",
            "label": gettext_noop("Roof damage"),
            "type": CHOICE,
            "choices": ["none", "minor", "major"],
        },
        {"key": "power", "label": gettext_noop("Power on"), "type": YES_NO},
    ],
    IncidentType.FIRE: [
        {"key": "smoke_damage", "label": gettext_noop("Smoke damage"), "type": YES_NO},
        {"key": "power", "label": gettext_noop("Power on"), "type": YES_NO},
    ],
    IncidentType.HEAT: [
        {"key": "cooling", "label": gettext_noop("Has a cool room"), "type": YES_NO},
        {"key": "power", "label": gettext_noop("Power on"), "type": YES_NO},
    ],
    IncidentType.OUTBREAK: [
        {"key": "isolating", "label": gettext_noop("Isolating"), "type": YES_NO},
        {"key": "people", "label": gettext_noop("People in the home"), "type": NUMBER},
    ],
}


def clean_fields(kind: str, fields: list[Any] | None) -> list[Field]:
    """The declared fields checked and in their stored shape; the type's preset when
    none are given. InvalidInput (field "intake_fields") saying what is wrong."""
    if not fields:
        return [dict(f) for f in PRESETS.get(kind, [])]
    if not isinstance(fields, list) or len(fields) > MAX_FIELDS:
        raise InvalidInput(
            _("Declare at most %(max)d intake fields.") % {"max": MAX_FIELDS},
            field="intake_fields",
        )
    cleaned: list[Field] = []
    for raw in fields:
        field = _clean_field(raw)
        if any(f["key"] == field["key"] for f in cleaned):
            raise InvalidInput(
                _("The intake field %(key)s is declared twice.") % {"key": field["key"]},
                field="intake_fields",
            )
        cleaned.append(field)
    return cleaned


def _clean_field(raw: Any) -> Field:
    problem = _(
        "Each intake field needs a key (lower-case letters, digits, _), a label, and a type: "
        "number, yesno, or choice with a list of choices."
    )
    if not isinstance(raw, dict):
        raise InvalidInput(problem, field="intake_fields")
    key, label, kind = raw.get("key"), raw.get("label"), raw.get("type")
    if not isinstance(key, str) or not _KEY.fullmatch(key) or kind not in TYPES:
        raise InvalidInput(problem, field="intake_fields")
    if not isinstance(label, str):
        raise InvalidInput(problem, field="intake_fields")
    label = clean_text(
        label, field="intake_fields", label=_("an intake field's label"), limit=80, required=True
    )
    field: Field = {"key": key, "label": label, "type": kind}
    if kind == CHOICE:
        choices = raw.get("choices")
        if (
            not isinstance(choices, list)
            or not 2 <= len(choices) <= 10
            or not all(isinstance(c, str) and _CHOICE.fullmatch(c) for c in choices)
        ):
            raise InvalidInput(problem, field="intake_fields")
        field["choices"] = list(dict.fromkeys(choices))
    return field


def clean_answers(fields: list[Field], answers: dict[str, Any]) -> dict[str, Any]:
    """The answers to the incident's fields, typed; unknown keys are refused, blank ones
    left out."""
    by_key = {f["key"]: f for f in fields}
    unknown = sorted(set(answers) - set(by_key))
    if unknown:
        raise InvalidInput(
            _("This incident asks no question called %(key)s.") % {"key": unknown[0]},
            field="intake",
        )
    cleaned: dict[str, Any] = {}
    for key, value in answers.items():
        if value is None or value == "":
            continue
        cleaned[key] = _answer(by_key[key], value)
    return cleaned


def _answer(field: Field, value: Any) -> Any:
    label = field["label"]
    if field["type"] == NUMBER:
        try:
            number = float(value) if not isinstance(value, bool) else None
        except (TypeError, ValueError):
            number = None
        if number is None or not _NUMBER_RANGE[0] <= number <= _NUMBER_RANGE[1]:
            raise InvalidInput(
                _("%(label)s must be a number from %(min)d to %(max)d.")
                % {"label": label, "min": _NUMBER_RANGE[0], "max": _NUMBER_RANGE[1]},
                field="intake",
            )
        return int(number) if number.is_integer() else round(number, 2)
    if field["type"] == YES_NO:
        if isinstance(value, bool):
            return value
        if str(value).lower() in {"yes", "true", "1", "on"}:
            return True
        if str(value).lower() in {"no", "false", "0", "off"}:
            return False
        raise InvalidInput(_("%(label)s must be yes or no.") % {"label": label}, field="intake")
    if value not in field["choices"]:
        raise InvalidInput(
            _("%(label)s must be one of: %(values)s.")
            % {"label": label, "values": ", ".join(field["choices"])},
            field="intake",
        )
    return value
