"""One ask's page: who sees the private details, and the claim / release / done / cancel buttons."""

from __future__ import annotations

import pytest

from mutua.aid.models import Ask, AskStatus, Claim, ClaimOutcome
from mutua.aid.selectors import asker_key
from mutua.aid.services import claim_ask
from mutua.core.tests.factories import make_ask
from mutua.privacy.models import AccessLog

pytestmark = pytest.mark.django_db

PHONE = "+442079460000"
ADDRESS = "12 Example Road, London E8"


@pytest.fixture
def ask(ward) -> Ask:
    return make_ask(address=ADDRESS, contact_phone=PHONE, contact_name="Ada")


def page(client, ask) -> str:
    response = client.get(f"/asks/{ask.pk}/")
    assert response.status_code == 200
    html: str = response.content.decode()
    return html


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_public_page_shows_the_ask_but_not_the_private_details(client, ask):
    html = page(client, ask)

    assert "Shopping for the week" in html
    assert "Hackney Central" in html
    assert PHONE not in html and ADDRESS not in html and "Ada" not in html
    assert str(ask.lat) not in html
    assert "Log in to help" in html
    assert AccessLog.objects.count() == 0


def test_helper_claims_then_sees_contact_and_each_view_is_logged(client, helper, ask):
    client.force_login(helper)
    before = page(client, ask)
    assert PHONE not in before

    response = client.post(f"/asks/{ask.pk}/claim/", follow=True)
    html = response.content.decode()

    ask.refresh_from_db()
    assert ask.status == AskStatus.CLAIMED
    assert Claim.objects.get(ask=ask).helper == helper
    assert "It is yours" in html
    assert PHONE in html and ADDRESS in html and "Ada" in html
    log = AccessLog.objects.get()
    assert (log.viewer, log.reason, log.channel) == (helper, AccessLog.Reason.HELPER, "web")

    page(client, ask)
    assert AccessLog.objects.count() == 2


def test_outsider_never_sees_the_contact_before_or_after_a_claim(client, helper, outsider, ask):
    client.force_login(outsider)
    assert PHONE not in page(client, ask)

    client.force_login(helper)
    client.post(f"/asks/{ask.pk}/claim/")
    client.force_login(outsider)
    html = page(client, ask)

    assert PHONE not in html and ADDRESS not in html
    assert "Someone is already on it" in html
    assert not AccessLog.objects.filter(viewer=outsider).exists()


def test_second_helper_is_told_clearly_that_someone_else_has_it(client, helper, other_helper, ask):
    client.force_login(helper)
    client.post(f"/asks/{ask.pk}/claim/")
    client.force_login(other_helper)

    response = client.post(f"/asks/{ask.pk}/claim/", follow=True)

    assert "Someone else has already taken this ask." in messages_of(response)
    assert "Someone else has already taken this ask." in response.content.decode()
    assert PHONE not in response.content.decode()
    assert Claim.objects.filter(ask=ask).count() == 1


def test_claiming_needs_an_account(client, ask):
    response = client.post(f"/asks/{ask.pk}/claim/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert f"/asks/{ask.pk}/" in response["Location"]
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN


def test_buttons_are_post_only(client, helper, ask):
    client.force_login(helper)
    assert client.get(f"/asks/{ask.pk}/claim/").status_code == 405
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN


def test_helper_releases_the_ask_back_to_the_board(client, helper, ask):
    client.force_login(helper)
    client.post(f"/asks/{ask.pk}/claim/")

    response = client.post(f"/asks/{ask.pk}/release/", follow=True)

    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN
    assert Claim.objects.get(ask=ask).outcome == ClaimOutcome.RELEASED
    assert PHONE not in response.content.decode()
    assert "open on the board again" in response.content.decode()


def test_only_the_claiming_helper_may_release(client, helper, other_helper, ask):
    client.force_login(helper)
    client.post(f"/asks/{ask.pk}/claim/")
    client.force_login(other_helper)

    response = client.post(f"/asks/{ask.pk}/release/", follow=True)

    assert "Only the person who took this ask can release it." in messages_of(response)
    ask.refresh_from_db()
    assert ask.status == AskStatus.CLAIMED


def test_helper_marks_done_and_done_twice_is_refused_clearly(client, helper, ask):
    client.force_login(helper)
    client.post(f"/asks/{ask.pk}/claim/")

    client.post(f"/asks/{ask.pk}/done/")
    ask.refresh_from_db()
    assert ask.status == AskStatus.DONE
    assert Claim.objects.get(ask=ask).outcome == ClaimOutcome.DONE

    again = client.post(f"/asks/{ask.pk}/claim/", follow=True)
    assert "This ask is already done." in messages_of(again)


def test_anonymous_asker_with_the_key_sees_contact_and_can_cancel(client, ask):
    key = asker_key(ask)

    html = client.get(f"/asks/{ask.pk}/", {"key": key}).content.decode()
    assert PHONE in html and ADDRESS in html
    assert "Cancel my ask" in html
    log = AccessLog.objects.get()
    assert (log.viewer, log.reason) == (None, AccessLog.Reason.ASKER)

    # The key is remembered by this browser, so the page works without it afterwards.
    assert PHONE in page(client, ask)
    response = client.post(f"/asks/{ask.pk}/cancel/", follow=True)

    ask.refresh_from_db()
    assert ask.status == AskStatus.CANCELLED
    assert "Your ask is cancelled." in messages_of(response)


def test_a_wrong_key_reveals_nothing_and_cannot_cancel(client, ask):
    html = client.get(f"/asks/{ask.pk}/", {"key": "0" * 32}).content.decode()
    assert PHONE not in html

    response = client.post(f"/asks/{ask.pk}/cancel/", {"key": "0" * 32}, follow=True)

    assert "Only the person who asked can cancel this ask." in messages_of(response)
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN


def test_a_stale_link_does_not_hide_the_ask_from_the_browser_that_asked(client, ask):
    client.get(f"/asks/{ask.pk}/", {"key": asker_key(ask)})

    html = client.get(f"/asks/{ask.pk}/", {"key": "stale"}).content.decode()

    assert PHONE in html


def test_asker_can_mark_a_claimed_ask_done(client, helper, ask):
    client.force_login(helper)
    client.post(f"/asks/{ask.pk}/claim/")
    client.logout()

    client.post(f"/asks/{ask.pk}/done/", {"key": asker_key(ask)})

    ask.refresh_from_db()
    assert ask.status == AskStatus.DONE


def test_asker_sees_who_is_helping(client, helper, ask):
    client.force_login(helper)
    client.post(f"/asks/{ask.pk}/claim/")
    client.logout()

    html = client.get(f"/asks/{ask.pk}/", {"key": asker_key(ask)}).content.decode()

    assert "Who is helping" in html
    assert helper.display_name in html


def test_unknown_ask_is_404(client, ward):
    assert client.get("/asks/999999/").status_code == 404
    assert client.post("/asks/999999/cancel/").status_code == 404


def test_the_helper_s_view_of_an_ask_costs_a_fixed_number_of_queries(
    client, ask, helper, django_assert_max_num_queries
):
    claim_ask(ask=ask, helper=helper)
    client.force_login(helper)

    # session, user, the ask, who holds it, the access log row, noting that the helper
    # saw the details (a release from now on counts), the claim with its helper, the
    # groups it was passed between.
    with django_assert_max_num_queries(8):
        response = client.get(f"/asks/{ask.pk}/")

    assert response.context["show_private"]
