"""An ask passed on to another group loses the suggestions the old group's dispatch made:
the helper no longer sees it among their suggestions, and the new group's dispatch
suggests it afresh."""

from __future__ import annotations

import pytest

from mutua.aid import services as aid_services
from mutua.core.tests.factories import HACKNEY, hold_role, make_ask, make_group
from mutua.matching.models import Suggestion, SuggestionStatus
from mutua.matching.services import run_dispatch
from mutua.matching.tests.db_people import NEAR, new_member

pytestmark = pytest.mark.django_db


def test_passing_an_ask_on_ends_the_old_groups_suggestions(
    client, ward, asker, django_capture_on_commit_callbacks
):
    area = make_group(name="Hackney Area", kind="area", center=HACKNEY, radius_km=6)
    ward.parent = area
    ward.save()
    dispatcher = new_member(ward, "Dee", home=NEAR)
    hold_role(ward, dispatcher, "dispatcher")
    near = new_member(ward, "Near", home=NEAR)
    ask = make_ask(lat=HACKNEY[0], lon=HACKNEY[1], asker=asker)
    run_dispatch(groups=[ward])
    suggestion = Suggestion.objects.get(ask=ask, status=SuggestionStatus.PENDING)
    assert suggestion.helper in (near, dispatcher)

    with django_capture_on_commit_callbacks(execute=True):
        aid_services.pass_to_group(ask=ask, to_group=area, actor=dispatcher)

    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.SUPERSEDED
    client.force_login(suggestion.helper)
    assert f"/asks/{ask.pk}/" not in client.get("/me/proposals/").content.decode()
    # The new group's own dispatch suggests it again, to its own members.
    helper_there = new_member(area, "There", home=NEAR)
    run_dispatch(groups=[area])
    again = Suggestion.objects.get(ask=ask, status=SuggestionStatus.PENDING)
    assert (again.group, again.helper) == (area, helper_there)
