"""Accounts, profiles and API tokens, through the people services."""

from __future__ import annotations

import hashlib
from datetime import time, timedelta
from typing import Any

import pytest
from django.forms.models import model_to_dict

from mutua.core import geo
from mutua.core.categories import Category
from mutua.core.errors import InvalidInput
from mutua.core.tests.factories import HACKNEY
from mutua.people import selectors, services
from mutua.people.models import ApiToken, Profile, User

pytestmark = pytest.mark.django_db

LONG_EMAIL = "a" * 64 + "@" + ("b" * 60 + ".") * 4 + "org"


def update(user: User, **overrides: Any) -> Profile:
    fields: dict[str, Any] = {
        "display_name": "Ada",
        "languages": ["en"],
        "skills": [Category.GROCERIES],
        "travel_radius_km": 3,
        "home": None,
        "available_days": [5, 6],
    }
    fields.update(overrides)
    return services.update_profile(user=user, **fields)


# Accounts.


def test_an_account_is_made_with_a_lower_case_email_and_an_empty_profile():
    user = services.create_account(
        email="  Ada.Lovelace@Example.ORG ", password="analytical engine", display_name=" Ada "
    )

    assert user.email == "ada.lovelace@example.org"
    assert user.check_password("analytical engine")
    assert user.profile.display_name == "Ada"
    assert user.profile.skills == []
    assert selectors.user_by_email("ADA.LOVELACE@example.org") == user


def test_an_account_without_a_password_cannot_log_in():
    user = services.create_account(email="caller@example.org")
    assert not user.has_usable_password()


@pytest.mark.parametrize("email", ["ASKER@example.org", "asker@EXAMPLE.org", " asker@example.org"])
def test_the_same_email_in_another_case_is_refused(asker, email):
    with pytest.raises(InvalidInput, match="already exists") as refused:
        services.create_account(email=email)
    assert refused.value.field == "email"
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"email": ""}, "email", id="empty email"),
        pytest.param({"email": "ada"}, "email", id="no at sign"),
        pytest.param({"email": "ada@localhost@x"}, "email", id="two at signs"),
        pytest.param({"email": LONG_EMAIL}, "email", id="email too long to store"),
        pytest.param(
            {"email": "ada@example.org", "display_name": "x" * 81}, "display_name", id="long name"
        ),
    ],
)
def test_bad_accounts_are_refused_and_nothing_is_saved(fields, field):
    with pytest.raises(InvalidInput) as refused:
        services.create_account(**fields)
    assert refused.value.field == field
    assert not User.objects.exists()
    assert not Profile.objects.exists()


# Profiles.


def test_a_profile_is_saved_cleaned(helper):
    profile = update(
        helper,
        display_name="  Sam  ",
        languages=[" EN ", "bn", "pt-BR", "", "en"],
        skills=[Category.PETS, Category.GROCERIES, Category.PETS],
        travel_radius_km=12,
        available_days=[6, 0, 6],
        available_from=time(9),
        available_to=time(17),
        paused=True,
    )

    profile = Profile.objects.get(pk=profile.pk)
    assert profile.display_name == "Sam"
    assert profile.languages == ["bn", "en", "pt-br"]
    assert profile.skills == ["groceries", "pets"]
    assert profile.travel_radius_km == 12
    assert profile.available_days == [0, 6]
    assert (profile.available_from, profile.available_to) == (time(9), time(17))
    assert profile.paused is True
    assert User.objects.get(pk=helper.pk).display_name == "Sam"


def test_home_is_kept_only_as_the_centre_of_a_coarse_cell(helper):
    door = (51.54893, -0.05712)
    update(helper, home=door)

    profile = Profile.objects.get(user=helper)
    assert profile.home_cell == geo.public_cell(*door)
    assert (profile.home_lat, profile.home_lon) == pytest.approx(geo.cell_center(profile.home_cell))
    # Nowhere in the row is the point that was given.
    stored = model_to_dict(profile).values()
    assert door[0] not in stored
    assert door[1] not in stored
    assert profile.home_lat is not None
    assert profile.home_lon is not None
    assert 0 < geo.haversine_km(*door, profile.home_lat, profile.home_lon) < 0.6


