"""Nobody learns whether an address has an account by signing up with it or asking to
reset its password: the pages answer alike, and only the address's owner is told."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from mutua.core.tests.factories import UserFactory
from mutua.people.models import User

pytestmark = pytest.mark.django_db

TAKEN = "ada@example.org"
FREE = "newcomer@example.org"
PASSWORD = "a long enough passphrase 42"


@pytest.fixture
def ada(db: None) -> User:
    user: User = UserFactory.create(email=TAKEN)
    user.set_password("ada's own passphrase")
    user.save()
    return user


def sign_up(email: str) -> tuple[int, str, str, Client]:
    """The status, where it sends the browser, and the page there (with the address
    written as EMAIL so the two answers can be compared)."""
    client = Client()
    response = client.post(
        "/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD}
    )
    landing = client.get(response["Location"]).content.decode()
    landing = re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+", "", landing)
    return response.status_code, response["Location"], landing.replace(email, "EMAIL"), client


@pytest.mark.parametrize("verification", ["optional", "mandatory", "none"])
def test_signing_up_with_a_taken_address_looks_like_signing_up_with_a_new_one(
    settings, ada, verification
):
    settings.ACCOUNT_EMAIL_VERIFICATION = verification

    taken = sign_up(TAKEN)
    free = sign_up(FREE)

    assert taken[:3] == free[:3]
    assert taken[0] == 302 and taken[1] == "/accounts/confirm-email/"
    # Neither browser is signed in: a new account would otherwise give itself away.
    assert "_auth_user_id" not in taken[3].session
    assert "_auth_user_id" not in free[3].session
    assert User.objects.filter(email__iexact=TAKEN).count() == 1
    assert User.objects.filter(email=FREE).exists()


def test_the_owner_of_a_taken_address_is_told_and_the_newcomer_gets_a_confirmation(ada):
    sign_up(TAKEN)
    sign_up(FREE)

    to_owner = [m for m in mail.outbox if m.to == [TAKEN]]
    to_newcomer = [m for m in mail.outbox if m.to == [FREE]]
    assert len(to_owner) == 1 and len(to_newcomer) == 1
    assert "already exists" in to_owner[0].body
    assert "/accounts/password/reset/" in to_owner[0].body
    assert "/accounts/confirm-email/" not in to_owner[0].body
    assert "/accounts/confirm-email/" in to_newcomer[0].body
    # The attempt changed nothing of the owner's account.
    ada.refresh_from_db()
    assert ada.check_password("ada's own passphrase")


def test_a_newcomer_may_still_sign_in_with_their_password_while_verification_is_optional(ada):
    sign_up(FREE)

    client = Client()
    response = client.post("/accounts/login/", {"login": FREE, "password": PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email=FREE).pk)


def reset(email: str) -> tuple[int, str, str]:
    client = Client()
    response = client.post("/accounts/password/reset/", {"email": email})
    landing = client.get(response["Location"]).content.decode()
    landing = re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+", "", landing)
    return response.status_code, response["Location"], landing.replace(email, "EMAIL")


def test_password_reset_answers_alike_and_only_the_owner_gets_a_key(ada):
    assert reset(TAKEN) == reset(FREE)

    to_owner = [m for m in mail.outbox if m.to == [TAKEN]]
    to_stranger = [m for m in mail.outbox if m.to == [FREE]]
    assert len(to_owner) == 1 and len(to_stranger) == 1
    assert "/accounts/password/reset/key/" in to_owner[0].body
    assert "/accounts/password/reset/key/" not in to_stranger[0].body
