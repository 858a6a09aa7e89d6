"""The check-in rota: signing up (oneself, or by the hotline with consent), the weekly
assignment by the dispatch engine respecting language and continuity, calls logged
("needs help" becomes an ask), and missed check-ins escalated to the group."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from mutua.aid.models import Ask
from mutua.checkins import rota, services
from mutua.checkins.models import Assignment, Call, Callee, Outcome
from mutua.core.errors import NotAllowed
from mutua.core.tests.factories import HACKNEY, UserFactory, hold_role, trusted
from mutua.governance.models import LogEntry, LogKind
from mutua.groups import services as group_services
from mutua.notify.models import Message
from mutua.people.models import Profile

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 30)


def speaking(user, *languages: str):
    Profile.objects.filter(user=user).update(languages=list(languages))
    user.refresh_from_db()
    return user


def callee(group, by, *, name: str = "Olive", language: str = "en", phone: str = "+447700900601"):
    return services.sign_up(
        group=group,
        by=by,
        name=name,
        phone=phone,
        language=language,
        lat=HACKNEY[0],
        lon=HACKNEY[1],
        consent=True,
        for_self=False,
    )


@pytest.fixture
def hotline(ward):
    user = UserFactory.create(email="hotline@example.org")
    group_services.join_group(group=ward, user=user)
    hold_role(ward, user, "hotline")
    return user


def test_a_member_signs_up_on_the_page_and_the_hotline_signs_up_a_caller(client, ward, hotline):
    member = UserFactory.create(email="olive@example.org")
    group_services.join_group(group=ward, user=member)
    client.force_login(member)
    form = {
        "name": "Olive",
        "phone": "07700 900601",
        "language": "en",
        "place": "Hackney Central",
        "consent": "on",
    }

    own = client.post(f"/groups/{ward.slug}/checkins/sign-up", form)
    client.force_login(hotline)
    for_someone = client.post(
        f"/groups/{ward.slug}/checkins/sign-up",
        {**form, "name": "Mo", "phone": "07700 900602", "on_behalf": "on"},
    )

    assert own.status_code == 302 and for_someone.status_code == 302
    olive, mo = Callee.objects.order_by("pk")
    assert (olive.user, olive.phone) == (member, "+447700900601")
    assert (mo.user, mo.recorded_by) == (None, hotline)


def test_without_consent_or_the_hotline_role_nothing_is_kept(client, ward, helper):
    client.force_login(helper)
    form = {"name": "Mo", "phone": "07700 900602", "language": "en", "place": "Hackney Central"}

    no_consent = client.post(f"/groups/{ward.slug}/checkins/sign-up", form)
    not_hotline = client.post(
        f"/groups/{ward.slug}/checkins/sign-up", {**form, "consent": "on", "on_behalf": "on"}
    )

    assert no_consent.status_code == 400 and "agreement" in no_consent.content.decode()
    assert not_hotline.status_code == 400 and "hotline role" in not_hotline.content.decode()
    assert not Callee.objects.exists()


def test_callers_must_be_trusted_and_outsiders_see_nothing(client, ward, helper, new_member):
    with pytest.raises(NotAllowed, match="trust"):
        services.join_rota(group=ward, member=new_member)
    services.join_rota(group=ward, member=helper)

    outsider = UserFactory.create()
    client.force_login(outsider)
    assert client.get(f"/groups/{ward.slug}/checkins/").status_code == 403


def test_assignment_respects_language_and_keeps_last_weeks_caller(ward, hotline, helper):
    spanish = speaking(trusted(ward, UserFactory.create(email="es@example.org")), "es", "en")
    speaking(helper, "en")
    for member in (helper, spanish):
        services.join_rota(group=ward, member=member)
    rosa = callee(ward, hotline, name="Rosa", language="es", phone="+447700900611")
    people = [callee(ward, hotline, name=f"P{i}", phone=f"+44770090062{i}") for i in range(4)]

    first = {a.callee_id: a.caller_id for a in services.assign_week(group=ward, week=MONDAY)}
    second = {
        a.callee_id: a.caller_id
        for a in services.assign_week(group=ward, week=MONDAY + timedelta(days=7))
    }

    assert first[rosa.pk] == spanish.pk
    assert len(first) == 5 and second == first
    # Running it again in the same week changes nothing.
    assert services.assign_week(group=ward, week=MONDAY + timedelta(days=9)) == []
    # With the Spanish speaker gone, nobody can call Rosa: she waits rather than get a
    # caller she cannot talk to; the others keep theirs or move to the one left.
    services.leave_rota(group=ward, member=spanish)
    third = services.assign_week(group=ward, week=MONDAY + timedelta(days=14))
    assert {a.callee_id for a in third} == {p.pk for p in people}
    assert {a.caller_id for a in third} == {helper.pk}


@given(
    languages=st.lists(st.sampled_from(["en", "es", "ar", "pl"]), min_size=1, max_size=12),
    callers=st.lists(
        st.tuples(
            st.frozensets(st.sampled_from(["en", "es", "ar", "pl"]), min_size=1),
            st.integers(0, 4),
        ),
        min_size=1,
        max_size=5,
    ),
    last=st.lists(st.integers(0, 4), max_size=12),
)
def test_the_engine_never_pairs_people_without_a_shared_language(languages, callers, last):
    volunteers = [rota.Volunteer(100 + i, langs, cap) for i, (langs, cap) in enumerate(callers)]
    people = [
        rota.Person(i, lang, 100 + last[i] if i < len(last) else None)
        for i, lang in enumerate(languages)
    ]

    chosen = rota.assign(people, volunteers)

    by_id = {v.id: v for v in volunteers}
    for person in people:
        if person.id in chosen:
            assert person.language in by_id[chosen[person.id]].languages
    for volunteer in volunteers:
        assert sum(1 for c in chosen.values() if c == volunteer.id) <= volunteer.capacity
    # Continuity: whoever could keep last week's caller did.
    for person in people:
        keeper = by_id.get(person.last_caller) if person.last_caller is not None else None
        if (
            keeper is not None
            and person.language in keeper.languages
            and keeper.capacity >= len(people)
        ):
            assert chosen.get(person.id) == keeper.id


def test_calls_are_logged_and_needs_help_becomes_an_ask(client, ward, hotline, helper):
    services.join_rota(group=ward, member=helper)
    olive = callee(ward, hotline)
    week = services.week_of(timezone.localdate())
    [assignment] = services.assign_week(group=ward, week=week)
    client.force_login(helper)
    page = client.get(f"/groups/{ward.slug}/checkins/").content.decode()
    assert "+447700900601" in page and "Olive" in page

    url = f"/groups/{ward.slug}/checkins/calls/{assignment.pk}"
    client.post(url, {"outcome": Outcome.NO_ANSWER})
    client.post(url, {"outcome": Outcome.NEEDS_HELP, "note": "Out of food and medicine"})

    assert list(Call.objects.values_list("outcome", flat=True)) == ["no-answer", "needs-help"]
    ask = Ask.objects.get()
    assert (ask.what, ask.contact_phone, ask.group) == (
        "Out of food and medicine",
        olive.phone,
        ward,
    )
    assert ask.recorded_by == helper
    assert Call.objects.get(outcome=Outcome.NEEDS_HELP).ask == ask


def test_only_the_caller_logs_and_others_do_not_see_the_number(client, ward, hotline, helper):
    other = trusted(ward, UserFactory.create(email="other@example.org"))
    services.join_rota(group=ward, member=helper)
    callee(ward, hotline)
    [assignment] = services.assign_week(group=ward, week=services.week_of(timezone.localdate()))
    client.force_login(other)

    page = client.get(f"/groups/{ward.slug}/checkins/").content.decode()
    client.post(f"/groups/{ward.slug}/checkins/calls/{assignment.pk}", {"outcome": "done"})

    assert "+447700900601" not in page
    assert not Call.objects.exists()


def test_missed_check_ins_escalate_to_the_group_once(
    client, ward, hotline, helper, dispatcher, django_capture_on_commit_callbacks
):
    services.join_rota(group=ward, member=helper)
    callee(ward, hotline, name="Olive")
    callee(ward, hotline, name="Mo", phone="+447700900602")
    callee(ward, hotline, name="Ann", phone="+447700900603")
    last_week = services.week_of(timezone.localdate()) - timedelta(days=7)
    reached, unanswered, silent = services.assign_week(group=ward, week=last_week)
    services.log_call(assignment=reached, by=helper, outcome=Outcome.DONE)
    services.log_call(assignment=unanswered, by=helper, outcome=Outcome.NO_ANSWER)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.escalate_missed() == 2
    assert services.escalate_missed() == 0

    entries = LogEntry.objects.filter(group=ward, kind=LogKind.CHECKIN_MISSED)
    assert entries.count() == 2
    assert set(Assignment.objects.filter(escalated_at__isnull=False)) == {unanswered, silent}
    # The dispatcher is told; the history says whose call it was, in words.
    told = Message.objects.filter(key__startswith="group-log:", user=dispatcher)
    assert told.count() == 2
    assert not Message.objects.filter(user=hotline).exists()
    client.force_login(hotline)
    history = client.get(f"/groups/{ward.slug}/history/").content.decode()
    assert f"The check-in call {helper.display_name} had in the week of {last_week}" in history


def test_this_weeks_calls_are_not_escalated_yet(ward, hotline, helper):
    services.join_rota(group=ward, member=helper)
    callee(ward, hotline)
    services.assign_week(group=ward, week=services.week_of(timezone.localdate()))

    assert services.escalate_missed() == 0
    assert services.assign_this_week() == 0  # already assigned: nothing new
