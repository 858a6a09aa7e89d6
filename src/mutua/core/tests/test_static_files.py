"""Static files: hashed names served with a year-long cache once collected, plain names
(and a warning from `mutua serve`) before; the stylesheet inside the page (issue 21)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

from mutua.core.management.commands.serve import Command as Serve
from mutua.core.staticfiles import manifest_problem

pytestmark = pytest.mark.django_db

STORAGE = "mutua.core.staticfiles.StaticStorage"


@pytest.fixture
def collected_site(settings, tmp_path: Path) -> Path:
    """The manifest storage over one small source folder (the real apps' files take a
    minute to compress), collected into its own STATIC_ROOT."""
    source = tmp_path / "source"
    source.mkdir()
    (source / "app.js").write_text("console.log('mutua');\n" * 50)
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": STORAGE}}
    settings.DEBUG = False
    return source


def test_collected_files_have_hashed_names_served_with_a_year_long_cache(collected_site):
    assert manifest_problem() == "missing"
    assert staticfiles_storage.url("app.js") == "/static/app.js"  # before: plain, no error

    call_command("collectstatic", "--no-input", verbosity=0)

    hashed = staticfiles_storage.url("app.js")
    assert hashed.startswith("/static/app.") and hashed != "/static/app.js"
    assert manifest_problem() is None
    # A new server (its whitenoise reads STATIC_ROOT when it starts).
    response = Client().get(hashed, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
    plain = Client().get("/static/app.js")
    assert plain["Cache-Control"] == "max-age=60, public"


def test_a_file_changed_after_collecting_is_reported_stale(collected_site):
    call_command("collectstatic", "--no-input", verbosity=0)
    changed = collected_site / "app.js"
    later = time.time() + 5
    os.utime(changed, (later, later))

    assert manifest_problem() == "stale"


def test_serve_says_loudly_when_the_files_are_not_collected(collected_site, capsys):
    Serve()._check_static()

    said = capsys.readouterr().err
    assert "Static files are not collected" in said
    assert "Run `mutua collectstatic --no-input`" in said


def test_the_stylesheet_is_inside_the_page_not_a_blocking_link(client):
    html = client.get("/ask/").content.decode()

    assert 'rel="stylesheet"' not in html
    assert "<style>" in html and "--accent" in html
