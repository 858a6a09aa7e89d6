"""The leaflet page, its PDF link, members' edits, and the ask form its QR code opens."""

from __future__ import annotations

import sys

import pytest
from django.test import override_settings

from mutua.aid.models import Ask
from mutua.aid.tests.pages import send_ask
from mutua.conftest import login
from mutua.core.tests.factories import make_group
from mutua.outreach.models import LeafletVersion
from mutua.outreach.tests import pdf_tools

pytestmark = pytest.mark.django_db

LEEDS = (53.8100, -1.5700)


def edit_data(**overrides):
    data = {
        "language": "en",
        "headline": "Stuck at home? Clapton's neighbours will shop for you.",
        "message": "Call or text any time.",
        "categories": ["groceries", "meals"],
    }
    data.update(overrides)
    return data


def test_page_offers_the_pdf_in_every_language_and_size(client, ward):
    response = client.get(f"/groups/{ward.slug}/leaflet/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'action="/groups/{ward.slug}/leaflet.pdf"' in html
    for code in ("en", "es", "fr", "pl", "ar"):
        assert f'name="lang" value="{code}"' in html
    assert 'value="a4"' in html and 'value="a5"' in html
    # A visitor can print, not edit.
    assert 'name="headline"' not in html
    assert (
        f'href="/groups/{ward.slug}/leaflet/"'
        in client.get(f"/groups/{ward.slug}/").content.decode()
    )


def test_pdf_from_the_page_points_its_qr_code_at_this_site(client, ward, tmp_path):
    with override_settings(MUTUA_PUBLIC_URL=""):
        response = client.get(f"/groups/{ward.slug}/leaflet.pdf", {"lang": "en", "size": "a4"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "leaflet.pdf"
    pdf.write_bytes(response.content)
    url = f"http://testserver/ask/?group={ward.slug}"
    assert pdf_tools.qr_codes(pdf, 1, tmp_path) == [url]
    # No SMS number: the tabs carry the web address instead (broken over two lines there).
    assert pdf_tools.text_of(pdf).replace(" ", "").count(url) == 1 + 7


@pytest.mark.parametrize(
    "query", [{"lang": "xx", "size": "a4"}, {"size": "a4"}, {"lang": "en", "size": "a3"}]
)
def test_bad_options_answer_400_with_the_form(client, ward, query):
    response = client.get(f"/groups/{ward.slug}/leaflet.pdf", query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert 'class="form-errors"' in response.content.decode()


def test_unknown_group_is_404(client, db):
    assert client.get("/groups/nowhere/leaflet/").status_code == 404
    assert (
        client.get("/groups/nowhere/leaflet.pdf", {"lang": "en", "size": "a4"}).status_code == 404
    )


def test_member_edits_the_leaflet_and_the_pdf_follows(client, ward, new_member, tmp_path):
    login(client, new_member)
    page = f"/groups/{ward.slug}/leaflet/"
    before = client.get(f"/groups/{ward.slug}/leaflet.pdf", {"lang": "en", "size": "a4"}).content
    assert 'name="headline"' in client.get(page).content.decode()

    response = client.post(page, edit_data())

    assert response.status_code == 302
    assert response["Location"] == f"{page}?edit=en"
    version = LeafletVersion.objects.get()
    assert (version.group, version.by, version.categories) == (ward, new_member, "groceries,meals")
    history = client.get(page).content.decode()
    assert new_member.display_name in history
    assert "Clapton&#x27;s neighbours will shop" in history
    after = client.get(f"/groups/{ward.slug}/leaflet.pdf", {"lang": "en", "size": "a4"}).content
    assert after != before
    pdf = tmp_path / "after.pdf"
    pdf.write_bytes(after)
    text = pdf_tools.text_of(pdf)
    assert "Clapton's neighbours will shop for you." in text
    assert "Meals" in text and "Prescriptions" not in text


def test_edit_in_arabic_keeps_english_as_it_was(client, ward, new_member):
    login(client, new_member)
    page = f"/groups/{ward.slug}/leaflet/"
    client.post(page, edit_data(language="ar", headline="جيران كلابتون معك"))
    assert LeafletVersion.objects.get().language == "ar"
    english = client.get(page, {"edit": "en"}).content.decode()
    assert "Need a hand? Your neighbours can help." in english
    assert "جيران كلابتون معك" in client.get(page, {"edit": "ar"}).content.decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("headline", "   "),
        ("categories", []),
        ("categories", ["groceries", "weapons"]),
        ("language", "xx"),
    ],
)
def test_bad_edit_is_refused_beside_its_field(client, ward, new_member, field, value):
    login(client, new_member)
    response = client.post(f"/groups/{ward.slug}/leaflet/", edit_data(**{field: value}))
    assert response.status_code == 400
    assert 'class="form-errors"' in response.content.decode()
    assert not LeafletVersion.objects.exists()


def test_only_members_edit(client, ward, outsider):
    page = f"/groups/{ward.slug}/leaflet/"
    anonymous = client.post(page, edit_data())
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    login(client, outsider)
    response = client.post(page, edit_data(), follow=True)
    assert "Only members of" in response.content.decode()
    assert not LeafletVersion.objects.exists()


def test_qr_link_presets_the_ask_form_to_the_groups_area(client, ward):
    leeds = make_group(name="Leeds Hyde Park", slug="leeds", center=LEEDS)
    form = client.get("/ask/", {"group": "leeds"}).content.decode()
    assert 'value="Leeds Hyde Park"' in form
    assert f'data-centre="{leeds.center_lat},{leeds.center_lon}"' in form

    send_ask(
        client,
        {
            "what": "Prescription to collect",
            "category": "prescriptions",
            "urgency": "2",
            "language": "en",
            "place": "Leeds Hyde Park",
            "address": "Flat 3",
            "phone": "+44 113 496 0000",
            "consent": "on",
        },
    )
    assert Ask.objects.get().group == leeds


def test_unknown_group_in_the_qr_link_leaves_the_form_empty(client, ward):
    response = client.get("/ask/", {"group": "nowhere"})
    assert response.status_code == 200
    assert 'name="place" value=' not in response.content.decode()


def test_without_pango_the_page_says_so_instead_of_failing(client, ward, monkeypatch):
    # A None entry makes `from weasyprint import HTML` fail, as it does without pango.
    monkeypatch.setitem(sys.modules, "weasyprint", None)
    response = client.get(f"/groups/{ward.slug}/leaflet.pdf", {"lang": "en", "size": "a4"})
    assert response.status_code == 503
    assert "needs pango" in response.content.decode()
