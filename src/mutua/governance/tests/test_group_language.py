"""A group may choose the default language of its members' pages (a setting changed by
proposal). It comes after the member's own choice and after what their browser asks for."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings

from mutua.core.errors import InvalidInput
from mutua.governance.models import GroupSettings, PageLanguage
from mutua.governance.services import parse_setting

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    html: str = response.content.decode()
    start = html.index('<html lang="') + len('<html lang="')
    return html[start : html.index('"', start)]


@pytest.fixture
def spanish_ward(ward):
    GroupSettings.objects.create(group=ward, language="es")
    return ward


def test_a_member_whose_browser_asks_for_no_page_language_gets_the_groups(
    client, spanish_ward, helper
):
    client.force_login(helper)
    response = client.get("/board/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert html_lang(response) == "es"


def test_the_browser_comes_before_the_group(client, spanish_ward, helper):
    client.force_login(helper)
    response = client.get("/board/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert html_lang(response) == "fr"


def test_the_members_own_choice_comes_first(client, spanish_ward, helper):
    helper.profile.language = "pl"
    helper.profile.save()
    client.force_login(helper)
    response = client.get("/board/", HTTP_ACCEPT_LANGUAGE="fr")
    assert html_lang(response) == "pl"


def test_visitors_and_members_of_groups_without_a_choice_get_the_site_default(
    client, spanish_ward, outsider
):
    assert html_lang(client.get("/board/", HTTP_ACCEPT_LANGUAGE="de")) == "en"
    client.force_login(outsider)
    assert html_lang(client.get("/board/", HTTP_ACCEPT_LANGUAGE="de")) == "en"


def test_the_setting_accepts_only_languages_the_pages_are_written_in():
    assert parse_setting("language", "ar") == "ar"
    assert parse_setting("language", "") == ""
    with pytest.raises(InvalidInput):
        parse_setting("language", "de")
    assert set(PageLanguage.values) == {code for code, _n in django_settings.LANGUAGES}
