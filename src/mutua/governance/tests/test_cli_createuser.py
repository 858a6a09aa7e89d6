"""`mutua createuser`: an account from the command line, optionally in a group."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mutua.groups.models import Membership
from mutua.people.models import User

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_createuser_makes_an_account_that_can_log_in(client):
    output = run("createuser", "Ada@Example.org", "--password", "lamp-post-42", "--name", "Ada")

    user = User.objects.get(email="ada@example.org")
    assert user.display_name == "Ada"
    assert "Created the account ada@example.org." in output
    assert client.login(email="ada@example.org", password="lamp-post-42")


def test_createuser_without_a_password_says_the_account_cannot_log_in_yet():
    output = run("createuser", "bea@example.org")

    assert not User.objects.get(email="bea@example.org").has_usable_password()
    assert "no password" in output


def test_createuser_joins_the_group_given(ward):
    output = run("createuser", "cy@example.org", "--group", ward.slug)

    assert Membership.objects.filter(group=ward, user__email="cy@example.org").exists()
    assert ward.name in output


def test_createuser_with_an_empty_group_saves_nothing(ward):
    with pytest.raises(CommandError, match="--group needs a group's short name"):
        run("createuser", "dee@example.org", "--group", "")

    assert not User.objects.filter(email="dee@example.org").exists()


def test_createuser_with_an_unknown_group_saves_nothing(ward):
    with pytest.raises(CommandError, match="no group with the short name nowhere"):
        run("createuser", "dee@example.org", "--password", "lamp-post-42", "--group", "nowhere")

    assert not User.objects.filter(email="dee@example.org").exists()


def test_createuser_refuses_an_email_already_taken(asker):
    with pytest.raises(CommandError, match="already exists"):
        run("createuser", "ASKER@example.org", "--password", "lamp-post-42")

    assert User.objects.filter(email__iexact="asker@example.org").count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["not-an-email"], "valid email"),
        (["eve@example.org", "--password", "short"], "too short"),
        (["eve@example.org", "--password", "password123"], "too common"),
    ],
)
def test_createuser_refuses_bad_input_in_one_line_and_saves_nothing(args, message):
    with pytest.raises(CommandError, match=message) as caught:
        run("createuser", *args)

    assert "\n" not in str(caught.value)
    assert User.objects.count() == 0


def test_createuser_trusted_seats_a_member_who_can_take_the_groups_asks(client, ward):
    from mutua.core.tests.factories import make_ask
    from mutua.governance.models import LogEntry, LogKind
    from mutua.people.services import issue_token

    output = run("createuser", "sam@example.org", "--group", ward.slug, "--trusted")

    sam = User.objects.get(email="sam@example.org")
    assert "trusts it with its asks until" in output
    entry = LogEntry.objects.get(group=ward, kind=LogKind.ROLE_GRANTED, subject=sam)
    assert "by the server's operator" in entry.sentence()
    claimed = client.post(
        f"/api/v1/asks/{make_ask().pk}/claim",
        headers={"Authorization": f"Bearer {issue_token(user=sam)}"},
    )
    assert claimed.status_code == 200


def test_createuser_trusted_without_a_group_is_one_clear_line():
    with pytest.raises(CommandError, match="--trusted needs --group"):
        run("createuser", "sam@example.org", "--trusted")
    assert not User.objects.filter(email="sam@example.org").exists()