def test_two_doors_in_one_cell_give_the_same_home(helper, other_helper):
    centre = geo.cell_center(geo.public_cell(*HACKNEY))
    update(helper, home=(centre[0] + 0.0004, centre[1]))
    update(other_helper, home=(centre[0], centre[1] - 0.0004))

    one, two = Profile.objects.get(user=helper), Profile.objects.get(user=other_helper)
    assert (one.home_cell, one.home_lat, one.home_lon) == (
        two.home_cell,
        two.home_lat,
        two.home_lon,
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        pytest.param({"skills": ["gardening"]}, "skills", id="unknown skill"),
        pytest.param({"skills": ["groceries", "Pets"]}, "skills", id="skill label not slug"),
        pytest.param({"travel_radius_km": -1}, "travel_radius_km", id="negative radius"),
        pytest.param({"travel_radius_km": 501}, "travel_radius_km", id="radius over 500"),
        pytest.param({"available_days": [7]}, "available_days", id="day 7"),
        pytest.param({"available_days": [-1]}, "available_days", id="day -1"),
        pytest.param({"home": (91.0, 0.0)}, "home", id="latitude 91"),
        pytest.param({"home": (0.0, 181.0)}, "home", id="longitude 181"),
        pytest.param({"home": (float("nan"), 0.0)}, "home", id="NaN home"),
        pytest.param({"languages": ["english"]}, "languages", id="language word"),
        pytest.param({"languages": ["en\x00"]}, "languages", id="NUL in language"),
        pytest.param({"display_name": "x" * 81}, "display_name", id="long name"),
        pytest.param({"display_name": "Ada\x00"}, "display_name", id="NUL in name"),
    ],
)
def test_bad_profiles_are_refused_and_the_old_profile_stays(helper, overrides, field):
    update(helper, display_name="Before", home=HACKNEY, travel_radius_km=5)
    before = model_to_dict(Profile.objects.get(user=helper))

    with pytest.raises(InvalidInput) as refused:
        update(helper, **overrides)

    assert refused.value.field == field
    assert model_to_dict(Profile.objects.get(user=helper)) == before


def test_radius_limits_are_allowed(helper):
    assert update(helper, travel_radius_km=0).travel_radius_km == 0
    assert update(helper, travel_radius_km=500).travel_radius_km == 500


def test_a_profile_is_made_for_an_account_that_has_none():
    user = User.objects.create_user(email="signed-up@example.org")
    assert not Profile.objects.filter(user=user).exists()

    profile = update(user, display_name="New")

    assert profile.user == user
    assert services.ensure_profile(user=user) == profile


# API tokens.


def test_a_token_leads_back_to_its_account_and_only_its_hash_is_kept(helper):
    key = services.issue_token(user=helper)

    assert key.startswith(services.TOKEN_PREFIX)
    token = ApiToken.objects.get(user=helper)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(model_to_dict(token))
    assert selectors.user_for_token(key) == helper
    # Reading a token is a read: only using it on the API records the use.
    assert ApiToken.objects.get(pk=token.pk).last_used_at is None


def test_using_a_token_records_its_last_use_at_most_once_a_minute(client, helper):
    key = services.issue_token(user=helper)
    token = ApiToken.objects.get(user=helper)

    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first

    later = services.record_token_use(token=token, now=first + timedelta(minutes=2))
    assert ApiToken.objects.get(pk=token.pk).last_used_at == later.last_used_at
    assert later.last_used_at == first + timedelta(minutes=2)


def test_each_token_is_different_and_each_works(helper):
    first, second = services.issue_token(user=helper), services.issue_token(user=helper)
    assert first != second
    assert selectors.user_for_token(first) == selectors.user_for_token(second) == helper


def test_an_unknown_or_altered_token_finds_nobody(helper):
    key = services.issue_token(user=helper)
    assert selectors.user_for_token(key[:-1]) is None
    assert selectors.user_for_token(key + "x") is None
    assert selectors.user_for_token("") is None


def test_a_deactivated_account_token_stops_working(helper):
    key = services.issue_token(user=helper)
    User.objects.filter(pk=helper.pk).update(is_active=False)
    assert selectors.user_for_token(key) is None
