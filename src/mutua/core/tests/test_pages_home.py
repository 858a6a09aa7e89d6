from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_home_says_what_mutua_is_and_offers_both_ways_in(client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/ask/"' in html
    assert 'href="/board/"' in html
    assert 'href="/groups/"' in html
    assert 'href="/accounts/login/"' in html
    assert 'href="/accounts/signup/"' in html
    assert '<html lang="en" dir="ltr">' in html
    assert "<main" in html and "<nav" in html


def test_pages_load_scripts_from_this_server_only(client):
    html = client.get("/ask/").content.decode()
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources, "the page should load its own stylesheet and scripts"
    assert all(s.startswith("/static/") for s in sources), sources
    for path in ("/static/vendor/htmx.min.js", "/static/vendor/leaflet/leaflet.js"):
        response = client.get(path)
        assert response.status_code == 200, path


def test_right_to_left_language_sets_dir_on_html(client):
    client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html


def test_logged_in_member_sees_their_page_and_log_out(client, helper):
    client.force_login(helper)
    html = client.get("/").content.decode()
    assert 'href="/me/"' in html
    assert 'action="/accounts/logout/"' in html
    assert 'href="/accounts/signup/"' not in html


def test_sign_up_and_log_in_pages_render(client):
    assert client.get("/accounts/signup/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
