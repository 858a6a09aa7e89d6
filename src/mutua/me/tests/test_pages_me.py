"""The member's own page: my asks, my claims, my offers, the things I borrowed, my
gatherings, and the profile form."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mutua.aid.services import claim_ask
from mutua.core.tests.factories import OfferFactory, UserFactory, make_ask, make_group, trusted
from mutua.groups import services as group_services
from mutua.people.models import Profile, User
from mutua.people.services import issue_token
from mutua.resources.services import gatherings, things

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


def _member(group, email):
    user = UserFactory.create(email=email)
    group_services.join_group(group=group, user=user)
    return user


def _lend(group, lender, borrower, name, *, due_in_days, lent_days_ago=0):
    thing = things.add_thing(group=group, by=lender, name=name)
    lent = timezone.now() - timedelta(days=lent_days_ago)
    things.borrow(
        group=group,
        thing_id=thing.pk,
        member=borrower,
        due_on=timezone.localdate() + timedelta(days=due_in_days),
        now=lent,
    )
    return thing


def _gathering(group, by, member, title, *, in_days, going=True):
    now = timezone.now() + timedelta(days=min(in_days, 0) - 1)
    gathering = gatherings.create_gathering(
        group=group,
        by=by,
        title=title,
        place="St Mary's church hall",
        starts_at=timezone.now() + timedelta(days=in_days),
        now=now,
    )
    gatherings.answer(group=group, gathering_id=gathering.pk, member=member, going=going, now=now)
    return gathering


def test_me_lists_what_i_borrowed_and_my_gatherings_to_come(client, ward):
    nadia = _member(ward, "nadia@example.org")
    otto = _member(ward, "otto@example.org")
    ladder = _lend(ward, otto, nadia, "Ladder (3 m)", due_in_days=3)
    drill = _lend(ward, otto, nadia, "Drill", due_in_days=-2, lent_days_ago=9)
    _lend(ward, nadia, otto, "Otto's borrowed tent", due_in_days=3)
    assembly = _gathering(ward, otto, nadia, "Spring assembly", in_days=4)
    _gathering(ward, otto, nadia, "Coffee morning", in_days=6, going=False)
    _gathering(ward, otto, nadia, "Last winter's assembly", in_days=-5)
    _gathering(ward, nadia, otto, "Otto's peer support", in_days=2)
    client.force_login(nadia)

    html = client.get("/me/").content.decode()

    things_page = f"/groups/{ward.slug}/things/"
    assert f'href="{things_page}#thing-{ladder.pk}"' in html
    assert f'href="{things_page}#thing-{drill.pk}"' in html
    due = (timezone.localdate() + timedelta(days=3)).strftime("%A %-d %B")
    assert f"Back by {due}" in html
    # Only the late one is marked overdue.
    assert html.count("Overdue") == 1
    assert html.index("Overdue") < html.index(">Drill<") < html.index(">Ladder (3 m)<")
    assert "borrowed tent" not in html
    assert f'href="/groups/{ward.slug}/gatherings/#gathering-{assembly.pk}"' in html
    starts = timezone.localtime(assembly.starts_at).strftime("%A %-d %B, %H:%M")
    assert starts in html
    assert "Coffee morning" in html and "not coming" in html
    assert "Last winter" not in html and "Otto&#x27;s peer support" not in html


def test_me_needs_as_many_queries_with_many_loans_and_gatherings_as_with_one(client, ward):
    nadia = _member(ward, "nadia@example.org")
    otto = _member(ward, "otto@example.org")
    elsewhere = make_group(name="Dalston", slug="dalston")
    group_services.join_group(group=elsewhere, user=nadia)
    lender = _member(elsewhere, "lender@example.org")
    client.force_login(nadia)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/me/").status_code == 200
        return len(captured)

    _lend(ward, otto, nadia, "Ladder", due_in_days=3)
    _gathering(ward, otto, nadia, "Assembly", in_days=4)
    few = queries()
    for n in range(4):
        _lend(elsewhere, lender, nadia, f"Drill {n}", due_in_days=n - 2, lent_days_ago=5)
        _gathering(elsewhere, lender, nadia, f"Peer support {n}", in_days=n + 1)
    many = queries()

    assert many == few
    html = client.get("/me/").content.decode()
    assert html.count("Peer support") == 4 and html.count("Drill") == 4
