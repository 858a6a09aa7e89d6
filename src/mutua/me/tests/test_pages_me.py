"""The member's own page: my asks, my claims, my offers, and the profile form."""

from __future__ import annotations

import pytest

from mutua.aid.services import claim_ask
from mutua.core.tests.factories import OfferFactory, make_ask, trusted
from mutua.people.models import Profile, User
from mutua.people.services import issue_token

pytestmark = pytest.mark.django_db


def profile_data(**overrides):
    data = {
        "display_name": "Sam",
        "languages": ["en", "bn"],
        "skills": ["groceries", "pets"],
        "travel_radius_km": "4",
        "home_place": "Bethnal Green",
        "lat": "",
        "lon": "",
        "available_days": ["5", "6"],
        "available_from": "09:00",
        "available_to": "17:30",
    }
    data.update(overrides)
    return data


def test_me_needs_an_account(client):
    response = client.get("/me/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/me/"


def test_me_lists_my_asks_claims_and_offers_and_not_others(client, asker, helper, ward):
    mine = make_ask(what="Prescription pick-up please", asker=asker)
    someone_elses = make_ask(what="Someone else's shopping")
    trusted(ward, asker)
    claim_ask(ask=someone_elses, helper=asker)
    OfferFactory(member=asker, what="I can cook on Sundays")
    OfferFactory(member=helper, what="Helper's offer")
    client.force_login(asker)

    html = client.get("/me/").content.decode()

    assert f'href="/asks/{mine.pk}/"' in html
    assert f'href="/asks/{someone_elses.pk}/"' in html
    assert "I can cook on Sundays" in html
    assert "Helper&#x27;s offer" not in html


def test_profile_edit_saves_through_the_service(client, helper):
    client.force_login(helper)

    response = client.post("/me/", profile_data(), follow=True)

    profile = Profile.objects.get(user=helper)
    assert profile.display_name == "Sam"
    assert profile.languages == ["bn", "en"]
    assert profile.skills == ["groceries", "pets"]
    assert profile.travel_radius_km == 4
    assert profile.available_days == [5, 6]
    assert str(profile.available_from) == "09:00:00"
    assert profile.home_cell
    assert "Your profile is saved." in response.content.decode()
    # The form shows what was saved.
    assert 'value="Sam"' in response.content.decode()


def test_home_can_be_a_map_pin(client, helper):
    client.force_login(helper)

    client.post("/me/", profile_data(home_place="", lat="51.5450", lon="-0.0553"))

    profile = Profile.objects.get(user=helper)
    assert profile.home_cell
    # Only the centre of the cell is kept, never the point itself.
    assert (profile.home_lat, profile.home_lon) != (51.545, -0.0553)
    assert profile.home_lat is not None and abs(profile.home_lat - 51.545) < 0.01


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"travel_radius_km": "501"}, "travel_radius_km"),
        ({"travel_radius_km": ""}, "travel_radius_km"),
        ({"skills": ["juggling"]}, "skills"),
        ({"available_days": ["9"]}, "available_days"),
        ({"home_place": "Zzyzxq Lane"}, "home_place"),
        ({"display_name": "x" * 81}, "display_name"),
    ],
)
def test_bad_profile_input_is_a_form_error_and_changes_nothing(client, helper, overrides, field):
    client.force_login(helper)
    before = Profile.objects.get(user=helper)

    response = client.post("/me/", profile_data(**overrides))

    assert response.status_code == 400
    assert response.context["form"].errors[field]
    after = Profile.objects.get(user=helper)
    assert (after.display_name, after.skills) == (before.display_name, before.skills)


def test_a_new_sign_up_gets_a_profile_with_the_account(client):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a long pass phrase",
            "password2": "a long pass phrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert Profile.objects.filter(user=user).exists()
    # Sign-up never signs in at once (it would tell whether the address was taken); the
    # newcomer signs in with the password they chose.
    client.post("/accounts/login/", {"login": "new@example.org", "password": "a long pass phrase"})

    page = client.get("/me/")

    assert page.status_code == 200
    assert "Hello, new" in page.content.decode()


@pytest.mark.parametrize("path", ["/me/", "/board/", "/board/?my_languages=on", "/api/v1/me"])
def test_reading_pages_never_writes_a_profile(client, path):
    # An account made before profiles came with sign-up, or by `createsuperuser`.
    user = User.objects.create_user(email="old@example.org", password="a long pass phrase")
    client.force_login(user)
    headers = {"Authorization": f"Bearer {issue_token(user=user)}"} if "api" in path else {}

    response = client.get(path, headers=headers)

    assert response.status_code == 200
    assert not Profile.objects.filter(user=user).exists()
