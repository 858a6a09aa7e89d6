"""The network page: figures per group, checked against the database, and nothing
personal on it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutua.aid import services
from mutua.aid.models import Ask, AskStatus, Claim
from mutua.aid.policy import Actor
from mutua.core.tests.factories import UserFactory, make_ask, make_group, trusted

HACKNEY = (51.5450, -0.0553)
DALSTON = (51.5465, -0.0750)
HOMERTON = (51.5470, -0.0420)
SANDRINGHAM = (51.5680, -0.0750)


@pytest.fixture
def network(db):
    borough = make_group(name="Hackney Network", kind="network", center=HACKNEY, radius_km=6)
    dalston = make_group(name="Dalston Ward", center=DALSTON, radius_km=3.5, parent=borough)
    homerton = make_group(name="Homerton Ward", center=HOMERTON, radius_km=0.6, parent=borough)
    street = make_group(
        name="Sandringham Road", kind="street", center=SANDRINGHAM, radius_km=0.2, parent=dalston
    )
    make_group(name="Elsewhere", center=(51.60, -0.20), radius_km=1)
    return borough, dalston, homerton, street


def fill(network):
    _borough, dalston, homerton, street = network
    helper = trusted(dalston, UserFactory.create())
    street_helper = trusted(street, UserFactory.create())
    asks = [make_ask(lat=DALSTON[0], lon=DALSTON[1]) for _ in range(4)]
    asks += [make_ask(lat=HOMERTON[0], lon=HOMERTON[1]) for _ in range(3)]
    asks += [make_ask(lat=SANDRINGHAM[0], lon=SANDRINGHAM[1]) for _ in range(2)]
    assert [a.group for a in asks] == [dalston] * 4 + [homerton] * 3 + [street] * 2
    # Two of Dalston's are taken, one of them done; one of the street's is taken.
    services.claim_ask(ask=asks[0], helper=helper)
    services.claim_ask(ask=asks[1], helper=helper)
    services.complete_ask(ask=asks[1], actor=Actor(user=helper))
    services.claim_ask(ask=asks[7], helper=street_helper)
    # The oldest open ask waited longest.
    Ask.objects.filter(pk=asks[4].pk).update(created_at=asks[4].created_at - timedelta(days=3))
    return asks


def rows(page: str) -> dict[str, dict[str, int]]:
    import re

    found = {}
    for slug, body in re.findall(r'<tr data-group="([^"]+)">(.*?)</tr>', page, re.S):
        found[slug] = {
            name: int(value) for name, value in re.findall(r'data-figure="([a-z]+)">(\d+)<', body)
        }
    return found


def test_counts_per_group_match_the_database(client, network):
    fill(network)
    borough = network[0]

    page = client.get(f"/groups/{borough.slug}/network/").content.decode()

    shown = rows(page)
    groups = [g.slug for g in network]
    assert list(shown) == [borough.slug, network[1].slug, network[3].slug, network[2].slug]
    expected = {
        row["group__slug"]: row
        for row in Ask.objects.filter(group__slug__in=groups)
        .values("group__slug")
        .annotate(
            open=Count("pk", filter=Q(status=AskStatus.OPEN)),
            claimed=Count("pk", filter=Q(status=AskStatus.CLAIMED)),
            done=Count("pk", filter=Q(status=AskStatus.DONE)),
        )
    }
    for slug in groups:
        want = expected.get(slug, {"open": 0, "claimed": 0, "done": 0})
        assert (shown[slug]["open"], shown[slug]["claimed"], shown[slug]["done"]) == (
            want["open"],
            want["claimed"],
            want["done"],
        ), slug
    # The asks really are spread over the groups (the check above is not of zeros).
    assert shown[network[1].slug] == {**shown[network[1].slug], "open": 2, "claimed": 1, "done": 1}
    assert shown[network[2].slug]["open"] == 3
    assert "Elsewhere" not in page


def test_active_helpers_are_those_who_took_an_ask_lately(client, network):
    fill(network)
    dalston = network[1]
    Claim.objects.filter(ask__group=dalston).update(claimed_at=timezone.now() - timedelta(days=40))

    shown = rows(client.get(f"/groups/{network[0].slug}/network/").content.decode())

    assert shown[dalston.slug]["active"] == 0
    assert shown[network[3].slug]["active"] == 1


def test_longest_waiting_and_groups_needing_helpers(client, network):
    asks = fill(network)
    homerton = network[2]

    page = client.get(f"/groups/{network[0].slug}/network/").content.decode()

    waiting = page.split('class="waiting"')[1].split("</ol>")[0]
    first = waiting.split("<li")[1]
    assert f'data-waiting="{homerton.slug}"' in first
    assert (
        waiting.count("<li") == Ask.objects.filter(group__in=network, status=AskStatus.OPEN).count()
    )
    needing = page.split('class="needing"')[1].split("</ul>")[0]
    # Homerton: 3 open asks and nobody active, first; Dalston: 2 open, 1 active.
    assert needing.index(homerton.slug) < needing.index(network[1].slug)
    assert f'data-needs="{network[3].slug}"' not in needing
    assert asks[0].contact_phone not in page
    assert asks[0].address not in page
    assert asks[0].what not in page


def test_the_page_takes_a_fixed_number_of_queries(client, network):
    fill(network)
    url = f"/groups/{network[0].slug}/network/"
    client.get(url)

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        make_ask(lat=HOMERTON[0], lon=HOMERTON[1])
    with CaptureQueriesContext(connection) as more:
        client.get(url)

    assert len(more.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 15


def test_an_unknown_network_is_not_found(client, db):
    assert client.get("/groups/nowhere/network/").status_code == 404
