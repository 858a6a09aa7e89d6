"""What a group decided about taking its asks, shown on its page and in the API
(registered with mutua.groups.extensions at start-up)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mutua.governance import selectors
from mutua.governance.models import TakeRule
from mutua.governance.selectors import taking
from mutua.groups.models import Group


def page_facts(group: Group) -> list[tuple[str, str]]:
    summary = taking.take_summary(group)
    rule = summary.rule_label
    if summary.rule == TakeRule.TRUSTED:
        rule = ngettext(
            "%(rule)s (trust from %(count)d member)",
            "%(rule)s (trust from %(count)d members)",
            summary.trust_to_take,
        ) % {"rule": rule, "count": summary.trust_to_take}
    rows = [(_("Who may take asks"), rule)]
    if selectors.group_settings(group).trusted_categories:
        rows.append((_("Only trusted members take"), summary.trusted_categories))
    if selectors.group_settings(group).role_categories:
        rows.append((_("Only named trusted helpers take"), summary.role_categories))
    if summary.established:
        rows.append((_("Asks from its area"), _("come to this group")))
    else:
        waiting = _("not yet: %(trusted)d of %(needed)d members are trusted with asks") % {
            "trusted": len(summary.trusted),
            "needed": summary.needed_to_establish,
        }
        if summary.waiting_for:
            waiting += "; " + _("waiting for %(groups)s to agree to share the area") % {
                "groups": ", ".join(g.name for g in summary.waiting_for)
            }
        rows.append((_("Asks from its area"), waiting))
    return rows


def api_facts(group: Group) -> dict[str, Any]:
    row = selectors.group_settings(group)
    return {
        "who_may_take": row.who_may_take,
        "trust_to_take": row.trust_to_take,
        "stricter_categories": {
            "trusted": [c for c in row.trusted_categories.split(",") if c],
            "role": [c for c in row.role_categories.split(",") if c],
        },
        "established": group.is_established,
    }
