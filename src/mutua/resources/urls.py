from __future__ import annotations

from django.urls import URLPattern, path

from mutua.resources.views import callouts, gatherings, ledger, shifts, stock, things

app_name = "resources"

_GROUP = "groups/<slug:slug>/"

urlpatterns: list[URLPattern] = [
    path(f"{_GROUP}ledger/", ledger.ledger, name="ledger"),
    path(
        f"{_GROUP}ledger/<int:transfer_id>/reverse/",
        ledger.reverse_transfer,
        name="transfer_reverse",
    ),
    path(f"{_GROUP}ledger/<int:transfer_id>/receipt/", ledger.receipt, name="receipt"),
    path(f"{_GROUP}ledger/money-asks/", ledger.money_ask_new, name="money_ask_new"),
    path(
        f"{_GROUP}ledger/money-asks/<int:money_ask_id>/<str:action>/",
        ledger.money_ask_action,
        name="money_ask_action",
    ),
    path(f"{_GROUP}shifts/", shifts.shifts, name="shifts"),
    path(
        f"{_GROUP}shifts/<int:shift_id>/signup/",
        shifts.shift_day,
        {"action": "signup"},
        name="shift_signup",
    ),
    path(
        f"{_GROUP}shifts/<int:shift_id>/dropout/",
        shifts.shift_day,
        {"action": "dropout"},
        name="shift_dropout",
    ),
    path(f"{_GROUP}stock/", stock.stock, name="stock"),
    path(f"{_GROUP}things/", things.things, name="things"),
    path(
        f"{_GROUP}things/<int:thing_id>/<str:action>/",
        things.thing_action,
        name="thing_action",
    ),
    path(f"{_GROUP}gatherings/", gatherings.gatherings, name="gatherings"),
    path(f"{_GROUP}gatherings/<int:gathering_id>/rsvp/", gatherings.rsvp, name="gathering_rsvp"),
    path(
        f"{_GROUP}gatherings/<int:gathering_id>.ics",
        gatherings.gathering_calendar,
        name="gathering_ics",
    ),
    path(f"{_GROUP}callouts/", callouts.callouts, name="callouts"),
    path(f"{_GROUP}callouts/<int:callout_id>/answer/", callouts.answer, name="callout_answer"),
    path(f"{_GROUP}callouts/<int:callout_id>/count/", callouts.count, name="callout_count"),
    path(f"{_GROUP}callouts/<int:callout_id>/close/", callouts.close, name="callout_close"),
    path("groups/<slug:slug>/shifts.ics", shifts.group_calendar, name="shifts_ics"),
    path("me/calendar/", shifts.my_calendar, name="my_calendar"),
    path("calendar/<str:key>.ics", shifts.member_calendar, name="member_calendar"),
]
