"""Every SMS command, well formed and not, texted to the webhook as Twilio delivers it."""

from __future__ import annotations

import pytest

from mutua.aid.models import Ask, AskStatus
from mutua.aid.services import claim_ask
from mutua.core.phones import lookup_hash
from mutua.core.tests.factories import make_ask
from mutua.matching.models import Suggestion, SuggestionStatus
from mutua.matching.services import run_dispatch
from mutua.matching.tests.db_people import NEAR, ready_to_help
from mutua.notify import sms
from mutua.notify.models import DraftStatus, IntakeDraft, Preference, SmsSender
from mutua.notify.tests.conftest import link_phone, text
from mutua.privacy.models import AccessLog

pytestmark = pytest.mark.django_db

CALLER = "+447700900111"
HELPER_PHONE = "+447700900222"


@pytest.fixture
def linked_helper(ward, helper):
    ready_to_help(helper, home=NEAR)
    link_phone(helper, HELPER_PHONE)
    return helper


@pytest.fixture
def open_ask(ward, asker):
    return make_ask(what="Bread and milk, please", asker=asker, contact_phone="+442079460123")


# The parser alone.


@pytest.mark.parametrize(
    ("body", "command", "ref", "problem"),
    [
        ("HELP shopping in Hackney", sms.ASK, None, ""),
        ("help", sms.INFO, None, ""),
        ("INFO", sms.INFO, None, ""),
        ("", sms.INFO, None, ""),
        ("   ", sms.INFO, None, ""),
        ("STOP", sms.STOP, None, ""),
        ("stop.", sms.STOP, None, ""),
        ("Unsubscribe", sms.STOP, None, ""),
        ("CANCEL", sms.STOP, None, ""),
        ("START", sms.START, None, ""),
        ("unstop", sms.START, None, ""),
        ("YES", sms.START, None, ""),
        ("YES 12", sms.YES, 12, ""),
        ("yes #12", sms.YES, 12, ""),
        ("Sí 12", sms.YES, 12, ""),
        ("YES twelve", sms.YES, None, "ref"),
        ("YES 12 13", sms.YES, None, "ref"),
        ("NO 7", sms.NO, 7, ""),
        ("NO", sms.NO, None, "ref"),
        ("No food in the house since Monday", sms.TEXT, None, ""),
        ("DONE 3", sms.DONE, 3, ""),
        ("DONE", sms.DONE, None, "ref"),
        ("RELEASE 4", sms.RELEASE, 4, ""),
        ("release me", sms.RELEASE, None, "ref"),
        ("LIST", sms.LIST, None, ""),
        ("LINK 12345678", sms.LINK, None, ""),
        ("LINK abc", sms.LINK, None, "code"),
        ("hello", sms.UNKNOWN, None, ""),
        ("#C5 yes", sms.CALLOUT, 5, ""),
        ("#c 5: can't", sms.CALLOUT, 5, ""),
        ("#C5 Sí", sms.CALLOUT, 5, ""),
        ("#C5 maybe", sms.CALLOUT, 5, "answer"),
        ("what is this", sms.TEXT, None, ""),
    ],
)
def test_parser_reads_each_command(body, command, ref, problem):
    parsed = sms.parse(body)

    assert (parsed.command, parsed.ref, parsed.problem) == (command, ref, problem)


def test_parser_tells_the_language_of_a_translated_keyword():
    assert sms.parse("AYUDA comida en Hackney").language == "es"
    assert sms.parse("OUI 5").language == "fr"
    assert sms.parse("HELP food in Hackney").language == ""


def test_category_is_guessed_from_the_words():
    assert sms.guess_category("need my prescription picked up") == "prescriptions"
    assert sms.guess_category("Shopping: bread, milk") == "groceries"
    assert sms.guess_category("something else entirely") == "other"


# HELP, free text and the hotline.


def test_help_with_a_known_place_makes_an_ask_on_the_board(client, ward):
    reply = text("HELP shopping for bread and milk in Hackney Central", phone=CALLER)

    ask = Ask.objects.get()
    assert f"#{ask.pk}" in reply
    assert "Hackney Central" in reply
    assert ask.what == "shopping for bread and milk"
    assert ask.category == "groceries"
    assert ask.contact_phone == CALLER
    assert ask.group == ward
    assert ask.consent_at is not None
    assert ask.consent_channel == "sms"
    board = client.get("/board/").content.decode()
    assert "shopping for bread and milk" in board
    assert CALLER not in board


