"""A missing thing is a domain NotFound in selectors, a 404 on pages and in the API."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import mutua

SRC = Path(mutua.__file__).parent


def _selector_modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("selectors.py") if "tests" not in p.parts)


@pytest.mark.parametrize("path", _selector_modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_selector_knows_about_http(path):
    tree = ast.parse(path.read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "django.http" not in imported, f"{path} raises HTTP errors; raise NotFound"


@pytest.mark.django_db
def test_a_missing_ask_is_the_404_page_for_a_visitor(client):
    response = client.get("/asks/424242/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_missing_ask_is_a_json_404_in_the_api(client):
    response = client.get("/api/v1/asks/424242")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
