"""The "Run dispatch" page of a group: who may use it, and what a run shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mutua.core.tests.factories import hold_role, make_ask, make_group
from mutua.groups.services import join_group
from mutua.matching.models import DispatchRun, Suggestion
from mutua.matching.tests.db_people import CROYDON, NEAR, new_member

pytestmark = pytest.mark.django_db


def run_and_follow(client, group):
    return client.post(f"/groups/{group.slug}/dispatch/", follow=True)


def test_visitors_are_sent_to_log_in(client, ward):
    for response in (
        client.get(f"/groups/{ward.slug}/dispatch/"),
        client.post(f"/groups/{ward.slug}/dispatch/"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert not DispatchRun.objects.exists()


def test_people_outside_the_group_are_told_to_join_first(client, ward, outsider):
    client.force_login(outsider)

    page = client.get(f"/groups/{ward.slug}/dispatch/")
    posted = client.post(f"/groups/{ward.slug}/dispatch/")

    assert page.status_code == posted.status_code == 403
    assert "Only members of Hackney Central can run dispatch" in page.content.decode()
    assert not DispatchRun.objects.exists()


def test_unknown_group_is_404(client, dispatcher):
    client.force_login(dispatcher)

    assert client.get("/groups/nowhere/dispatch/").status_code == 404


def test_the_group_page_links_members_to_dispatch(client, ward, dispatcher, outsider):
    link = f'href="/groups/{ward.slug}/dispatch/"'
    client.force_login(outsider)
    assert link not in client.get(f"/groups/{ward.slug}/").content.decode()

    client.force_login(dispatcher)
    assert link in client.get(f"/groups/{ward.slug}/").content.decode()


def test_a_member_runs_dispatch_and_sees_what_was_matched_and_why_not(client, ward, dispatcher):
    new_member(ward, "Robin", home=NEAR, skills=("groceries",))
    make_ask(what="Weekly shop")
    make_ask(category="pets", what="Walk my dog")
    make_ask(language="bn", what="Shop, in Bengali please")
    client.force_login(dispatcher)

    response = run_and_follow(client, ward)

    run = DispatchRun.objects.get()
    assert response.redirect_chain[-1][0] == f"/groups/{ward.slug}/dispatch/runs/{run.pk}/"
    html = response.content.decode()
    assert "Dispatch ran: 1 proposed, 2 could not be matched." in html
    assert "to Robin, about" in html
    assert "Why: nobody close enough helps with this kind of help." in html
    assert "Why: nobody close enough speaks the language." in html
    assert "Asks considered: <strong>3</strong>" in html
    assert "Not matched: nobody close enough speaks the language: <strong>1</strong>" in html
    # The exact place never reaches the page, only the area and a rounded distance.
    ask = Suggestion.objects.get().ask
    assert str(ask.lat) not in html
    assert "Example Road" not in html
    assert run.actor == dispatcher


def test_the_dispatch_page_lists_earlier_runs(client, ward, dispatcher):
    client.force_login(dispatcher)
    run_and_follow(client, ward)
    run = DispatchRun.objects.get()

    html = client.get(f"/groups/{ward.slug}/dispatch/").content.decode()

    assert f'href="/groups/{ward.slug}/dispatch/runs/{run.pk}/"' in html
    assert "Run dispatch now" in html


def test_an_empty_group_gives_a_clear_empty_result(client, ward, dispatcher):
    client.force_login(dispatcher)

    response = run_and_follow(client, ward)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There were no open asks waiting for a helper." in html
    assert "Nothing was proposed in this run." in html


def test_asks_but_no_helpers_shows_every_ask_unmatched(client, ward, dispatcher):
    make_ask(what="Shop one")
    make_ask(what="Shop two")
    client.force_login(dispatcher)

    html = run_and_follow(client, ward).content.decode()

    assert html.count("Why: no helper lives close enough.") == 2


def test_a_run_is_shown_only_under_the_group_it_ran_for(client, ward, dispatcher):
    elsewhere = make_group(name="Croydon", center=CROYDON)
    join_group(group=elsewhere, user=dispatcher)
    hold_role(elsewhere, dispatcher, "dispatcher")
    client.force_login(dispatcher)
    run_and_follow(client, ward)
    run = DispatchRun.objects.get()

    assert client.get(f"/groups/{elsewhere.slug}/dispatch/runs/{run.pk}/").status_code == 404
    assert client.get(f"/groups/{ward.slug}/dispatch/runs/{run.pk}/").status_code == 200


def test_the_run_page_reads_a_fixed_number_of_queries(client, ward, dispatcher):
    client.force_login(dispatcher)

    def queries_for_run_page(asks: int, helpers: int) -> int:
        for i in range(helpers):
            new_member(ward, f"Helper{asks}x{i}", home=NEAR, max_asks=1)
        for _ in range(asks):
            make_ask()
        run_and_follow(client, ward)
        run = DispatchRun.objects.latest("pk")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/groups/{ward.slug}/dispatch/runs/{run.pk}/")
        assert response.status_code == 200
        return len(queries)

    small = queries_for_run_page(asks=2, helpers=1)
    large = queries_for_run_page(asks=12, helpers=6)

    assert small == large
    assert large <= 10


def test_once_the_group_grants_the_dispatcher_role_only_its_holders_dispatch(
    client, helper, other_helper
):
    from mutua.core import geo
    from mutua.core.tests.factories import HACKNEY, hold_role
    from mutua.governance.services import found_group

    group = found_group(
        founder=helper, name="Mare Street", cells=geo.disk(*HACKNEY, 1, resolution=8)
    )
    join_group(group=group, user=other_helper)
    client.force_login(helper)
    # Founding the group gave the founder no dispatch, and nobody acts as it meanwhile.
    unheld = client.post(f"/groups/{group.slug}/dispatch/")
    assert unheld.status_code == 403
    assert "Nobody holds the dispatcher role in Mare Street" in unheld.content.decode()
    hold_role(group, helper, "dispatcher")

    client.force_login(other_helper)
    refused = client.post(f"/groups/{group.slug}/dispatch/")
    client.force_login(helper)
    allowed = client.post(f"/groups/{group.slug}/dispatch/")

    assert refused.status_code == 403
    assert "dispatcher role" in refused.content.decode()
    assert allowed.status_code == 302
    assert DispatchRun.objects.filter(actor=helper).count() == 1