def test_help_in_another_language_keeps_the_language(ward):
    text("AYUDA compra de comida en Hackney Central", phone=CALLER)

    assert Ask.objects.get().language == "es"
    assert SmsSender.objects.get(phone_hash=lookup_hash(CALLER)).language == "es"


def test_help_without_a_place_we_know_goes_to_the_hotline(ward):
    reply = text("HELP I need food for my kids", phone=CALLER)

    assert "call you back" in reply
    assert not Ask.objects.exists()
    draft = IntakeDraft.objects.get()
    assert (draft.phone, draft.text, draft.status) == (CALLER, "I need food for my kids", "open")


def test_free_text_becomes_one_draft_per_number(ward):
    text("My mum needs her prescription picked up", phone=CALLER)
    reply = text("She lives near the station", phone=CALLER)

    assert "volunteer will call you back" in reply
    draft = IntakeDraft.objects.get(status=DraftStatus.OPEN)
    assert draft.text == "My mum needs her prescription picked up\nShe lives near the station"


def test_a_word_that_is_no_command_gets_a_hint_not_a_draft(ward):
    reply = text("hello", phone=CALLER)

    assert "did not understand" in reply
    assert "HELP" in reply
    assert not IntakeDraft.objects.exists()


@pytest.mark.parametrize("body", ["HELP", "help", "INFO", ""])
def test_bare_help_explains_the_commands(ward, body):
    reply = text(body, phone=CALLER)

    assert "HELP shopping in Hackney" in reply
    assert "YES 12" in reply
    assert not Ask.objects.exists()


# STOP and START.


def test_stop_and_start_follow_carrier_conventions(ward):
    assert "no more texts" in text("STOP", phone=CALLER)
    assert SmsSender.objects.get(phone_hash=lookup_hash(CALLER)).opted_out_at is not None

    assert "again" in text("START", phone=CALLER)
    assert SmsSender.objects.get(phone_hash=lookup_hash(CALLER)).opted_out_at is None

    text("unsubscribe", phone=CALLER)
    text("YES", phone=CALLER)  # a bare YES opts back in, as carriers read it
    assert SmsSender.objects.get(phone_hash=lookup_hash(CALLER)).opted_out_at is None


# Members: YES, NO, DONE, RELEASE, LIST, LINK.


def test_yes_claims_an_open_ask_and_texts_back_the_contact(linked_helper, open_ask):
    reply = text(f"YES {open_ask.pk}", phone=HELPER_PHONE)

    open_ask.refresh_from_db()
    assert open_ask.status == AskStatus.CLAIMED
    assert open_ask.claims.get().helper == linked_helper
    assert "+442079460123" in reply
    assert "12 Example Road" in reply
    assert f"DONE {open_ask.pk}" in reply
    log = AccessLog.objects.get(ask=open_ask)
    assert (log.viewer, log.channel) == (linked_helper, "sms")


def test_yes_accepts_a_dispatch_suggestion(ward, linked_helper, open_ask):
    run_dispatch(groups=[ward])
    suggestion = Suggestion.objects.get(ask=open_ask, helper=linked_helper)

    reply = text(f"YES {open_ask.pk}", phone=HELPER_PHONE)

    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.ACCEPTED
    assert open_ask.claims.get().helper == linked_helper
    assert "You have ask" in reply


def test_no_declines_a_suggestion(ward, linked_helper, open_ask):
    run_dispatch(groups=[ward])

    reply = text(f"NO {open_ask.pk}", phone=HELPER_PHONE)

    assert "someone else" in reply
    assert Suggestion.objects.get(ask=open_ask).status == SuggestionStatus.DECLINED
    open_ask.refresh_from_db()
    assert open_ask.status == AskStatus.OPEN
    assert "no suggestion waiting" in text(f"NO {open_ask.pk}", phone=HELPER_PHONE)


