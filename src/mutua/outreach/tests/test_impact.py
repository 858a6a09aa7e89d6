"""The impact page and its CSV, checked against known asks, claims and offers."""

from __future__ import annotations

import csv
import io
import statistics
from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from mutua.aid import services as aid_services
from mutua.aid.models import AskEvent, Claim
from mutua.aid.policy import Actor
from mutua.conftest import login
from mutua.core.anonymity import K, suppress
from mutua.core.categories import Category
from mutua.core.tests.factories import OfferFactory, make_ask, make_group

pytestmark = pytest.mark.django_db

CLAIM_HOURS = [1, 2, 3, 4, 6, 8]  # from ask to helper, for the six groceries asks
DONE_HOURS = [5, 6, 7, 9, 10, 12]


def last_thursday_morning():
    """09:00 on Thursday of last week: every moment of the test's asks falls in that week."""
    today = timezone.localdate()
    thursday = today - timedelta(days=today.weekday() + 4)
    return timezone.make_aware(datetime.combine(thursday, time(9)))


def backdate(ask, *, claim_after=None, done_after=None):
    """Put the ask's moments where the test says they were."""
    made = last_thursday_morning()
    type(ask).objects.filter(pk=ask.pk).update(created_at=made)
    if claim_after is not None:
        Claim.objects.filter(ask=ask).update(claimed_at=made + timedelta(hours=claim_after))
    if done_after is not None:
        AskEvent.objects.filter(ask=ask, kind=AskEvent.Kind.DONE).update(
            at=made + timedelta(hours=done_after)
        )


@pytest.fixture
def known(ward, helper):
    """Six groceries asks met, three prescriptions open, one meal open: ten in all."""
    for claim_after, done_after in zip(CLAIM_HOURS, DONE_HOURS, strict=True):
        ask = make_ask(category=Category.GROCERIES, contact_name="Zelda Quist")
        aid_services.claim_ask(ask=ask, helper=helper)
        aid_services.complete_ask(ask=ask, actor=Actor(user=helper))
        backdate(ask, claim_after=claim_after, done_after=done_after)
    for _ in range(3):
        backdate(make_ask(category=Category.PRESCRIPTIONS, address="7 Secret Lane"))
    backdate(make_ask(category=Category.MEALS, what="Soup for my neighbour Mrs Blackwood"))
    OfferFactory.create_batch(2, member=helper, group=ward)
    return ward


def csv_rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def value(rows, measure, bucket, quantity):
    (row,) = [
        r for r in rows if (r["measure"], r["bucket"], r["quantity"]) == (measure, bucket, quantity)
    ]
    return row


def test_figures_match_the_database(client, known):
    rows = csv_rows(client.get(f"/groups/{known.slug}/impact.csv"))
    assert value(rows, "totals", "", "asks")["value"] == "10"
    assert value(rows, "totals", "", "met")["value"] == "6"
    claim = value(rows, "totals", "", "median_hours_to_claim")["value"]
    assert float(claim) == pytest.approx(statistics.median(CLAIM_HOURS), abs=0.1)
    done = value(rows, "totals", "", "median_hours_to_done")["value"]
    assert float(done) == pytest.approx(statistics.median(DONE_HOURS), abs=0.1)
    assert value(rows, "by_category", "groceries", "asks")["value"] == "6"
    assert value(rows, "by_category", "groceries", "met")["value"] == "6"
    assert float(value(rows, "by_category", "groceries", "median_hours_to_claim")["value"]) == (
        pytest.approx(statistics.median(CLAIM_HOURS), abs=0.1)
    )
    # The ten asks share one neighbourhood cell.
    (area,) = [r for r in rows if r["measure"] == "by_area"]
    assert area["value"] == "10"
    # All six were met last week; every other week is empty.
    weekly = {r["bucket"]: r["value"] for r in rows if r["measure"] == "asks_met_per_week"}
    assert len(weekly) == 26
    last_week = last_thursday_morning().date() - timedelta(days=3)
    assert weekly.pop(last_week.isoformat()) == "6"
    assert set(weekly.values()) == {"0"}
    # Rows run week by week, so the last of each is this week's.
    now = {r["quantity"]: r["value"] for r in rows if r["measure"] == "members_and_offers"}
    assert now == {"members": "1", "offers_made": "2"}


def test_counts_under_five_are_suppressed(client, known):
    rows = csv_rows(client.get(f"/groups/{known.slug}/impact.csv"))
    for slug in ("prescriptions", "meals"):
        cell = value(rows, "by_category", slug, "asks")
        assert (cell["value"], cell["suppressed"]) == ("", "yes")
        # Three asks, none claimed: no median of fewer than five.
        assert value(rows, "by_category", slug, "median_hours_to_claim")["suppressed"] == "yes"
    for row in rows:
        if row["value"] not in ("", "0") and row["measure"] != "members_and_offers":
            assert float(row["value"]) >= K or "median" in row["quantity"], row
    page = client.get(f"/groups/{known.slug}/impact/").content.decode()
    assert '<th scope="row">Prescriptions</th><td>&lt;5</td>' in page


