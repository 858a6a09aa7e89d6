from __future__ import annotations

from django.urls import URLPattern, path

from mutua.aid import answer_views, board_views, handon_views, network_views, views

app_name = "aid"

urlpatterns: list[URLPattern] = [
    path("ask/", views.ask_new, name="ask_new"),
    path("ask/place/", views.ask_place, name="ask_place"),
    path("board/", board_views.board, name="board"),
    path("unrouted/", handon_views.unrouted, name="unrouted"),
    path("groups/<slug:slug>/network/", network_views.network, name="network"),
    path(
        "groups/<slug:slug>/network/help-missing/",
        network_views.help_missing,
        name="help_missing",
    ),
    path("asks/<int:ask_id>/", views.ask_detail, name="ask_detail"),
    path("asks/<int:ask_id>/sent/", views.ask_sent, name="ask_sent"),
    path("asks/<int:ask_id>/claim/", views.ask_claim, name="ask_claim"),
    path("asks/<int:ask_id>/release/", views.ask_release, name="ask_release"),
    path("asks/<int:ask_id>/approve/", views.ask_approve, name="ask_approve"),
    path("asks/<int:ask_id>/decline/", views.ask_decline, name="ask_decline"),
    path("asks/<int:ask_id>/done/", views.ask_done, name="ask_done"),
    path("asks/<int:ask_id>/cancel/", views.ask_cancel, name="ask_cancel"),
    path("asks/<int:ask_id>/hand-on/", handon_views.ask_hand_on, name="ask_hand_on"),
    path("offers/", views.offers, name="offers"),
    path("offers/new/", views.offer_new, name="offer_new"),
    path("offers/<int:offer_id>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("offers/<int:offer_id>/answer/", answer_views.offer_answer, name="offer_answer"),
]
