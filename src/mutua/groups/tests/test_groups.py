"""Groups: creating one with an area, joining in one step, leaving."""

from __future__ import annotations

from typing import Any, cast

import h3
import pytest

from mutua.core import geo
from mutua.core.errors import InvalidInput, NotFound
from mutua.core.tests.factories import HACKNEY, UserFactory, establish
from mutua.groups import selectors, services
from mutua.groups.models import Group, GroupCell, Membership
from mutua.people.models import User

pytestmark = pytest.mark.django_db

AREA = geo.disk(HACKNEY[0], HACKNEY[1], 1, resolution=8)


def create(**overrides: Any) -> Group:
    fields: dict[str, Any] = {"name": "Dalston Mutual Aid", "cells": AREA}
    fields.update(overrides)
    return establish(services.create_group(**fields))


def centre(group: Group) -> tuple[float, float]:
    assert group.center_lat is not None
    assert group.center_lon is not None
    return group.center_lat, group.center_lon


def test_a_group_is_created_with_its_area_and_routing_finds_it():
    group = create(description="  Street by street, since 2020.  ")

    assert group.slug == "dalston-mutual-aid"
    assert group.kind == "ward"
    assert group.description == "Street by street, since 2020."
    area = sum(h3.cell_area(c, unit="km^2") for c in AREA)
    assert group.area_km2 == pytest.approx(area, rel=0.01)
    # The area is a disk around Hackney's cell, so its centre is that cell's centre.
    middle = geo.cell_center(geo.public_cell(*HACKNEY))
    assert geo.haversine_km(*middle, *centre(group)) < 0.05
    assert selectors.smallest_group_covering(*HACKNEY) == group
    assert selectors.group_by_slug("dalston-mutual-aid") == group


def test_a_group_across_the_date_line_is_centred_on_it():
    taveuni = (-16.85, 179.99)
    group = create(cells=geo.disk(*taveuni, 3, resolution=8))
    middle = geo.cell_center(geo.public_cell(*taveuni))
    assert geo.haversine_km(*middle, *centre(group)) < 0.05
    assert selectors.smallest_group_covering(-16.85, -179.99) == group


def test_an_area_is_stored_compacted_but_covers_every_cell_given():
    cells = list(h3.grid_disk(h3.latlng_to_cell(HACKNEY[0], HACKNEY[1], 9), 6))
    group = create(cells=cells)

    stored = list(GroupCell.objects.filter(group=group).values_list("cell", flat=True))
    # Seven children with their parent present are kept as the parent alone.
    assert len(stored) < len(cells)
    assert set(h3.uncompact_cells(stored, 9)) == set(cells)
    for cell in cells:
        assert selectors.smallest_group_covering(*h3.cell_to_latlng(cell)) == group


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"name": ""}, "name", id="empty name"),
        pytest.param({"name": "   "}, "name", id="blank name"),
        pytest.param({"name": "x" * 121}, "name", id="oversized name"),
        pytest.param({"name": "Dalston\x00"}, "name", id="NUL in name"),
        pytest.param({"description": "x" * 4001}, "description", id="oversized description"),
        pytest.param({"kind": "club"}, "kind", id="unknown kind"),
        pytest.param({"cells": []}, "cells", id="no area"),
        pytest.param({"cells": ["not-a-cell"]}, "cells", id="bad cell"),
        pytest.param({"cells": [*AREA, "8a2a1072b59ffff0"]}, "cells", id="one bad cell"),
        pytest.param(
            {"cells": ["8029fffffffffff", h3.latlng_to_cell(*HACKNEY, 15)]},
            "cells",
            id="continent next to a doorstep",
        ),
        pytest.param({"slug": "Dalston Aid!"}, "slug", id="bad slug"),
        pytest.param({"slug": "s" * 81}, "slug", id="oversized slug"),
        pytest.param({"name": "!!!"}, "slug", id="name without letters"),
    ],
)
def test_bad_groups_are_refused_and_nothing_is_saved(overrides, field):
    with pytest.raises(InvalidInput) as refused:
        create(**overrides)

    assert refused.value.field == field
    assert refused.value.message
    assert not Group.objects.exists()
    assert not GroupCell.objects.exists()


def test_a_taken_short_name_is_refused():
    first = create()
    with pytest.raises(InvalidInput, match="dalston-mutual-aid is taken") as refused:
        create(name="Dalston  Mutual-Aid")
    assert refused.value.field == "slug"
    with pytest.raises(InvalidInput, match="is taken"):
        create(name="Another name", slug="dalston-mutual-aid")
    assert list(Group.objects.all()) == [first]


def test_a_long_name_still_gets_a_short_name_that_fits():
    group = create(name="Mutual Aid " + "Stoke Newington and Dalston " * 3)
    assert 0 < len(group.slug) <= 80
    assert not group.slug.endswith("-")
    assert selectors.group_by_slug(group.slug) == group


def test_a_chosen_short_name_is_kept():
    assert create(slug="dalston").slug == "dalston"


def test_joining_is_one_step_and_joining_twice_changes_nothing(outsider):
    group = create()
    assert not selectors.is_member(group=group, user=outsider)

    first = services.join_group(group=group, user=outsider)
    second = services.join_group(group=group, user=outsider)

    assert first.pk == second.pk
    assert Membership.objects.filter(group=group, user=outsider).count() == 1
    assert selectors.is_member(group=group, user=outsider)
    assert list(selectors.groups_of(outsider)) == [group]
    assert selectors.groups_with_counts().get(pk=group.pk).member_count == 1


def test_leaving_ends_membership_and_leaving_again_is_harmless(helper, ward):
    other = cast(User, UserFactory())
    services.join_group(group=ward, user=other)

    services.leave_group(group=ward, user=helper)
    services.leave_group(group=ward, user=helper)

    assert not selectors.is_member(group=ward, user=helper)
    assert selectors.is_member(group=ward, user=other)
    assert list(selectors.groups_of(helper)) == []


def test_a_person_can_be_in_several_groups(outsider, ward):
    other = create(slug="dalston")
    services.join_group(group=ward, user=outsider)
    services.join_group(group=other, user=outsider)
    assert set(selectors.groups_of(outsider)) == {ward, other}


def test_an_unknown_short_name_is_not_found():
    with pytest.raises(NotFound):
        selectors.group_by_slug("nowhere")


def test_changing_the_area_moves_the_centre_and_the_coverage(ward):
    manchester = (53.4808, -2.2426)
    services.set_group_area(group=ward, cells=geo.disk(*manchester, 1, resolution=8))

    ward.refresh_from_db()
    middle = geo.cell_center(geo.public_cell(*manchester))
    assert geo.haversine_km(*middle, *centre(ward)) < 0.05
    assert selectors.smallest_group_covering(*manchester) == ward
    assert selectors.smallest_group_covering(*HACKNEY) is None


def test_a_bad_new_area_keeps_the_old_one(ward):
    with pytest.raises(InvalidInput):
        services.set_group_area(group=ward, cells=[])
    assert selectors.smallest_group_covering(*HACKNEY) == ward
