"""Which language the pages speak: the person's choice, then the browser's, then the
site's default (MUTUA_LANGUAGE); and the translations shipped for each language."""

from __future__ import annotations

import gettext
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from mutua.people.models import Profile

LOCALE = Path(settings.LOCALE_PATHS[0])
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != "en"]
# A placeholder in a translatable string: %(name)s, %s, %d or {{ name }} / {name}.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdfr]|%[sdfr]|\{\{?\s*\w+\s*\}?\}")


def _page(client: Client, path: str = "/", *, browser_language: str = "") -> str:
    headers = {"Accept-Language": browser_language} if browser_language else {}
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_browser_language_is_used_when_the_person_chose_none(client):
    html = _page(client, "/", browser_language="es-ES,es;q=0.9,en;q=0.5")

    assert '<html lang="es" dir="ltr">' in html
    assert "Pedir ayuda" in html


@pytest.mark.django_db
def test_arabic_pages_are_right_to_left(client):
    html = _page(client, "/ask/", browser_language="ar")

    assert '<html lang="ar" dir="rtl">' in html
    assert "Ask for help" not in html


@pytest.mark.django_db
def test_a_browser_language_without_translation_gets_the_site_default(client, settings):
    settings.LANGUAGE_CODE = "fr"

    html = _page(client, browser_language="bn-BD,bn;q=0.9")

    # Never lang="bn" over pages that are not in Bengali.
    assert '<html lang="fr" dir="ltr">' in html


@pytest.mark.django_db
def test_the_switcher_choice_beats_the_browser_language(client):
    response = client.post("/i18n/setlang/", {"language": "pl", "next": "/board/"})

    assert response.status_code == 302 and response["Location"] == "/board/"
    html = _page(client, "/board/", browser_language="es")
    assert '<html lang="pl" dir="ltr">' in html


@pytest.mark.django_db
def test_the_switcher_does_not_offer_or_accept_an_untranslated_language(client):
    client.post("/i18n/setlang/", {"language": "bn", "next": "/"})

    html = _page(client)
    assert '<html lang="en" dir="ltr">' in html
    offered = re.findall(r'<option value="([\w-]+)" lang=', html)
    assert offered == [code for code, _name in settings.LANGUAGES]


@pytest.mark.django_db
def test_a_members_choice_follows_them_to_another_device(helper):
    laptop = Client()
    laptop.force_login(helper)
    laptop.post("/i18n/setlang/", {"language": "ar", "next": "/"})

    assert Profile.objects.get(user=helper).language == "ar"
    phone = Client()
    phone.force_login(helper)
    html = _page(phone, "/board/", browser_language="es")
    assert '<html lang="ar" dir="rtl">' in html


@pytest.mark.django_db
def test_a_member_who_chose_nothing_gets_their_browser_language(helper):
    client = Client()
    client.force_login(helper)

    html = _page(client, "/me/", browser_language="fr-FR")

    assert '<html lang="fr" dir="ltr">' in html


def test_a_default_language_without_translation_is_one_clear_line():
    env = {**os.environ, "MUTUA_LANGUAGE": "xx"}

    result = subprocess.run(
        [sys.executable, "-m", "mutua", "check"], env=env, capture_output=True, text=True
    )

    assert result.returncode == 2
    assert "MUTUA_LANGUAGE must be one of en, es, fr, pl, ar, not 'xx'" in result.stderr
    assert "Traceback" not in result.stderr


def _unquote(line: str) -> str:
    return str(json.loads(line[line.index('"') :]))


def _read_po(path: Path) -> list[dict[str, object]]:
    """The entries of a .po file: msgctxt, msgid, msgid_plural, msgstr (a list) and flags."""
    entries: list[dict[str, object]] = []
    entry: dict[str, object] = {}
    field = ""
    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                entries.append(entry)
            entry, field = {}, ""
        elif line.startswith("#,"):
            entry["flags"] = line[2:].replace(" ", "").split(",")
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if field.startswith("msgstr"):
                strings = entry["msgstr"]
                assert isinstance(strings, list)
                strings[-1] += _unquote(line)
            else:
                entry[field] = str(entry[field]) + _unquote(line)
        else:
            field, _space, _rest = line.partition(" ")
            if field.startswith("msgstr"):
                entry.setdefault("msgstr", [])
                strings = entry["msgstr"]
                assert isinstance(strings, list)
                strings.append(_unquote(line))
            else:
                entry[field] = _unquote(line)
    return entries[1:]  # the first entry is the catalogue's header


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_is_translated_and_compiled(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    with mo.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog

    entries = _read_po(po)

    assert len(entries) > 500
    for entry in entries:
        msgid = str(entry["msgid"])
        strings = entry["msgstr"]
        assert isinstance(strings, list)
        flags = entry.get("flags", [])
        assert isinstance(flags, list) and "fuzzy" not in flags, msgid
        assert all(strings), f"not translated into {language}: {msgid!r}"
        for string in strings:
            assert sorted(PLACEHOLDER.findall(string)) == sorted(PLACEHOLDER.findall(msgid)) or (
                "msgid_plural" in entry
            ), f"placeholders differ in {language}: {msgid!r}"
        key = f"{entry['msgctxt']}\x04{msgid}" if "msgctxt" in entry else msgid
        # The .mo the server reads holds the same translation as the .po (it was compiled).
        if "msgid_plural" in entry:
            assert [catalogue[(key, n)] for n in range(len(strings))] == strings, msgid
        else:
            assert catalogue[key] == strings[0], msgid
