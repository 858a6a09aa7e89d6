"""Sessions, read with one prepared statement (mutua.core.sessions): a member stays signed
in while their session lasts, and is signed out once it expired or was cleared, as with
Django's own reading of them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone


@pytest.mark.django_db
def test_a_member_stays_signed_in_with_one_read_of_the_session(
    client, helper, django_assert_num_queries
):
    client.force_login(helper)

    assert client.get("/me/").status_code == 200
    # The session, then the member: nothing else before the page's own reads.
    with django_assert_num_queries(2):
        assert client.get("/healthz/live").status_code == 200


@pytest.mark.django_db
def test_an_expired_session_signs_the_member_out(client, helper):
    client.force_login(helper)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/"


@pytest.mark.django_db
def test_a_session_cleared_on_the_server_signs_the_member_out(client, helper):
    client.force_login(helper)
    assert client.get("/me/").status_code == 200
    Session.objects.all().delete()

    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/"
