"""What the incident tests share: a flooded area around the ward's centre, requests with
a token, and a small network of two wards."""

from __future__ import annotations

from typing import Any

from django.test import Client

from mutua.core.tests.factories import HACKNEY, UserFactory, make_group, trusted
from mutua.groups import services as group_services
from mutua.groups.models import Group
from mutua.people.models import User
from mutua.people.services import issue_token

LAT, LON = HACKNEY
# About 2 km by 2 km around the ward's centre.
AREA: dict[str, Any] = {
    "type": "Feature",
    "properties": {"name": "Flooded streets"},
    "geometry": {
        "type": "Polygon",
        "coordinates": [
            [
                [LON - 0.015, LAT - 0.009],
                [LON + 0.015, LAT - 0.009],
                [LON + 0.015, LAT + 0.009],
                [LON - 0.015, LAT + 0.009],
                [LON - 0.015, LAT - 0.009],
            ]
        ],
    },
}
# Inside the ward but outside the flooded streets.
OUTSIDE = (LAT + 0.016, LON)


def bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(user=user)}"}


def get(client: Client, path: str, user: User) -> Any:
    return client.get(path, headers=bearer(user))


def post(client: Client, path: str, body: dict[str, Any], user: User) -> Any:
    return client.post(path, body, content_type="application/json", headers=bearer(user))


def open_incident(client: Client, user: User, ward: Group, **fields: Any) -> Any:
    body = {"group": ward.slug, "name": "River Lea flood", "kind": "flood", "area": AREA}
    return post(client, "/api/v1/incidents", body | fields, user)


def network_with(ward: Group) -> tuple[Group, Group]:
    """A network the ward is part of, and a second ward in it (Islington)."""
    network = make_group(name="London Mutual Aid", radius_km=15, kind="network")
    group_services.set_parent(group=ward, parent=network)
    neighbour = make_group(
        name="Islington", center=(51.53622, -0.10304), radius_km=2, parent=network
    )
    return network, neighbour


def trusted_in(group: Group, email: str) -> User:
    return trusted(group, UserFactory.create(email=email))
