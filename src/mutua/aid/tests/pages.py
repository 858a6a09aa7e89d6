"""Sending the ask form as a person without JavaScript would: the form, then the second
step that confirms the place (mutua.aid.forms.place_step)."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

_TICKED = re.compile(r'name="place_choice" value="([^"]+)" checked')


def send_ask(client: Client, data: dict[str, Any], url: str = "/ask/", **kwargs: Any) -> Any:
    """POST the form; if it comes back asking to confirm the place, confirm the place it
    ticked and POST again. Returns the last response."""
    response = client.post(url, data, **kwargs)
    ticked = _TICKED.search(response.content.decode()) if response.status_code == 200 else None
    if ticked is None:
        return response
    return client.post(url, {**data, "place_choice": ticked.group(1)}, **kwargs)
