"""Light pages for old phones and slow connections: what a first visit downloads."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024  # bytes transferred for the ask form's first view (HTML + CSS + JS)
ASSET = re.compile(r'<(?:link|script)\b[^>]*?\b(?:href|src)="(/static/[^"]+)"')


def _transferred(client: Client, path: str) -> tuple[int, str]:
    response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200, path
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(body), response.get("Content-Encoding", "")


def test_the_ask_form_first_view_is_under_60_kb_gzipped(client, ward):
    html = client.get("/ask/").content.decode()
    assets = ASSET.findall(html)

    sizes = {path: _transferred(client, path) for path in ["/ask/", *assets]}

    assert all(encoding == "gzip" for _size, encoding in sizes.values()), sizes
    assert sum(size for size, _encoding in sizes.values()) <= BUDGET, sizes
    # The map library is fetched only when someone opens a map.
    assert not [path for path in assets if "leaflet" in path]
    # The stylesheet comes inside the page (counted in its HTML): no render-blocking link.
    assert not any(path.endswith(".css") for path in assets)
    assert "<style>" in html


def test_api_answers_are_not_compressed(client, ward):
    response = client.get("/api/v1/asks", HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert "Content-Encoding" not in response
