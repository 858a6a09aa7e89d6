"""`mutua import`: a group's spreadsheet in, all or nothing, whatever saved it."""

from __future__ import annotations

import io
import random
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from mutua.aid.models import Ask, Offer
from mutua.core.tests.factories import HACKNEY, UserFactory, make_group
from mutua.groups.models import Membership
from mutua.people.models import User
from mutua.people.services import update_profile

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "samples"


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "in.csv") -> str:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return str(path)


ASK_HEADER = "what,category,lat,lon,phone,consent\n"


def ask_row(what: str = "Bread and milk", category: str = "groceries", consent: str = "yes") -> str:
    return f"{what},{category},{HACKNEY[0]},{HACKNEY[1]},+442079460000,{consent}\n"


def test_the_sample_files_in_docs_import_into_a_group(ward):
    members = run("members", str(SAMPLES / "members.csv"), "--group", ward.slug)
    offers = run("offers", str(SAMPLES / "offers.csv"), "--group", ward.slug)
    asks = run("asks", str(SAMPLES / "asks.csv"), "--group", ward.slug)

    assert "Imported 3 members" in members
    assert "Imported 3 offers" in offers
    assert "Imported 4 asks into Hackney Central" in asks
    priya = User.objects.get(email="priya@example.org")
    assert priya.profile.display_name == "Priya"
    assert priya.profile.languages == ["en", "hi"]
    assert priya.profile.skills == ["childcare", "meals"]
    assert Membership.objects.filter(group=ward).count() == 3
    assert list(Offer.objects.filter(member=priya).values_list("kind", "category")) == [
        ("thing", "childcare")
    ]
    dog = Ask.objects.get(language="pl")
    assert (dog.category, dog.urgency, dog.contact_email) == ("pets", 1, "zofia@example.org")
    shopping = Ask.objects.get(what="Shopping for the week: bread, milk, rice")
    assert shopping.contact_name == "Ada"
    assert shopping.address == "12 Example Road, London E8" and shopping.group == ward
    assert shopping.consent_at is not None


def test_one_bad_row_imports_nothing_and_names_its_line(tmp_path, ward):
    text = ASK_HEADER + ask_row() + ask_row() + ask_row(category="spaceships") + ask_row()

    with pytest.raises(CommandError) as refused:
        run("asks", write(tmp_path, text), "--group", ward.slug)

    message = str(refused.value)
    assert message.startswith("line 4: Unknown kind of help: spaceships")
    assert "Nothing was imported" in message and "\n" not in message
    assert Ask.objects.count() == 0


def test_every_bad_row_is_counted_and_a_refused_consent_is_a_bad_row(tmp_path, ward):
    text = ASK_HEADER + ask_row(consent="no") + ask_row() + ask_row(what="") + ask_row()

    with pytest.raises(CommandError, match=r"^line 2: .*agreement.*2 bad rows"):
        run("asks", write(tmp_path, text), "--group", ward.slug)

    assert Ask.objects.count() == 0


def test_dry_run_reports_row_by_row_and_keeps_nothing(tmp_path, ward):
    text = (
        "Need;Type;Tel;Consent;Extra\n"
        "Bread;shopping;+442079460000;yes;x\n"
        "A lift;lift;+442079460001;Y;\n"
    )

    output = run("asks", write(tmp_path, text), "--group", ward.slug, "--dry-run")

    assert "columns separated by ';'" in output
    assert "'Need' -> what" in output and "'Tel' -> phone" in output
    assert "Not used: 'Extra'" in output
    assert "line 2: ask for Hackney Central (groceries, urgency 2)" in output
    assert "line 3: ask for Hackney Central (transport, urgency 2)" in output
    # Without coordinates the ask is put at the middle of the group's area, and said so.
    assert "middle of the group's area" in output
    assert "all 2 rows can be imported" in output
    assert Ask.objects.count() == 0


