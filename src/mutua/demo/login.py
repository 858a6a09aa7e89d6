"""How to log in to the demo: said by `mutua demo`, and again, last, by `mutua serve`."""

from __future__ import annotations

import sys

from django.utils.translation import gettext as _

from mutua.demo.network import DEMO_EMAIL, DEMO_PASSWORD, demo_exists


def login_line(address: str) -> str:
    return _(
        "Open %(address)s and log in as %(email)s with the password %(password)s (every "
        "demo member has that password too)."
    ) % {"address": address.rstrip("/"), "email": DEMO_EMAIL, "password": DEMO_PASSWORD}


def say_when_serving(address: str) -> None:
    """The last line `mutua serve` prints, when the demo network is in the database: the
    address it really serves on, and the demo login."""
    if demo_exists():
        sys.stdout.write(login_line(address) + "\n")
        sys.stdout.flush()
