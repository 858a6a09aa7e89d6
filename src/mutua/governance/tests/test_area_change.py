"""A group changes its area on the map by deciding it: drawn or uploaded on the area page
(or sent to the API), shown with the areas it overlaps, and changed only when it passes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mutua.aid.models import Ask
from mutua.core.tests.factories import HACKNEY, make_ask, make_group
from mutua.governance.models import LogEntry, LogKind, Proposal, ProposalStatus
from mutua.governance.tests.factories import agree, decide
from mutua.groups.selectors import area_cells, covers
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db

WARDS = json.loads(
    (Path(__file__).parents[2] / "groups/tests/fixtures/hackney_wards.geojson").read_text()
)
DE_BEAUVOIR = next(f for f in WARDS["features"] if f["properties"]["ward"] == "De Beauvoir")
IN_DE_BEAUVOIR = (51.5375, -0.0860)  # outside the test ward's 2 km


def test_a_member_proposes_a_drawn_area_and_it_changes_when_the_group_agrees(client, ward, helper):
    client.force_login(helper)
    drawn = json.dumps(DE_BEAUVOIR["geometry"])  # what the page's drawing writes

    answer = client.post(f"/groups/{ward.slug}/area/", {"area": drawn, "days": "7"}, follow=True)

    proposal = Proposal.objects.get(group=ward, kind="change-area")
    assert answer.redirect_chain[-1][0] == f"/groups/{ward.slug}/proposals/{proposal.pk}/"
    assert "If it passes, the group's area on the map becomes the one proposed" in (
        answer.content.decode()
    )
    # Nothing moves before the group decides.
    assert covers(area_cells(ward), *HACKNEY)
    assert not covers(area_cells(ward), *IN_DE_BEAUVOIR)

    agree(proposal, helper)
    assert decide(proposal).status == ProposalStatus.PASSED

    ward.refresh_from_db()
    assert covers(area_cells(ward), *IN_DE_BEAUVOIR)
    assert not covers(area_cells(ward), *HACKNEY)
    assert make_ask(lat=IN_DE_BEAUVOIR[0], lon=IN_DE_BEAUVOIR[1]).group == ward
    entry = LogEntry.objects.get(group=ward, kind=LogKind.AREA_CHANGED)
    assert "the group's area on the map changed" in entry.sentence()


def test_asks_already_with_the_group_stay(ward, helper):
    from mutua.governance.services.areas import propose_area

    before = make_ask(lat=HACKNEY[0], lon=HACKNEY[1])
    proposal = propose_area(group=ward, author=helper, geojson=DE_BEAUVOIR)
    agree(proposal, helper)
    decide(proposal)

    assert Ask.objects.get(pk=before.pk).group == ward


def test_an_uploaded_council_file_is_an_area(client, ward, helper):
    client.force_login(helper)
    upload = SimpleUploadedFile(
        "wards.geojson", json.dumps(WARDS).encode(), content_type="application/geo+json"
    )

    answer = client.post(f"/groups/{ward.slug}/area/", {"file": upload, "days": "5"})

    assert answer.status_code == 302
    proposal = Proposal.objects.get(group=ward, kind="change-area")
    assert proposal.new_area.area_km2 > 1


@pytest.mark.parametrize(
    ("area", "message"),
    [
        ("", "Draw the new area on the map, or give it as GeoJSON."),
        ("{not json", "That is not GeoJSON: it could not be read."),
        ('{"type": "Point", "coordinates": [0, 51]}', "That GeoJSON cannot be an area"),
    ],
)
def test_a_bad_area_is_refused_with_a_message(client, ward, helper, area, message):
    client.force_login(helper)

    answer = client.post(f"/groups/{ward.slug}/area/", {"area": area, "days": "7"})

    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not Proposal.objects.filter(group=ward).exists()


def test_the_page_shows_the_area_and_the_areas_it_overlaps_to_anyone(client, ward):
    dalston = make_group(name="Dalston Mutual Aid", center=(51.5465, -0.0750), radius_km=1.5)
    make_group(name="Far Away", center=(51.60, -0.25), radius_km=1)

    page = client.get(f"/groups/{ward.slug}/area/").content.decode()

    assert f'data-overlap="{dalston.slug}"' in page
    assert "Far Away" not in page.split('id="area-outlines"')[1]
    outlines = json.loads(
        page.split('id="area-outlines" type="application/json">')[1].split("</script>")[0]
    )
    assert outlines["group"]["type"] in ("Polygon", "MultiPolygon")
    assert [o["name"] for o in outlines["overlaps"]] == ["Dalston Mutual Aid"]
    # Only members see the form.
    assert 'name="area"' not in page
    assert "Members of the group can propose a new area." in page


def test_only_members_propose(client, ward, outsider):
    assert client.post(f"/groups/{ward.slug}/area/", {"area": "{}"}).status_code == 302
    client.force_login(outsider)

    answer = client.post(
        f"/groups/{ward.slug}/area/", {"area": json.dumps(DE_BEAUVOIR), "days": "7"}
    )

    assert answer.status_code == 403
    assert not Proposal.objects.filter(group=ward).exists()


def test_the_api_reads_and_proposes_an_area(client, ward, helper, outsider):
    dalston = make_group(name="Dalston Mutual Aid", center=(51.5465, -0.0750), radius_km=1.5)
    member = {"Authorization": f"Bearer {issue_token(user=helper)}"}
    stranger = {"Authorization": f"Bearer {issue_token(user=outsider)}"}

    shown = client.get(f"/api/v1/groups/{ward.slug}/area").json()
    opened = client.post(
        f"/api/v1/groups/{ward.slug}/area",
        {"area": DE_BEAUVOIR, "days": 3},
        content_type="application/json",
        headers=member,
    )
    refused = client.post(
        f"/api/v1/groups/{ward.slug}/area",
        {"area": DE_BEAUVOIR},
        content_type="application/json",
        headers=stranger,
    )
    bad = client.post(
        f"/api/v1/groups/{ward.slug}/area",
        {"area": {"type": "Point", "coordinates": [0, 51]}},
        content_type="application/json",
        headers=member,
    )

    assert shown["overlaps"] == [
        {"group": dalston.slug, "name": "Dalston Mutual Aid", "established": True}
    ]
    assert shown["outline"]["type"] in ("Polygon", "MultiPolygon")
    assert opened.status_code == 201
    assert Proposal.objects.get(pk=opened.json()["proposal"]).kind == "change-area"
    assert refused.status_code == 403 and "detail" in refused.json()
    assert bad.status_code == 400 and "cannot be an area" in bad.json()["detail"]
    assert client.get("/api/v1/groups/atlantis/area").status_code == 404
