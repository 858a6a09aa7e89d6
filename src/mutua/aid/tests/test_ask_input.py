"""What create_ask accepts, and what it refuses with the field named and nothing saved."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.utils import timezone

from mutua.aid import services
from mutua.aid.models import Ask, AskEvent, AskStatus
from mutua.core.errors import InvalidInput
from mutua.core.tests.factories import HACKNEY, make_ask

pytestmark = pytest.mark.django_db

NO_CONTACT: dict[str, Any] = {"address": "", "contact_phone": "", "contact_email": ""}
# Well-formed (validate_email accepts up to 320 characters) but wider than the column.
LONG_EMAIL = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"

BAD_INPUT: list[tuple[str, dict[str, Any], str]] = [
    ("empty what", {"what": ""}, "what"),
    ("blank what", {"what": "  \n\t "}, "what"),
    ("oversized what", {"what": "x" * 2001}, "what"),
    ("NUL in what", {"what": "bread\x00milk"}, "what"),
    ("unknown category", {"category": "gardening"}, "category"),
    ("empty category", {"category": ""}, "category"),
    ("category label, not slug", {"category": "Groceries"}, "category"),
    ("urgency 0", {"urgency": 0}, "urgency"),
    ("urgency 4", {"urgency": 4}, "urgency"),
    ("urgency as a yes/no", {"urgency": True}, "urgency"),
    ("language word", {"language": "english"}, "language"),
    ("language one letter", {"language": "e"}, "language"),
    ("language underscore", {"language": "en_GB"}, "language"),
    ("language trailing newline", {"language": "en\nx"}, "language"),
    ("latitude 91", {"lat": 91.0}, "place"),
    ("latitude -91", {"lat": -91.0}, "place"),
    ("longitude 181", {"lon": 181.0}, "place"),
    ("longitude -181", {"lon": -181.0}, "place"),
    ("latitude NaN", {"lat": math.nan}, "place"),
    ("longitude NaN", {"lon": math.nan}, "place"),
    ("latitude inf", {"lat": math.inf}, "place"),
    ("longitude -inf", {"lon": -math.inf}, "place"),
    ("no way of contact", NO_CONTACT, "contact"),
    ("only a name", {**NO_CONTACT, "contact_name": "Ada"}, "contact"),
    ("blank contact", {"address": " ", "contact_phone": " ", "contact_email": " "}, "contact"),
    ("bad email", {"contact_email": "ada-at-example.org"}, "contact_email"),
    ("email without domain", {"contact_email": "ada@"}, "contact_email"),
    ("email too long to store", {"contact_email": LONG_EMAIL}, "contact_email"),
    ("phone in words", {"contact_phone": "call me maybe"}, "contact_phone"),
    ("phone too short", {"contact_phone": "123"}, "contact_phone"),
    ("phone of punctuation", {"contact_phone": "(-.-) ..."}, "contact_phone"),
    ("phone too long to store", {"contact_phone": "+" + "1" * 40}, "contact_phone"),
    ("oversized address", {"address": "x" * 301}, "address"),
    ("NUL in address", {"address": "12 Road\x00"}, "address"),
    ("oversized name", {"contact_name": "x" * 121}, "contact_name"),
    ("consent False", {"consent": False}, "consent"),
    ("consent truthy but not True", {"consent": "yes"}, "consent"),
]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [pytest.param(o, f, id=name) for name, o, f in BAD_INPUT],
)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(overrides, field):
    asks_before, events_before = Ask.objects.count(), AskEvent.objects.count()

    with pytest.raises(InvalidInput) as refused:
        make_ask(**overrides)

    assert refused.value.field == field
    assert refused.value.message
    assert refused.value.status == 400
    assert (Ask.objects.count(), AskEvent.objects.count()) == (asks_before, events_before)


def test_a_good_ask_is_saved_cleaned_with_the_consent_recorded():
    before = timezone.now()
    ask = make_ask(
        what="  Prescription from the chemist on Mare Street \n",
        language=" ",
        contact_email=" ada@example.org ",
        contact_phone=" +44 (0)20 7946-0000 ",
    )

    ask = Ask.objects.get(pk=ask.pk)
    assert ask.what == "Prescription from the chemist on Mare Street"
    assert ask.language == "en"
    assert ask.contact_email == "ada@example.org"
    assert ask.contact_phone == "+442079460000"
    assert ask.status == AskStatus.OPEN
    assert before <= ask.consent_at <= timezone.now()
    assert ask.consent_text == services.CONSENT_TEXT
    assert (ask.lat, ask.lon) == HACKNEY


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"what": "x" * 2000}, id="what at the limit"),
        pytest.param({"address": "x" * 300, "contact_name": "y" * 120}, id="texts at limits"),
        pytest.param({"language": "pt-BR"}, id="language with region"),
        pytest.param({"language": "ckb"}, id="three-letter language"),
        pytest.param({"urgency": 1}, id="low urgency"),
        pytest.param({"urgency": 3}, id="urgent"),
        pytest.param({**NO_CONTACT, "contact_phone": "07700 900123"}, id="phone only"),
        pytest.param({**NO_CONTACT, "contact_email": "ada@example.org"}, id="email only"),
        pytest.param({**NO_CONTACT, "address": "Flat 3, 12 Road"}, id="address only"),
        pytest.param({"lat": 90.0, "lon": 180.0}, id="north pole, date line"),
        pytest.param({"lat": -90.0, "lon": -180.0}, id="south pole, date line"),
    ],
)
def test_edges_of_good_input_are_accepted(overrides):
    ask = make_ask(**overrides)
    assert Ask.objects.filter(pk=ask.pk, status=AskStatus.OPEN).exists()


def test_an_account_is_enough_to_reach_the_asker(asker):
    ask = make_ask(asker=asker, **NO_CONTACT)
    assert ask.asker == asker
    assert ask.events.get().actor == asker


def test_a_hotline_volunteer_records_an_ask_for_a_caller(dispatcher):
    ask = make_ask(recorded_by=dispatcher)
    assert ask.asker is None
    assert ask.recorded_by == dispatcher
    assert ask.events.get().actor == dispatcher
