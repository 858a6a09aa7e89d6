"""A group's own place names from a file: uploaded on its page by a dispatcher, proposed by
any member and added when the group decides, or imported with `mutua import places`; all
or nothing, logged, and resolved afterwards by the ask form, the API and SMS (issue 21)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from mutua.aid.models import Ask
from mutua.aid.tests.test_pages_ask import form_data
from mutua.conftest import login
from mutua.core import geo
from mutua.core.tests.factories import hold_role, london_network
from mutua.exchange.places import read_place_file
from mutua.exchange.services import propose_place_names
from mutua.governance.models import LogEntry, LogKind, Proposal, ProposalStatus
from mutua.governance.tests.factories import agree, decide, member_of
from mutua.groups.models import Group, PlaceName
from mutua.groups.services import set_group_area
from mutua.notify.tests.conftest import GROUP_NUMBER, TOKEN, text
from mutua.people.models import User

# Inside Hackney Mutual Aid's area (3 km around 51.55, -0.05), outside its central ward.
ESTATE = ("Nightingale Estate", 51.5650, -0.0500)
LANE = ("Kingsmead Lane", 51.5620, -0.0420)
FAR = ("Peckham Rye", 51.4600, -0.0600)  # in Southwark's area, not Hackney's

CSV = (
    "name,lat,lon,kind\n"
    f"{ESTATE[0]},{ESTATE[1]},{ESTATE[2]},estate\n"
    f"{LANE[0]},{LANE[1]},{LANE[2]},street\n"
)


def geojson(*places: tuple[str, float, float]) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {"name": name, "kind": "estate"},
                }
                for name, lat, lon in places
            ],
        }
    )


@pytest.fixture(autouse=True)
def _texts(settings) -> None:
    """Texts reach the server as notify's tests send them (signed as Twilio signs)."""
    settings.MUTUA_TWILIO_AUTH_TOKEN = TOKEN
    settings.MUTUA_SMS_NUMBER = GROUP_NUMBER
    settings.MUTUA_PUBLIC_URL = ""


@pytest.fixture
def london(db: None) -> dict[str, Group]:
    return london_network()


@pytest.fixture
def hackney(london: dict[str, Group]) -> Group:
    return london["Hackney Mutual Aid"]


@pytest.fixture
def hackney_dispatcher(hackney: Group) -> User:
    user = member_of(hackney, "dani")
    hold_role(hackney, user, "dispatcher")
    return user


def upload(client, group: Group, content: str, name: str = "places.csv"):
    data = {"file": SimpleUploadedFile(name, content.encode(), content_type="text/plain")}
    return client.post(f"/groups/{group.slug}/places/", data)


def assert_resolves(client, name: str, group: Group) -> None:
    """The ask form, the places API and a text all find the name and reach `group`."""
    first = client.post("/ask/", form_data(place=name, address=""))
    choice = re.search(r'name="place_choice" value="([^"]+)" checked', first.content.decode())
    assert choice, first.content.decode()
    sent = client.post("/ask/", form_data(place=name, address="", place_choice=choice[1]))
    assert sent.status_code == 302
    assert Ask.objects.latest("pk").group == group

    items = client.get("/api/v1/places", {"q": name}).json()["items"]
    assert items[0]["name"].startswith(name)  # with the area it is in
    assert items[0]["group"] == group.slug

    text(f"HELP shopping in {name}", phone="+447700900444")
    assert Ask.objects.latest("pk").group == group


def test_a_dispatcher_adds_a_csv_at_once_and_the_names_resolve_everywhere(
    client, hackney, hackney_dispatcher
):
    response = upload(login(client, hackney_dispatcher), hackney, CSV)

    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "2 place names added" in page
    assert ESTATE[0] in page and "Estate" in page
    entry = LogEntry.objects.get(group=hackney, kind=LogKind.PLACE_NAMES_ADDED)
    assert entry.actor == hackney_dispatcher
    assert entry.sentence() == "Place names the group uses, added or moved by Dani: 2."
    assert_resolves(client, ESTATE[0], hackney)


def test_a_member_proposes_a_geojson_and_it_is_added_when_the_group_decides(client, hackney):
    member = member_of(hackney, "sam")
    response = upload(login(client, member), hackney, geojson(ESTATE), name="estate.geojson")

    assert response.status_code == 302
    proposal_page = client.get(response.url).content.decode()
    assert "Nightingale Estate (estate)" in proposal_page
    assert "If it passes, the place names listed are added" in proposal_page
    assert not PlaceName.objects.filter(name=ESTATE[0]).exists()

    proposal = Proposal.objects.get(group=hackney)
    agree(proposal, member)
    assert decide(proposal).status == ProposalStatus.PASSED

    entry = LogEntry.objects.get(group=hackney, kind=LogKind.PLACE_NAMES_ADDED)
    assert entry.proposal == proposal
    assert entry.sentence().endswith(f"by the decision “{proposal.title}”: 1.")
    assert_resolves(client, ESTATE[0], hackney)