def test_yes_on_an_ask_someone_took_says_so(linked_helper, other_helper, open_ask):
    claim_ask(ask=open_ask, helper=other_helper)

    reply = text(f"YES {open_ask.pk}", phone=HELPER_PHONE)

    assert "already taken" in reply
    assert open_ask.claims.get().helper == other_helper


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("YES twelve", "Please send YES and the ask's number, for example: YES 12"),
        ("DONE", "Please send DONE and the ask's number, for example: DONE 12"),
        ("RELEASE it", "Please send RELEASE and the ask's number"),
        ("YES 999999", "There is no ask #999999."),
        ("LINK 00000000", "That code is not right or has expired."),
        ("LINK code", "That code is not right or has expired."),
    ],
)
def test_malformed_commands_get_a_helpful_reply(linked_helper, open_ask, body, expected):
    assert expected in text(body, phone=HELPER_PHONE)
    open_ask.refresh_from_db()
    assert open_ask.status == AskStatus.OPEN


@pytest.mark.parametrize("body", ["YES {ref}", "NO {ref}", "RELEASE {ref}", "LIST"])
def test_member_commands_from_an_unlinked_number_are_refused(ward, open_ask, body):
    reply = text(body.format(ref=open_ask.pk), phone="+447700900999")

    assert "not linked to a member" in reply
    open_ask.refresh_from_db()
    assert open_ask.status == AskStatus.OPEN


def test_done_by_the_helper_closes_the_ask(linked_helper, open_ask):
    text(f"YES {open_ask.pk}", phone=HELPER_PHONE)

    reply = text(f"DONE {open_ask.pk}", phone=HELPER_PHONE)

    assert "done" in reply
    open_ask.refresh_from_db()
    assert open_ask.status == AskStatus.DONE


def test_done_by_the_person_who_asked_by_text(ward, linked_helper):
    text("HELP shopping in Hackney Central", phone=CALLER)
    ask = Ask.objects.get()
    text(f"YES {ask.pk}", phone=HELPER_PHONE)

    reply = text(f"DONE {ask.pk}", phone=CALLER)

    assert "closed" in reply
    ask.refresh_from_db()
    assert ask.status == AskStatus.DONE


def test_done_from_a_stranger_is_refused(linked_helper, open_ask):
    text(f"YES {open_ask.pk}", phone=HELPER_PHONE)

    reply = text(f"DONE {open_ask.pk}", phone="+447700900999")

    assert "Only the helper or the person who asked" in reply
    open_ask.refresh_from_db()
    assert open_ask.status == AskStatus.CLAIMED


def test_release_gives_the_ask_back(linked_helper, open_ask):
    text(f"YES {open_ask.pk}", phone=HELPER_PHONE)

    reply = text(f"RELEASE {open_ask.pk}", phone=HELPER_PHONE)

    assert "back on the board" in reply
    open_ask.refresh_from_db()
    assert open_ask.status == AskStatus.OPEN


def test_release_of_someone_elses_claim_is_refused(linked_helper, other_helper, open_ask):
    claim_ask(ask=open_ask, helper=other_helper)

    reply = text(f"RELEASE {open_ask.pk}", phone=HELPER_PHONE)

    assert "Only the person who took this ask can release it." in reply
    open_ask.refresh_from_db()
    assert open_ask.status == AskStatus.CLAIMED


def test_list_shows_open_asks_near_the_member(linked_helper, open_ask):
    make_ask(what="Far away", lat=51.3762, lon=-0.0982)  # Croydon, out of reach

    reply = text("LIST", phone=HELPER_PHONE)

    assert f"#{open_ask.pk} Groceries" in reply
    assert "Far away" not in reply and reply.count("#") == 1


def test_list_with_nothing_near(linked_helper):
    assert "no open asks near you" in text("LIST", phone=HELPER_PHONE)


def test_linking_moves_a_number_to_the_member_who_proved_it(ward, linked_helper, other_helper):
    link_phone(other_helper, HELPER_PHONE)

    assert Preference.objects.get(user=linked_helper).phone == ""
    claimed = make_ask()
    text(f"YES {claimed.pk}", phone=HELPER_PHONE)
    assert claimed.claims.get().helper == other_helper
