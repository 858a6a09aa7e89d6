"""A missing thing is a domain NotFound in selectors, a 404 on pages and in the API."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.utils import translation
from django.views.defaults import server_error

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


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/groups/no-such-group/", "/asks/424242/", "/no/such/page/"])
def test_a_missing_page_is_in_the_visitors_language_with_the_sites_links(client, path):
    response = client.get(path, headers={"Accept-Language": "ar"})
    page = response.content.decode()

    assert response.status_code == 404
    assert '<html lang="ar" dir="rtl">' in page
    assert "اطلب المساعدة" in page  # "Ask for help", in the site's own menu
    assert "The requested resource was not found" not in page


def test_the_server_error_page_is_in_the_visitors_language(rf):
    # Django renders it without the request, while something is broken: it must stand
    # alone and still say it in the language the request chose.
    with translation.override("ar"):
        response = server_error(rf.get("/"))
    page = response.content.decode()

    assert response.status_code == 500
    assert '<html lang="ar" dir="rtl">' in page
    assert "Server Error (500)" not in page


@pytest.mark.django_db
def test_a_refused_page_says_why_in_the_visitors_language_with_the_sites_links(
    client, ward, helper
):
    client.force_login(helper)
    response = client.get(f"/groups/{ward.slug}/reports/", headers={"Accept-Language": "es"})
    page = response.content.decode()

    assert response.status_code == 403
    assert '<html lang="es" dir="ltr">' in page
    assert "Pedir ayuda" in page  # "Ask for help", in the site's own menu
    assert "<h1>403 Forbidden</h1>" not in page


def test_a_bad_request_page_stands_alone_in_the_servers_language(client):
    response = client.get("/", headers={"Host": "not-this-server.example"})
    page = response.content.decode()

    assert response.status_code == 400
    assert '<html lang="en" dir="ltr">' in page
    assert "<h1>Bad Request (400)</h1>" not in page
