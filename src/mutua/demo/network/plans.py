"""The shape of a demo plan, decided before anything is written, and of what was built."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Place:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True)
class GroupPlan:
    name: str
    slug: str
    kind: str
    center: tuple[float, float]
    radius_km: float
    resolution: int
    description: str
    place: str  # the named place at its centre, for street addresses
    parent: int | None = None  # index into DemoPlan.groups


@dataclass(frozen=True)
class MemberPlan:
    email: str
    display_name: str
    languages: list[str]
    skills: list[str]
    travel_radius_km: int
    home: tuple[float, float]
    available_days: list[int]
    hours: tuple[int, int] | None
    paused: bool
    joined_days_ago: float
    ward: int  # index into DemoPlan.groups


@dataclass(frozen=True)
class Step:
    """One move of an ask after it is created, `hours_after` the previous one."""

    action: str  # claim | release | done | cancel | expire
    actor: str | None  # email
    hours_after: float


@dataclass(frozen=True)
class AskPlan:
    what: str
    category: str
    urgency: int
    language: str
    place: tuple[float, float]
    address: str
    contact_name: str
    contact_phone: str
    contact_email: str
    asker: str | None
    recorded_by: str | None
    age_days: float
    steps: list[Step]
    state: str


@dataclass(frozen=True)
class OfferPlan:
    member: str
    kind: str
    category: str
    what: str
    group: int


@dataclass
class DemoPlan:
    groups: list[GroupPlan]
    members: list[MemberPlan]
    demo_member: MemberPlan
    asks: list[AskPlan]
    offers: list[OfferPlan]


@dataclass
class DemoSummary:
    groups: int
    members: int
    asks_by_status: dict[str, int]
    unrouted: int
    offers: int
    seconds: float


class Progress(Protocol):
    def stage(self, name: str, total: int) -> None: ...

    def advance(self, amount: int = 1) -> None: ...
