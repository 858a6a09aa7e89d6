"""The printed leaflet, read back as a neighbour and a phone would read it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from mutua.core.tests.factories import make_group
from mutua.outreach.tests import pdf_tools

NUMBER = "+447700900123"
BASE = "https://aid.example.org"


@pytest.fixture(scope="module")
def en_ar(
    django_db_setup: None, django_db_blocker, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """`mutua leaflet --group SLUG --lang en,ar --out FILE.pdf`, drawn once for this module
    (a PDF takes a second or two), in a transaction rolled back afterwards."""
    out = tmp_path_factory.mktemp("leaflet") / "leaflet.pdf"
    with django_db_blocker.unblock(), transaction.atomic():
        make_group(name="Clapton Mutual Aid", slug="clapton")
        with override_settings(MUTUA_SMS_NUMBER=NUMBER):
            call_command("leaflet", group="clapton", lang="en,ar", out=str(out), base_url=BASE)
        transaction.set_rollback(True)
    return out


def test_one_a4_page_per_language(en_ar: Path) -> None:
    meta = pdf_tools.info(en_ar)
    assert meta["Pages"] == "2"
    assert meta["Page size"].startswith("595.")  # A4 portrait, in points


def test_english_page_says_who_what_and_how(en_ar: Path) -> None:
    text = pdf_tools.text_of(en_ar, 1)
    assert "Clapton Mutual Aid" in text
    assert "Need a hand? Your neighbours" in text
    for help_kind in ("Groceries", "Prescriptions", "Check-in call"):
        assert help_kind in text
    assert "Text HELP and what you need to" in text
    assert f"{BASE}/ask/?group=clapton" in text
    # The number on the leaflet and on each of the seven tear-off tabs.
    assert text.count(NUMBER) == 8


def test_qr_code_opens_the_ask_form_for_the_group(en_ar: Path, tmp_path: Path) -> None:
    expected = f"{BASE}/ask/?group=clapton"
    assert pdf_tools.qr_codes(en_ar, 1, tmp_path) == [expected]
    assert pdf_tools.qr_codes(en_ar, 2, tmp_path) == [expected]


def test_arabic_page_is_arabic(en_ar: Path) -> None:
    text = pdf_tools.text_of(en_ar, 2)
    assert "جيرانك" in text  # "your neighbours", in the headline
    assert "البقالة" in text  # Groceries
    assert "مساعدة" in text  # the keyword that starts an ask by text in Arabic
    assert text.count(NUMBER) == 8
    assert "Groceries" not in text


def test_arabic_is_shaped(en_ar: Path) -> None:
    forms = pdf_tools.arabic_forms(en_ar)
    # Lam and yeh joined in several positions: several glyphs each, not one.
    assert forms["ل"] >= 2
    assert forms["ي"] >= 2
    # Lam-alef, which Arabic always writes as one ligature.
    assert any(len(text) == 2 and text.startswith("ل") for text in forms)


@pytest.mark.django_db
def test_a5_puts_two_leaflets_on_a_landscape_a4(tmp_path: Path) -> None:
    make_group(name="Clapton Mutual Aid", slug="clapton")
    out = tmp_path / "a5.pdf"
    call_command("leaflet", group="clapton", lang="fr", size="a5", out=str(out), base_url=BASE)
    meta = pdf_tools.info(out)
    assert meta["Pages"] == "1"
    assert meta["Page size"].startswith("841.")  # A4 landscape
    text = pdf_tools.text_of(out)
    assert text.count("Clapton Mutual Aid") == 2 * (1 + 5)  # each copy: heading + 5 tabs
    assert pdf_tools.qr_codes(out, 1, tmp_path) == [f"{BASE}/ask/?group=clapton"] * 2


@pytest.mark.django_db
def test_command_refuses_bad_arguments_in_one_line(tmp_path: Path) -> None:
    make_group(slug="clapton")
    out = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="no group with the short name nowhere"):
        call_command("leaflet", group="nowhere", lang="en", out=out)
    with pytest.raises(CommandError, match="--group needs a group's short name"):
        call_command("leaflet", group="", lang="en", out=out)
    with pytest.raises(CommandError, match="Unknown language xx"):
        call_command("leaflet", group="clapton", lang="en,xx", out=out)
    with pytest.raises(CommandError, match="No such folder"):
        call_command("leaflet", group="clapton", lang="en", out=str(tmp_path / "no" / "x.pdf"))
    with pytest.raises(CommandError, match="--base-url must start"):
        call_command("leaflet", group="clapton", lang="en", out=out, base_url="aid.example.org")
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.django_db
def test_without_pango_the_command_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A None entry makes `from weasyprint import HTML` fail, as it does without pango.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    make_group(slug="clapton")
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="needs pango"):
        call_command("leaflet", group="clapton", lang="en", out=str(out), base_url=BASE)
    assert not out.exists()
