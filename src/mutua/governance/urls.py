from __future__ import annotations

from django.urls import URLPattern, path

from mutua.governance import views

app_name = "governance"

_PROPOSAL = "groups/<slug:slug>/proposals/<int:proposal_id>/"

urlpatterns: list[URLPattern] = [
    path("groups/new/", views.group_new, name="group_new"),
    path("groups/<slug:slug>/proposals/", views.proposals, name="proposals"),
    path("groups/<slug:slug>/proposals/new/", views.proposal_kinds, name="proposal_kinds"),
    path("groups/<slug:slug>/proposals/new/<slug:kind>/", views.proposal_new, name="proposal_new"),
    path(_PROPOSAL, views.proposal_detail, name="proposal_detail"),
    path(f"{_PROPOSAL}edit/", views.proposal_edit, name="proposal_edit"),
    path(f"{_PROPOSAL}versions/", views.proposal_versions, name="proposal_versions"),
    path(f"{_PROPOSAL}position/", views.proposal_position, name="proposal_position"),
    path(f"{_PROPOSAL}comment/", views.proposal_comment, name="proposal_comment"),
    path(f"{_PROPOSAL}withdraw/", views.proposal_withdraw, name="proposal_withdraw"),
    path("groups/<slug:slug>/roles/", views.roles, name="roles"),
    path("groups/<slug:slug>/roles/trust/", views.trust_give, name="trust_give"),
    path("groups/<slug:slug>/roles/trust/withdraw/", views.trust_withdraw, name="trust_withdraw"),
    path("groups/<slug:slug>/agreements/", views.agreements, name="agreements"),
    path(
        "groups/<slug:slug>/agreements/<int:agreement_id>/",
        views.agreement_detail,
        name="agreement_detail",
    ),
    path("groups/<slug:slug>/history/", views.history, name="history"),
]
