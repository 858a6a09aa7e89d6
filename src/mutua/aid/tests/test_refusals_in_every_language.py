"""A refused claim says what would let the person take the ask, in the language they
read: on the page, in the API and by text, in every language the pages are written in."""

from __future__ import annotations

import pytest
from django.test import Client

from mutua.core.tests.factories import UserFactory, make_ask
from mutua.groups.services import join_group
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db

# What the refusal says to a member nobody has vouched for yet (the ward needs 2).
NOT_TRUSTED = {
    "en": "you need 2 trusted members to vouch for you",
    "es": "necesitas que 2 miembros de confianza te avalen",
    "fr": "il faut que 2 membres de confiance se portent garants de vous",
    "pl": "potrzebujesz, by 2 zaufanych członków poręczyło za ciebie",
    "ar": "تحتاج إلى أن يزكّيك 2 من الأعضاء الموثوقين",
}


@pytest.mark.parametrize("language", sorted(NOT_TRUSTED))
def test_the_refusal_is_in_the_readers_language_on_the_page_the_api_and_by_text(
    ward, language, settings
):
    from mutua.notify.tests.conftest import GROUP_NUMBER, TOKEN, link_phone, text

    settings.MUTUA_TWILIO_AUTH_TOKEN = TOKEN
    settings.MUTUA_SMS_NUMBER = GROUP_NUMBER
    settings.MUTUA_PUBLIC_URL = ""
    newcomer = UserFactory.create(email=f"new-{language}@example.org")
    newcomer.profile.languages = [language]
    newcomer.profile.save()
    join_group(group=ward, user=newcomer)
    # A linked phone is a proven way to reach them; trust is what they lack.
    link_phone(newcomer, "+447700900321")
    expected = NOT_TRUSTED[language]
    browser = {"Accept-Language": language}

    page = Client(headers=browser)
    page.force_login(newcomer)
    on_page = page.post(f"/asks/{make_ask().pk}/claim/", follow=True).content.decode()
    api = Client().post(
        f"/api/v1/asks/{make_ask().pk}/claim",
        headers={"Authorization": f"Bearer {issue_token(user=newcomer)}", **browser},
    )
    by_text = text(f"YES {make_ask().pk}", phone="+447700900321")

    assert expected in on_page
    assert api.status_code == 403
    assert expected in api.json()["detail"]
    assert expected in by_text