def test_a_small_group_shows_nothing_below_five(client, db):
    small = make_group(name="Tiny Street", slug="tiny", radius_km=0.5)
    for _ in range(3):
        make_ask(category=Category.GROCERIES)
    rows = csv_rows(client.get(f"/groups/{small.slug}/impact.csv"))
    assert value(rows, "totals", "", "asks")["suppressed"] == "yes"
    assert value(rows, "by_category", "groceries", "asks")["suppressed"] == "yes"
    assert [r["suppressed"] for r in rows if r["measure"] == "by_area"] == ["yes"]
    page = client.get(f"/groups/{small.slug}/impact/").content.decode()
    assert "<dd>&lt;5</dd>" in page
    # No map is drawn of cells nobody may see.
    assert 'id="figure-by_area"' in page


def test_no_personal_data_in_page_or_csv(client, known, helper):
    login(client, helper)
    page = client.get(f"/groups/{known.slug}/impact/").content.decode()
    data = client.get(f"/groups/{known.slug}/impact.csv").content.decode()
    for secret in ("Zelda", "Quist", "Secret Lane", "Blackwood", "7946", helper.email):
        assert secret not in page and secret not in data, secret
    assert helper.display_name not in data


def test_members_see_more_than_the_public(client, known, helper, outsider):
    public = client.get(f"/groups/{known.slug}/impact/").content.decode()
    assert "How asks came in" not in public
    assert "by_channel" not in client.get(f"/groups/{known.slug}/impact.csv").content.decode()
    login(client, outsider)
    assert "How asks came in" not in client.get(f"/groups/{known.slug}/impact/").content.decode()
    login(client, helper)
    page = client.get(f"/groups/{known.slug}/impact/").content.decode()
    assert "How asks came in" in page and "Languages asked in" in page
    rows = csv_rows(client.get(f"/groups/{known.slug}/impact.csv"))
    assert value(rows, "by_language", "en", "asks")["value"] == "10"
    # Four still open is too few to show; six done is hidden too, or 10 - 6 would give it.
    assert value(rows, "by_status", "open", "asks")["suppressed"] == "yes"
    assert value(rows, "by_status", "done", "asks")["suppressed"] == "yes"


def test_network_adds_up_its_groups(client, known):
    network = make_group(name="East London", slug="east", kind="network", radius_km=6)
    # No service moves a group under another yet; the test places it there.
    type(known).objects.filter(pk=known.pk).update(parent=network)
    rows = csv_rows(client.get(f"/groups/{network.slug}/impact.csv"))
    assert value(rows, "totals", "", "asks")["value"] == "10"
    assert value(rows, "by_group", known.slug, "asks")["value"] == "10"
    assert value(rows, "by_group", network.slug, "asks")["value"] == "0"
    assert "Group by group" in client.get(f"/groups/{network.slug}/impact/").content.decode()


def test_charts_are_light_svgs_with_a_table_for_screen_readers(client, known):
    page = client.get(f"/groups/{known.slug}/impact/").content.decode()
    svgs = page.split("<svg")[1:]
    assert len(svgs) == 4  # met per week, by category, by area, members and offers
    for svg in svgs:
        assert svg.startswith(' aria-hidden="true"')
        assert len(svg.split("</svg>")[0]) < 60_000
    assert page.count('<table class="figures">') == 4
    assert "<?xml" not in page


def test_weeks_choose_the_period_and_bad_values_fall_back(client, known):
    rows = csv_rows(client.get(f"/groups/{known.slug}/impact.csv", {"weeks": "12"}))
    assert len([r for r in rows if r["measure"] == "asks_met_per_week"]) == 12
    rows = csv_rows(client.get(f"/groups/{known.slug}/impact.csv", {"weeks": "x"}))
    assert len([r for r in rows if r["measure"] == "asks_met_per_week"]) == 26
    assert client.get("/groups/nowhere/impact/").status_code == 404
    assert client.get("/groups/nowhere/impact.csv").status_code == 404


@given(st.lists(st.integers(min_value=0, max_value=40), max_size=30))
def test_suppression_leaves_nothing_below_five_nor_one_hidden_count(counts):
    shown = suppress(counts)
    assert all(v is None or v == 0 or v >= K for v in shown)
    # A count that is shown is the true count.
    assert all(v is None or v == c for v, c in zip(shown, counts, strict=True))
    hidden = [c for v, c in zip(shown, counts, strict=True) if v is None]
    # One hidden count beside a published total would be the total minus the rest.
    assert len(hidden) != 1 or sum(1 for c in counts if c) == 1
