"""Input of the wrong shape is explained in the request's language, like every other API
error: the common kinds of pydantic complaint are said again in translatable words."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from mutua.core.input_errors import explain
from mutua.core.tests.factories import HACKNEY
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    # A request in Arabic leaves Arabic active in this thread; the next test must not
    # inherit it.
    yield
    translation.deactivate()


GOOD = {
    "what": "Bread and milk",
    "category": "groceries",
    "place": {"lat": HACKNEY[0], "lon": HACKNEY[1]},
    "contact": {"name": "Ada", "phone": "", "email": "", "address": "12 Example Road"},
    "consent": True,
}


def ask(client, language: str, **changes: Any) -> Any:
    body = {**GOOD, **changes}
    for key in [k for k, v in changes.items() if v is None]:
        del body[key]
    return client.post(
        "/api/v1/asks",
        json.dumps(body),
        content_type="application/json",
        headers={"Accept-Language": language},
    )


# (what is wrong, the field it names, what each language says about it)
CASES = [
    (
        {"what": None},
        "what",
        {
            "en": "This field is required.",
            "es": "Este campo es obligatorio.",
            "fr": "Ce champ est obligatoire.",
            "pl": "To pole jest wymagane.",
            "ar": "هذا الحقل مطلوب.",
        },
    ),
    (
        {"what": ["a", "list"]},
        "what",
        {
            "en": "Must be text.",
            "es": "Debe ser texto.",
            "fr": "Doit être du texte.",
            "pl": "Musi być tekstem.",
            "ar": "يجب أن يكون نصًا.",
        },
    ),
    (
        {"place": {"lat": "north", "lon": 0}},
        "place.lat",
        {
            "en": "Must be a number.",
            "es": "Debe ser un número.",
            "fr": "Doit être un nombre.",
            "pl": "Musi być liczbą.",
            "ar": "يجب أن يكون رقمًا.",
        },
    ),
    (
        {"place": {"lat": 95, "lon": 0}},
        "place.lat",
        {
            "en": "Must be at most 90.",
            "es": "Debe ser como máximo 90.",
            "fr": "Doit être au plus 90.",
            "pl": "Musi wynosić najwyżej 90.",
            "ar": "يجب ألا يزيد على 90.",
        },
    ),
    (
        {"contact": {**GOOD["contact"], "phone": "1" * 41}},  # type: ignore[dict-item]
        "contact.phone",
        {
            "en": "Use at most 40 characters.",
            "es": "Usa como máximo 40 caracteres.",
            "fr": "Utilisez au plus 40 caractères.",
            "pl": "Liczba znaków nie może przekraczać 40.",
            "ar": "الحد الأقصى لعدد الأحرف: 40.",
        },
    ),
]


@pytest.mark.parametrize("language", ["en", "es", "fr", "pl", "ar"])
@pytest.mark.parametrize(("changes", "field", "said"), CASES)
def test_a_shape_error_is_explained_in_the_requests_language(
    client, ward, language, changes, field, said
):
    response = ask(client, language, **changes)

    assert response.status_code == 422
    body = response.json()
    assert f"{field}: {said[language]}" in body["detail"]
    # The machine-readable parts stay as pydantic gives them, for scripts.
    error = next(e for e in body["errors"] if ".".join(map(str, e["loc"])).endswith(field))
    assert error["msg"] == said[language]
    assert error["type"]


@pytest.mark.parametrize("value", ["25:00", "nine", [9], True, 86400])
def test_a_time_of_day_of_the_wrong_shape_is_explained_in_our_words(client, helper, value):
    # pydantic's own: "Input should be in a valid time format, hour value is outside
    # expected range of 0-23", which no catalogue translates.
    response = client.put(
        "/api/v1/me",
        json.dumps({"available_to": value}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {issue_token(user=helper)}", "Accept-Language": "en"},
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["msg"] == "Must be a time of day, such as 09:00."
    assert response.json()["detail"] == "available_to: Must be a time of day, such as 09:00."


def test_a_kind_of_error_not_listed_keeps_pydantics_own_words():
    error = {"type": "uuid_parsing", "msg": "Input should be a valid UUID", "ctx": {}}

    with translation.override("fr"):
        assert explain(error) == "Input should be a valid UUID"


def test_one_character_is_singular_and_two_plural():
    with translation.override("en"):
        one = explain({"type": "string_too_short", "ctx": {"min_length": 1}})
        two = explain({"type": "string_too_long", "ctx": {"max_length": 2}})
    with translation.override("fr"):
        deux = explain({"type": "string_too_long", "ctx": {"max_length": 2}})

    assert (one, two) == ("Use at least 1 character.", "Use at most 2 characters.")
    assert deux == "Utilisez au plus 2 caractères."