def test_dry_run_lists_every_bad_row_and_fails(tmp_path, ward):
    text = ASK_HEADER + ask_row(category="spaceships") + ask_row() + ask_row(consent="")
    out = io.StringIO()

    with pytest.raises(CommandError, match="2 bad rows; nothing was saved"):
        call_command(
            "import", "asks", write(tmp_path, text), "--group", ward.slug, "--dry-run", stdout=out
        )

    report = out.getvalue()
    assert "line 2: refused: Unknown kind of help: spaceships" in report
    assert "line 3: ask, can be imported" in report
    assert "line 4: refused: We need your agreement" in report


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),  # Excel's "CSV UTF-8" starts with a byte-order mark
        ("cp1252", b""),  # Excel on Windows: "smart" quotes and the euro sign
        ("utf-16", b""),  # Excel's "Unicode text" (the BOM comes with the codec)
    ],
)
def test_files_from_any_spreadsheet_encoding_keep_their_letters(tmp_path, ward, encoding, prefix):
    what = "Café run \u2013 \u201ccroissants\u201d for €5"
    text = ASK_HEADER + ask_row(what=what)
    path = tmp_path / "in.csv"
    path.write_bytes(prefix + text.encode(encoding))

    run("asks", str(path), "--group", ward.slug)

    assert Ask.objects.get().what == what


def test_a_latin_1_file_with_bytes_cp1252_lacks_still_reads(tmp_path, ward):
    # 0x81 is undefined in cp1252; such a file can only be latin-1 (ISO 8859-1).
    data = (ASK_HEADER + ask_row(what="Ærøskøbing")).encode("latin-1").replace(b"\xc6", b"\x81\xc6")

    run("asks", write(tmp_path, data.decode("latin-1"), "latin-1"), "--group", ward.slug)

    assert Ask.objects.get().what == "\x81Ærøskøbing"


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_semicolons_tabs_and_pipes_are_recognised(tmp_path, ward, delimiter):
    # Where the comma is the decimal sign, coordinates come as 51,545.
    lat, lon = (str(c).replace(".", ",") for c in HACKNEY)
    rows = [
        ["what", "category", "lat", "lon", "phone", "consent"],
        ["Bread, milk", "groceries", lat, lon, "+442079460000", "yes"],
    ]
    text = "\n".join(delimiter.join(r) for r in rows) + "\n"

    run("asks", write(tmp_path, text), "--group", ward.slug)

    ask = Ask.objects.get()
    assert ask.what == "Bread, milk" and (ask.lat, ask.lon) == HACKNEY


def test_map_names_columns_the_guess_does_not_know(tmp_path, ward):
    text = "Wants,Sort,Mobile,OK?\nBread,groceries,+442079460000,yes\n"
    path = write(tmp_path, text)

    with pytest.raises(CommandError, match=r"No column for what, category, consent .*--map"):
        run("asks", path, "--group", ward.slug)
    run(
        "asks",
        path,
        "--group",
        ward.slug,
        "--map",
        "Wants=what,Sort=category",
        "--map",
        "OK?=consent",
    )

    ask = Ask.objects.get()
    assert (ask.what, ask.contact_phone) == ("Bread", "+442079460000")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--map", "Nope=what"], "no column 'Nope'"),
        (["--map", "what=colour"], "colour is not a field of asks"),
        (["--map", "what"], "COLUMN=FIELD"),
        (["--group", "nowhere"], "no group with the short name nowhere"),
        (["--group", ""], "--group needs a group's short name"),
        (["--encoding", "klingon"], "Unknown encoding"),
    ],
)
def test_bad_arguments_give_one_clear_line(tmp_path, ward, args, words):
    path = write(tmp_path, ASK_HEADER + ask_row())
    base = ["asks", path, "--group", ward.slug]

    with pytest.raises(CommandError, match=words) as refused:
        run(*base, *args)

    assert "\n" not in str(refused.value)
    assert Ask.objects.count() == 0