def test_a_passed_proposal_whose_names_left_the_area_adds_nothing_and_says_why(hackney):
    member = member_of(hackney, "sam")
    proposal = propose_place_names(
        group=hackney, place_file=read_place_file(CSV.encode()), by=member
    )
    # The group's area moves away before the decision.
    set_group_area(group=hackney, cells=geo.disk(51.40, -0.30, 1, resolution=8))
    agree(proposal, member)
    decide(proposal)

    assert not PlaceName.objects.filter(name=ESTATE[0]).exists()
    failed = LogEntry.objects.get(group=hackney, kind=LogKind.EFFECT_FAILED)
    assert "outside the group's area" in failed.sentence()


def test_names_outside_the_area_are_refused_with_every_bad_row_and_nothing_is_kept(
    client, hackney, hackney_dispatcher
):
    bad = CSV + f"{FAR[0]},{FAR[1]},{FAR[2]}\n,51.56,-0.05\nNowhere,north,-0.05\n"
    response = upload(login(client, hackney_dispatcher), hackney, bad)

    html = response.content.decode()
    assert response.status_code == 400
    assert "line 4: Peckham Rye is outside the group&#x27;s area." in html
    assert "line 5: no name" in html
    assert "line 6: Nowhere needs a latitude and a longitude in degrees" in html
    assert not PlaceName.objects.filter(group=hackney, name=ESTATE[0]).exists()
    assert not LogEntry.objects.filter(kind=LogKind.PLACE_NAMES_ADDED).exists()


def test_a_file_that_is_not_a_place_list_is_refused_clearly(client, hackney, hackney_dispatcher):
    login(client, hackney_dispatcher)
    csv_response = upload(client, hackney, "what,where\nbread,here\n")
    assert "needs the columns name, lat and lon" in csv_response.content.decode()
    json_response = upload(client, hackney, '{"type": "Point"}', name="x.geojson")
    assert "FeatureCollection of points" in json_response.content.decode()
    assert csv_response.status_code == json_response.status_code == 400


def test_visitors_see_the_names_and_only_members_get_the_form(
    client, hackney, outsider, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        html = client.get(f"/groups/{hackney.slug}/places/").content.decode()
    assert "Dalston" in html
    assert 'type="file"' not in html
    assert (
        f'href="/groups/{hackney.slug}/places/"'
        in client.get(f"/groups/{hackney.slug}/").content.decode()
    )

    refused = upload(login(client, outsider), hackney, CSV)
    assert refused.status_code == 302
    told = client.get(refused["Location"]).content.decode()
    assert f"Only members of {hackney.name} can do this. Joining is one click." in told
    assert not PlaceName.objects.filter(name=ESTATE[0]).exists()


def import_places(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "places", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    ("filename", "content"),
    [("places.csv", CSV), ("places.geojson", geojson(ESTATE, LANE))],
)
def test_the_command_imports_csv_and_geojson(client, tmp_path, hackney, filename, content):
    path = tmp_path / filename
    path.write_text(content)

    out, _err = import_places("--group", hackney.slug, str(path))

    assert out.strip() == f"Added 2 place names to Hackney Mutual Aid from {filename}."
    entry = LogEntry.objects.get(group=hackney, kind=LogKind.PLACE_NAMES_ADDED)
    assert entry.actor is None
    assert entry.sentence().endswith("by whoever runs the server: 2.")
    assert_resolves(client, LANE[0], hackney)


def test_the_command_prints_one_line_per_bad_row_and_saves_nothing(tmp_path: Path, hackney):
    path = tmp_path / "places.csv"
    path.write_text(CSV + f"{FAR[0]},{FAR[1]},{FAR[2]}\n{ESTATE[0]},{ESTATE[1]},x,estate\n")
    err = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import", "places", "--group", hackney.slug, str(path), stderr=err)

    assert err.getvalue().splitlines() == [
        "line 4: Peckham Rye is outside the group's area.",
        "line 5: Nightingale Estate needs a latitude and a longitude in degrees",
    ]
    # call_command hands the last line back; the CLI prints it after them.
    assert str(refused.value) == (
        "Nothing was added to Hackney Mutual Aid: 2 bad rows, each on a line above."
    )
    assert not PlaceName.objects.filter(name=LANE[0]).exists()


def test_the_command_dry_run_checks_and_keeps_nothing(tmp_path: Path, hackney):
    path = tmp_path / "places.csv"
    path.write_text(CSV)
    out, _err = import_places("--group", hackney.slug, str(path), "--dry-run")
    assert "Dry run: all 2 place names can be added" in out
    assert not PlaceName.objects.filter(name=LANE[0]).exists()
