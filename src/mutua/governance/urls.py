from __future__ import annotations

from django.urls import URLPattern, path

from mutua.governance.views import areas, founding, proposals, records, roles

app_name = "governance"

_PROPOSAL = "groups/<slug:slug>/proposals/<int:proposal_id>/"

urlpatterns: list[URLPattern] = [
    path("groups/new/", founding.group_new, name="group_new"),
    path("groups/<slug:slug>/proposals/", proposals.proposals, name="proposals"),
    path("groups/<slug:slug>/proposals/new/", proposals.proposal_kinds, name="proposal_kinds"),
    path(
        "groups/<slug:slug>/proposals/new/<slug:kind>/", proposals.proposal_new, name="proposal_new"
    ),
    path(_PROPOSAL, proposals.proposal_detail, name="proposal_detail"),
    path(f"{_PROPOSAL}edit/", proposals.proposal_edit, name="proposal_edit"),
    path(f"{_PROPOSAL}versions/", proposals.proposal_versions, name="proposal_versions"),
    path(f"{_PROPOSAL}position/", proposals.proposal_position, name="proposal_position"),
    path(f"{_PROPOSAL}comment/", proposals.proposal_comment, name="proposal_comment"),
    path(f"{_PROPOSAL}withdraw/", proposals.proposal_withdraw, name="proposal_withdraw"),
    path("groups/<slug:slug>/roles/", roles.roles, name="roles"),
    path("groups/<slug:slug>/roles/trust/", roles.trust_give, name="trust_give"),
    path("groups/<slug:slug>/roles/trust/withdraw/", roles.trust_withdraw, name="trust_withdraw"),
    path("groups/<slug:slug>/agreements/", records.agreements, name="agreements"),
    path(
        "groups/<slug:slug>/agreements/<int:agreement_id>/",
        records.agreement_detail,
        name="agreement_detail",
    ),
    path("groups/<slug:slug>/history/", records.history, name="history"),
    path("groups/<slug:slug>/area/", areas.group_area, name="area"),
]
