"""The ask form, posted as a browser without JavaScript would."""

from __future__ import annotations

import re

import pytest

from mutua.aid.models import Ask, AskStatus
from mutua.aid.selectors import asker_key
from mutua.aid.tests.pages import send_ask

pytestmark = pytest.mark.django_db

# "Bethnal Green" is a district the offline gazetteer knows, inside the ward's area.
ADDRESS_IN_WARD = "12 Mare Street, Bethnal Green"


def form_data(**overrides):
    data = {
        "what": "Shopping for the week: bread, milk, rice",
        "category": "groceries",
        "urgency": "3",
        "language": "en",
        "place": "",
        "lat": "",
        "lon": "",
        "address": ADDRESS_IN_WARD,
        "name": "Ada",
        "phone": "+442079460000",
        "email": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_ask_form_renders_every_field_with_a_label(client):
    response = client.get("/ask/")
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("what", "category", "place", "address", "name", "phone", "email", "language"):
        assert f'for="id_{name}"' in html, name
    assert 'name="consent"' in html
    assert 'name="lat"' in html and 'name="lon"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_anonymous_ask_without_js_is_routed_to_the_ward_and_shows_the_private_link(client, ward):
    response = send_ask(client, form_data(), follow=True)

    ask = Ask.objects.get()
    assert ask.group == ward
    assert ask.asker is None
    assert ask.status == AskStatus.OPEN
    assert ask.contact_phone == "+442079460000"
    assert ask.address == ADDRESS_IN_WARD
    assert response.redirect_chain[-1][0] == f"/asks/{ask.pk}/sent/"
    html = response.content.decode()
    assert f"/asks/{ask.pk}/?key={asker_key(ask)}" in html
    assert ward.name in html


def test_the_browser_that_asked_sees_its_ask_without_the_link(client, ward):
    send_ask(client, form_data())
    ask = Ask.objects.get()

    html = client.get(f"/asks/{ask.pk}/").content.decode()

    assert "+442079460000" in html
    assert ADDRESS_IN_WARD in html


def test_place_can_be_typed_as_a_district_or_as_coordinates(client, ward):
    send_ask(client, form_data(place="Bethnal Green", address=""))
    client.post(
        "/ask/", form_data(what="A lift to the clinic", place="51.5450, -0.0553", address="")
    )

    first, second = Ask.objects.order_by("pk")
    assert first.group == ward and second.group == ward
    assert (second.lat, second.lon) == (51.545, -0.0553)


def test_a_map_pin_wins_over_the_typed_place(client, ward):
    client.post("/ask/", form_data(place="Islington", lat="51.5451", lon="-0.0554"))

    ask = Ask.objects.get()
    assert (ask.lat, ask.lon) == (51.5451, -0.0554)
    assert ask.group == ward


def test_a_place_far_from_every_group_is_never_taken_silently(client, ward):
    response = client.post("/ask/", form_data(place="Manchester", address=""))

    assert response.status_code == 200
    assert "(far from every group here)" in response.content.decode()
    assert not Ask.objects.exists()


def test_logged_in_asker_owns_the_ask_and_needs_no_other_contact(client, asker, ward):
    client.force_login(asker)
    response = send_ask(client, form_data(phone="", address="", place="Bethnal Green"))

    ask = Ask.objects.get()
    assert ask.asker == asker
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "?key=" not in html
    assert 'href="/me/"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"what": ""}, "what", "This field is required"),
        ({"what": "x" * 2001}, "what", "at most 2000 characters"),
        ({"name": "n" * 121}, "name", "at most 120 characters"),
        ({"category": "spaceships"}, "category", "Select a valid choice"),
        ({"consent": ""}, "consent", "tick the box"),
        ({"phone": "", "address": "", "place": "Bethnal Green"}, None, "one way to reach you"),
        ({"phone": "call me maybe"}, "phone", "does not look like a phone number"),
        ({"address": "", "place": "Zzyzxq Lane"}, "place", "could not find"),
        ({"address": "", "place": "", "lat": "95", "lon": "0"}, "lat", "less than or equal"),
        ({"email": "not-an-email"}, "email", "valid email"),
    ],
)
def test_bad_input_shows_a_form_error_and_saves_nothing(client, ward, overrides, field, message):
    response = send_ask(client, form_data(**overrides))

    assert response.status_code == 400
    form = response.context["form"]
    errors = form.errors.get(field) if field else form.non_field_errors()
    assert errors, form.errors
    assert message in " ".join(errors)
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Ask.objects.count() == 0


def test_the_form_keeps_what_was_typed_after_an_error(client, ward):
    response = client.post("/ask/", form_data(consent=""))
    html = response.content.decode()
    assert "Shopping for the week" in html
    assert re.search(r'value="\+442079460000"', html)