def test_a_missing_or_empty_file_is_refused_clearly(tmp_path, ward):
    with pytest.raises(CommandError, match="Cannot read"):
        run("asks", str(tmp_path / "missing.csv"), "--group", ward.slug)
    with pytest.raises(CommandError, match="empty"):
        run("asks", write(tmp_path, "\n\n"), "--group", ward.slug)


def test_asks_outside_the_groups_area_are_refused(tmp_path, ward):
    croydon = ASK_HEADER + "Bread,groceries,51.3762,-0.0982,+442079460000,yes\n"

    with pytest.raises(CommandError, match="line 2: The place is outside the area of Hackney"):
        run("asks", write(tmp_path, croydon), "--group", ward.slug)


def test_offers_need_an_account_and_join_the_member_to_the_group(tmp_path, ward):
    sam = UserFactory.create(email="sam@example.org")
    good = "email,kind,category,what\nsam@example.org,skill,repairs,Shelves\n"
    text = good + "who@example.org,,meals,Soup\n"

    with pytest.raises(
        CommandError, match=r"line 3: There is no account .* who@example\.org; import members first"
    ):
        run("offers", write(tmp_path, text), "--group", ward.slug)
    assert not Offer.objects.exists() and not Membership.objects.filter(user=sam).exists()

    run("offers", write(tmp_path, good), "--group", ward.slug)
    assert Offer.objects.get().member == sam
    assert Membership.objects.filter(user=sam, group=ward).exists()


def test_importing_members_leaves_an_existing_members_own_profile_alone(tmp_path, ward):
    sam = UserFactory.create(email="sam@example.org")
    update_profile(
        user=sam,
        display_name="Sam the baker",
        languages=["fr"],
        skills=["meals"],
        travel_radius_km=5,
        home=None,
        available_days=[],
    )
    text = "Email,Name,Languages,Skills\nSAM@example.org,Samuel,en,repairs\n"

    output = run("members", write(tmp_path, text), "--group", ward.slug, "--dry-run")
    run("members", write(tmp_path, text), "--group", ward.slug)

    assert "existing account sam@example.org, joined" in output
    sam.profile.refresh_from_db()
    assert (sam.profile.display_name, sam.profile.languages) == ("Sam the baker", ["fr"])
    assert Membership.objects.filter(user=sam, group=ward).exists()


def test_a_10000_row_file_imports_whole(tmp_path, ward, capsys):
    rng = random.Random(7)
    lines = ["Need,Category,Urgency,Latitude,Longitude,Phone,Consent"]
    for n in range(10_000):
        lat = HACKNEY[0] + rng.uniform(-0.004, 0.004)
        lon = HACKNEY[1] + rng.uniform(-0.006, 0.006)
        lines.append(
            f"Shopping run {n},groceries,{rng.randint(1, 3)},{lat:.5f},{lon:.5f},"
            f"+44 20 7946 {n % 10_000:04d},yes"
        )
    path = write(tmp_path, "\n".join(lines) + "\n")

    started = time.perf_counter()
    output = run("asks", path, "--group", ward.slug)
    seconds = time.perf_counter() - started

    with capsys.disabled():
        print(f"\nimport of 10,000 asks: {seconds:.1f} s")
    assert "Imported 10000 asks" in output
    assert Ask.objects.count() == 10_000
    assert Ask.objects.filter(what="Shopping run 9999", group=ward).exists()


def test_asks_imported_into_a_network_go_to_the_smallest_group_covering_them(tmp_path, ward):
    network = make_group(name="London", slug="london", kind="network", radius_km=30)
    croydon = make_group(name="Croydon", center=(51.3762, -0.0982))
    text = ASK_HEADER + ask_row() + "Bread,groceries,51.3762,-0.0982,+442079460000,yes\n"

    run("asks", write(tmp_path, text), "--group", network.slug)

    assert [a.group for a in Ask.objects.order_by("pk")] == [ward, croydon]
