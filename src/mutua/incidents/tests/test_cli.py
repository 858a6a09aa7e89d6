"""`mutua incident list` and `mutua incident show`, run as the operator would."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mutua.incidents.tests.helpers import open_incident, post

pytestmark = pytest.mark.django_db


def test_list_and_show_an_archived_incident(client, ward, dispatcher):
    made = open_incident(client, dispatcher, ward, emergency=True).json()
    post(client, f"/api/v1/incidents/{made['id']}/close", {}, dispatcher)

    listed = StringIO()
    call_command("incident", "list", "--group", ward.slug, stdout=listed)
    assert listed.getvalue().split("\n")[0].split("\t") == [
        str(made["id"]),
        ward.slug,
        "closed",
        "flood",
        "River Lea flood",
    ]
    shown = StringIO()
    call_command("incident", "show", str(made["id"]), stdout=shown)
    figures = json.loads(shown.getvalue())["figures"]
    assert figures["cases"] == 0 and set(figures["work"]) == {
        "mucking-out",
        "tarping",
        "debris",
        "supplies",
        "wellness-check",
    }


def test_unknown_incidents_and_groups_give_one_line(db):
    with pytest.raises(CommandError, match="no incident number 99"):
        call_command("incident", "show", "99")
    with pytest.raises(CommandError, match="no group"):
        call_command("incident", "list", "--group", "nowhere")
    # An unset variable in a script lists nothing rather than every group's incidents.
    with pytest.raises(CommandError, match="--group needs a group's short name"):
        call_command("incident", "list", "--group", "")
