"""Each ask records what was consented to, when, through which channel and, for phone
intake, who recorded it."""

from __future__ import annotations

from mutua.aid.models import Ask
from mutua.aid.services import CONSENT_TEXT, AskDraft, create_asks
from mutua.core.tests.factories import HACKNEY, make_ask


def test_an_ask_through_the_api_records_its_consent(client, ward):
    payload = {
        "what": "Milk and bread",
        "category": "groceries",
        "place": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
        "contact": {"phone": "+442079460123"},
        "consent": True,
    }

    response = client.post("/api/v1/asks", payload, content_type="application/json")

    ask = Ask.objects.get(pk=response.json()["id"])
    assert (ask.consent_channel, ask.consent_text, ask.recorded_by) == ("api", CONSENT_TEXT, None)
    assert ask.consent_at is not None


def test_phone_intake_and_imports_say_so(ward, helper):
    by_phone = make_ask(recorded_by=helper)
    [imported] = create_asks(
        drafts=[
            AskDraft(
                what="Lift",
                category="transport",
                lat=HACKNEY[0],
                lon=HACKNEY[1],
                consent=True,
                contact_phone="+442079460124",
            )
        ]
    )

    assert (by_phone.consent_channel, by_phone.recorded_by) == ("phone", helper)
    assert Ask.objects.get(pk=imported.pk).consent_channel == "import"
    assert make_ask().consent_channel == "web"
