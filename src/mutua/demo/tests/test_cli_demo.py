"""`mutua demo`: a realistic network, the same for a seed, built once however often run."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from mutua.aid import services as aid_services
from mutua.aid.models import Ask, AskEvent, AskStatus, Claim, ClaimOutcome, Offer
from mutua.core.serving import serving
from mutua.core.tests.factories import make_ask
from mutua.demo import network as demo
from mutua.groups.models import Group, GroupKind, Membership
from mutua.notify.models import Message
from mutua.people.models import Profile, User

pytestmark = pytest.mark.django_db


def build(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--size", "tiny", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """What a visitor would see of the network, without ids or timestamps."""
    return {
        "groups": list(Group.objects.order_by("pk").values_list("slug", "kind", "parent__slug")),
        "members": list(
            Profile.objects.order_by("user__email").values_list(
                "user__email", "display_name", "languages", "skills", "home_cell"
            )
        ),
        "asks": list(
            Ask.objects.order_by("pk").values_list(
                "what", "category", "urgency", "language", "status", "cell", "area_name"
            )
        ),
        "offers": list(Offer.objects.order_by("pk").values_list("member__email", "what")),
    }


def wipe() -> None:
    # The ledger's entries and stock movements are never deleted by the app, so they
    # protect their group: clear them first, as an operator starting over would.
    from mutua.resources.models import Entry, StockMovement, Thing, Transfer

    Entry.objects.all().delete()
    Transfer.objects.all().delete()
    StockMovement.objects.all().delete()
    Thing.objects.all().delete()
    Ask.objects.all().delete()
    Group.objects.all().delete()
    User.objects.all().delete()


def test_demo_builds_a_network_of_groups_around_london():
    output = build()

    network = Group.objects.get(slug=demo.NETWORK_SLUG)
    assert network.kind == GroupKind.NETWORK and network.name == "London Mutual Aid"
    areas = Group.objects.filter(kind=GroupKind.AREA)
    wards = Group.objects.filter(kind=GroupKind.WARD)
    assert areas.count() == 2 and set(areas.values_list("parent", flat=True)) == {network.pk}
    assert wards.count() >= 2 and set(wards.values_list("parent__parent", flat=True)) == {
        network.pk
    }
    assert {"Hackney Mutual Aid", "Islington Mutual Aid"} == set(
        areas.values_list("name", flat=True)
    )
    # Real places: every group's centre is within 20 km of central London.
    for lat, lon in Group.objects.values_list("center_lat", "center_lon"):
        assert lat is not None and lon is not None
        assert 51.3 < lat < 51.7 and -0.4 < lon < 0.15
    assert "Built the demo network" in output


def test_demo_members_have_profiles_and_belong_to_ward_area_and_network():
    build()

    members = User.objects.filter(email__endswith="@demo.mutua.example")
    assert members.count() == demo.SIZES["tiny"].members
    assert Profile.objects.filter(user__in=members).count() == members.count()
    per_member = Membership.objects.values("user").annotate(n=Count("group")).values_list("n")
    assert set(n for (n,) in per_member) == {3}
    kinds = set(
        Membership.objects.filter(user=members.first()).values_list("group__kind", flat=True)
    )
    assert kinds == {GroupKind.NETWORK, GroupKind.AREA, GroupKind.WARD}
    profile = Profile.objects.filter(user__in=members).order_by("pk")[0]
    assert profile.display_name and profile.languages and profile.skills and profile.home_cell
    assert 1 <= profile.travel_radius_km <= 10


def test_demo_asks_are_in_every_state_with_a_true_history():
    build()

    states = set(Ask.objects.values_list("status", flat=True))
    # Every state but handed-on: a demo server has no linked server to hand asks to.
    assert states == set(AskStatus.values) - {AskStatus.HANDED_ON}
    for ask in Ask.objects.filter(status=AskStatus.DONE):
        kinds = list(ask.events.values_list("kind", flat=True))
        assert kinds[0] == AskEvent.Kind.CREATED and kinds[-1] == AskEvent.Kind.DONE
        assert ask.claims.filter(outcome=ClaimOutcome.DONE).count() == 1
    for ask in Ask.objects.filter(status=AskStatus.EXPIRED):
        assert ask.expires_at < timezone.now()
        assert list(ask.events.values_list("kind", flat=True))[-1] == AskEvent.Kind.EXPIRED
    # The history happened in the past, in order.
    for ask in Ask.objects.all():
        times = list(ask.events.values_list("at", flat=True))
        assert times == sorted(times) and times[0] == ask.created_at
    assert Ask.objects.filter(created_at__lt=timezone.now() - timedelta(days=2)).exists()


def test_demo_puts_some_asks_outside_every_group_and_routes_the_rest():
    build()

    unrouted = Ask.objects.unrouted()
    assert unrouted.count() == demo.SIZES["tiny"].unrouted
    assert all(ask.status == AskStatus.OPEN for ask in unrouted)
    assert Ask.objects.filter(group__kind=GroupKind.WARD).count() > Ask.objects.count() // 2
    assert Offer.objects.count() == demo.SIZES["tiny"].offers + 1


def test_the_demo_login_works_and_has_claims_to_show():
    output = build()

    assert "demo@mutua.example" in output and "demo-mutua" in output
    assert "http://127.0.0.1:8000" in output
    assert Client().login(email=demo.DEMO_EMAIL, password=demo.DEMO_PASSWORD)
    user = User.objects.get(email=demo.DEMO_EMAIL)
    outcomes = list(Claim.objects.filter(helper=user).values_list("outcome", flat=True))
    assert outcomes.count(ClaimOutcome.ACTIVE) == 2 and outcomes.count(ClaimOutcome.DONE) == 3
    ward = Group.objects.get(memberships__user=user, kind=GroupKind.WARD)
    assert Ask.objects.filter(group=ward, status=AskStatus.OPEN).exists()


def test_the_demo_network_is_established_and_its_members_may_take_asks():
    from mutua.governance.policy import is_trusted
    from mutua.people.services import issue_token

    build()
    user = User.objects.get(email=demo.DEMO_EMAIL)
    ward = Group.objects.get(memberships__user=user, kind=GroupKind.WARD)
    neighbour = User.objects.filter(memberships__group=ward).exclude(pk=user.pk).first()
    assert neighbour is not None
    # Founding granted nobody anything: trust came from members and the operator.
    assert not Group.objects.filter(established_at__isnull=True).exists()
    assert is_trusted(user, ward) and is_trusted(neighbour, ward)
    ask = Ask.objects.filter(group=ward, status=AskStatus.OPEN).exclude(asker=user).first()
    assert ask is not None

    claimed = Client().post(
        f"/api/v1/asks/{ask.pk}/claim",
        headers={"Authorization": f"Bearer {issue_token(user=user)}"},
    )

    assert claimed.status_code == 200, claimed.content


def test_demo_twice_changes_nothing():
    build()
    before = snapshot()

    output = build()

    assert "already in the database" in output
    assert snapshot() == before


def test_the_same_seed_builds_the_same_network_and_another_seed_another():
    build("--seed", "7")
    first = snapshot()
    wipe()

    build("--seed", "7")
    again = snapshot()
    wipe()
    build("--seed", "8")
    other = snapshot()

    assert again == first
    assert other["groups"] == first["groups"]
    assert other["asks"] != first["asks"] and other["members"] != first["members"]


def test_if_empty_leaves_an_installation_with_groups_alone(ward):
    output = build("--if-empty")

    assert output == ""
    assert list(Group.objects.all()) == [ward]


def test_demo_stops_when_real_data_is_in_the_way_and_saves_nothing():
    User.objects.create_user(email=demo.DEMO_EMAIL, password="someone else's")

    with pytest.raises(CommandError, match="already exists"):
        build()

    assert not Group.objects.exists() and not Ask.objects.exists()


def test_an_interrupted_demo_saves_nothing(monkeypatch):
    def interrupt(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(aid_services, "create_offer", interrupt)

    with pytest.raises(CommandError, match="Interrupted; nothing was saved"):
        build()

    assert not Group.objects.exists() and not Ask.objects.exists() and not User.objects.exists()


def test_demo_leaves_asks_made_before_it_alone():
    before = make_ask(what="A real ask, before the demo")
    asked_at = before.events.get().at

    build()

    after = Ask.objects.get(pk=before.pk)
    assert (after.what, after.status, after.group) == (before.what, AskStatus.OPEN, None)
    assert after.created_at == before.created_at and after.expires_at == before.expires_at
    assert list(after.events.values_list("kind", "at")) == [(AskEvent.Kind.CREATED, asked_at)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--size", "huge"], "argument --size: invalid choice: 'huge'"),
        (["--seed", "x"], "argument --seed: must be a whole number"),
        (["--seed=-3"], "argument --seed: must be 0 or more"),
    ],
)
def test_demo_refuses_bad_arguments_in_one_line(tmp_path: Path, args, message):
    result = subprocess.run(
        [sys.executable, "-m", "mutua", "demo", *args],
        env={**os.environ, "MUTUA_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_the_login_line_names_the_port_the_server_will_use():
    output = build("--port", "8123")

    assert output.strip().splitlines()[-1].startswith("Open http://127.0.0.1:8123 and log in")


def test_serve_says_the_demo_login_last_at_the_address_it_serves(capsys):
    build()
    capsys.readouterr()

    serving.call("http://127.0.0.1:8765/")

    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1].startswith("Open http://127.0.0.1:8765 and log in as demo@mutua.example")


def test_serve_says_nothing_of_a_demo_that_is_not_there(capsys):
    serving.call("http://127.0.0.1:8765/")

    assert "log in" not in capsys.readouterr().out


def test_the_demo_queues_no_messages_about_its_made_up_asks(django_capture_on_commit_callbacks):
    # What the build announced would run at its commit (51 messages before it was muted).
    with django_capture_on_commit_callbacks(execute=True):
        build()

    assert Ask.objects.count() > 10
    assert Message.objects.count() == 0
