"""Phone intake: a hotline volunteer enters an ask for a caller, with their consent."""

from __future__ import annotations

import pytest

from mutua.aid.models import Ask
from mutua.core import geo
from mutua.core.tests.factories import HACKNEY, UserFactory, hold_role, make_ask
from mutua.governance.services import found_group
from mutua.notify.models import DraftStatus, IntakeDraft
from mutua.notify.tests.conftest import text

pytestmark = pytest.mark.django_db

LEEDS = (53.7997, -1.5492)


@pytest.fixture
def volunteer(db):
    """A member holding the hotline role, which the group they founded gave them."""
    user = UserFactory.create(email="hotline@example.org")
    group = found_group(founder=user, name="Leeds Central", cells=geo.disk(*LEEDS, 1, resolution=8))
    hold_role(group, user, "hotline")
    return user


def _call(**overrides):
    data = {
        "phone": "07700 900123",
        "name": "Mrs Begum",
        "language": "bn",
        "what": "Prescription to collect from the chemist",
        "category": "prescriptions",
        "urgency": "3",
        "place": f"{HACKNEY[0]}, {HACKNEY[1]}",
        "address": "4 Mare Street",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_visitors_log_in_and_members_without_the_role_are_told_why(client, volunteer, outsider):
    assert client.get("/hotline/").status_code == 302
    # Another member of the volunteer's group, where the volunteer holds the role.
    from mutua.groups.models import Group
    from mutua.groups.services import join_group

    join_group(group=Group.objects.get(slug="leeds-central"), user=outsider)
    client.force_login(outsider)

    response = client.get("/hotline/")

    assert response.status_code == 403
    assert "hotline" in response.content.decode()


def test_while_nobody_holds_the_role_nobody_takes_calls_and_the_page_says_how(
    client, ward, helper, new_member
):
    """No fallback: a group without a hotline volunteer shows nobody the waiting texts
    with their senders' numbers, nor whose asks a number made."""
    make_ask(contact_phone="+44 7700 900123")
    for person in (helper, new_member):
        client.force_login(person)
        page = client.get("/hotline/")
        duplicates = client.get("/hotline/duplicates", {"phone": "+44 7700 900123"})

        assert page.status_code == 403
        html = page.content.decode()
        assert "Nobody holds the hotline role in Hackney Central" in html
        assert f"/groups/{ward.slug}/proposals/new/grant-role/" in html
        assert duplicates.status_code == 403
        assert "Shopping for the week" not in duplicates.content.decode()


def test_the_form_opens_on_the_callers_phone(client, volunteer):
    client.force_login(volunteer)

    page = client.get("/hotline/").content.decode()

    assert 'name="phone"' in page and "autofocus" in page


def test_an_ask_is_recorded_with_who_took_the_consent_and_when(client, ward, volunteer):
    client.force_login(volunteer)

    response = client.post("/hotline/", _call(), follow=True)

    ask = Ask.objects.get()
    assert f"Ask #{ask.pk} is recorded" in response.content.decode()
    assert ask.recorded_by == volunteer
    assert ask.asker is None
    assert ask.consent_at is not None
    assert ask.consent_channel == "phone"
    assert (ask.language, ask.urgency, ask.category) == ("bn", 3, "prescriptions")
    assert (ask.contact_phone, ask.contact_name, ask.group) == ("+447700900123", "Mrs Begum", ward)


def test_nothing_is_saved_without_the_callers_agreement(client, ward, volunteer):
    client.force_login(volunteer)

    response = client.post("/hotline/", _call(consent=""))

    assert response.status_code == 400
    assert "Ask the caller for their agreement" in response.content.decode()
    assert not Ask.objects.exists()


def test_a_place_that_cannot_be_found_is_a_form_error(client, ward, volunteer):
    client.force_login(volunteer)

    response = client.post("/hotline/", _call(place="Nowhereville-on-Sea", address=""))

    assert response.status_code == 400
    assert "could not find that place" in response.content.decode()
    assert not Ask.objects.exists()


def test_an_earlier_ask_from_the_same_number_is_shown_before_saving_another(
    client, ward, volunteer
):
    earlier = make_ask(what="Shopping last week", contact_phone="+44 7700 900123")
    client.force_login(volunteer)

    response = client.post("/hotline/", _call())

    assert response.status_code == 400
    page = response.content.decode()
    assert f"#{earlier.pk}" in page and "Shopping last week" in page
    assert "Tick the box if it is new" in page
    assert Ask.objects.count() == 1

    client.post("/hotline/", _call(not_duplicate="on"))
    assert Ask.objects.count() == 2


def test_the_duplicate_check_answers_as_the_number_is_typed(client, ward, volunteer):
    earlier = make_ask(what="Shopping last week", contact_phone="+44 7700 900123")
    client.force_login(volunteer)

    found = client.get("/hotline/duplicates", {"phone": "07700900123"}).content.decode()
    other = client.get("/hotline/duplicates", {"phone": "07700900999"}).content.decode()

    assert f"#{earlier.pk}" in found
    assert "#" not in other


def test_a_text_waiting_for_a_call_back_is_completed_into_an_ask(client, ward, volunteer):
    text("My dad needs a lift to the hospital on Friday", phone="+447700900555")
    draft = IntakeDraft.objects.get()
    client.force_login(volunteer)

    listed = client.get("/hotline/").content.decode()
    assert "My dad needs a lift" in listed
    form = client.get(f"/hotline/?draft={draft.pk}").content.decode()
    assert 'value="+447700900555"' in form
    client.post("/hotline/", _call(phone="+447700900555", draft=str(draft.pk)))

    draft.refresh_from_db()
    assert draft.status == DraftStatus.DONE
    assert draft.ask == Ask.objects.get()
    assert draft.handled_by == volunteer
    again = client.post("/hotline/", _call(phone="+447700900555", draft=str(draft.pk)))
    assert "already dealt with" in again.content.decode()
    assert Ask.objects.count() == 1


def test_a_text_can_be_set_aside(client, ward, volunteer):
    text("wrong number sorry about that", phone="+447700900555")
    draft = IntakeDraft.objects.get()
    client.force_login(volunteer)

    client.post(f"/hotline/texts/{draft.pk}/dismiss")

    draft.refresh_from_db()
    assert draft.status == DraftStatus.DISMISSED
    assert "wrong number" not in client.get("/hotline/").content.decode()
