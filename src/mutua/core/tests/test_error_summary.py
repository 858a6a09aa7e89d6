"""A form sent with mistakes says so at the top, and each line there leads to its field."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _summary_targets(html: str) -> list[str]:
    summary = html[html.index('class="form-errors"') :]
    summary = summary[: summary.index("</div>")]
    return re.findall(r'<a href="#([\w-]+)"', summary)


def test_every_line_of_the_summary_leads_to_a_field_on_the_page(client, ward):
    response = client.post("/ask/", {"urgency": "2"})
    html = response.content.decode()

    targets = _summary_targets(html)

    assert response.status_code == 400
    assert {"id_what", "id_category", "id_place", "id_consent"} <= set(targets)
    for target in targets:
        assert re.search(rf'<(input|textarea|select)\b[^>]*\bid="{target}"', html), target
    assert re.search(r'<textarea\b[^>]*aria-invalid="true"[^>]*id="id_what"', html)


def test_a_group_of_choices_is_reached_through_its_first_choice(client, helper):
    client.force_login(helper)

    html = client.post("/offers/new/", {}).content.decode()

    assert "id_kind_0" in _summary_targets(html)
    assert re.search(r'<input type="radio"[^>]*id="id_kind_0"', html)
