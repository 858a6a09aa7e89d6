"""The group log: one line per decision, role change or setting changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutua.governance.models.agreements import AgreementVersion
from mutua.governance.models.proposals import Proposal
from mutua.governance.models.roles import RoleTerm

if TYPE_CHECKING:
    from datetime import datetime

    from django_stubs_ext import StrOrPromise


class LogKind(models.TextChoices):
    GROUP_FOUNDED = "group-founded", gettext_lazy("Group founded")
    PROPOSAL_OPENED = "proposal-opened", gettext_lazy("Proposal opened")
    PROPOSAL_EDITED = "proposal-edited", gettext_lazy("Proposal edited")
    PROPOSAL_WITHDRAWN = "proposal-withdrawn", gettext_lazy("Proposal withdrawn")
    REMOVAL_PROPOSED = "removal-proposed", gettext_lazy("Removal proposed")
    DEADLINE_NEAR = "deadline-near", gettext_lazy("Deadline near")
    SECOND_ROUND = "second-round", gettext_lazy("Second round")
    PROPOSAL_PASSED = "proposal-passed", gettext_lazy("Proposal passed")
    PROPOSAL_NOT_PASSED = "proposal-not-passed", gettext_lazy("Proposal did not pass")
    EFFECT_FAILED = "effect-failed", gettext_lazy("Could not be carried out")
    ROLE_GRANTED = "role-granted", gettext_lazy("Role granted")
    ROLE_REVOKED = "role-revoked", gettext_lazy("Role revoked")
    ROLE_EXPIRED = "role-expired", gettext_lazy("Role's term ended")
    ROLE_LEFT = "role-left", gettext_lazy("Role ended on leaving")
    SETTING_CHANGED = "setting-changed", gettext_lazy("Setting changed")
    AGREEMENT_ADOPTED = "agreement-adopted", gettext_lazy("Agreement adopted")
    MEMBER_REMOVED = "member-removed", gettext_lazy("Member removed")
    WEBHOOK_ADDED = "webhook-added", gettext_lazy("Webhook added")
    WEBHOOK_REMOVED = "webhook-removed", gettext_lazy("Webhook removed")
    WEBHOOK_DISABLED = "webhook-disabled", gettext_lazy("Webhook stopped")
    GROUP_ESTABLISHED = "group-established", gettext_lazy("Group established")
    AREA_AGREED = "area-agreed", gettext_lazy("Area shared")
    CLAIMING_RESTORED = "claiming-restored", gettext_lazy("Claiming restored")
    JOINED_NETWORK = "joined-network", gettext_lazy("Joined a network")
    LEFT_NETWORK = "left-network", gettext_lazy("Left a network")
    CHECKIN_MISSED = "checkin-missed", gettext_lazy("Check-in call missed")
    PLACE_NAMES_ADDED = "place-names-added", gettext_lazy("Place names added")
    ASK_PASSED_IN = "ask-passed-in", gettext_lazy("Ask passed on to the group")
    AREA_CHANGED = "area-changed", gettext_lazy("Area changed")
    INCIDENT_OPENED = "incident-opened", gettext_lazy("Incident opened")
    INCIDENT_CLOSED = "incident-closed", gettext_lazy("Incident closed")
    INCIDENT_JOINED = "incident-joined", gettext_lazy("Volunteer joined an incident")
    WORK_CLAIMED = "work-claimed", gettext_lazy("Work taken on an incident's case")
    CALLOUT_CLOSED = "callout-closed", gettext_lazy("Callout closed early")


def _date(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATE_FORMAT")


class LogEntry(models.Model):
    """One line of a group's history: a decision, a role change, a setting changed."""

    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="governance_log"
    )
    kind = models.CharField(max_length=24, choices=LogKind.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="log_entries"
    )
    term = models.ForeignKey(
        RoleTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="log_entries"
    )
    agreement_version = models.ForeignKey(
        AgreementVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # What the entry is about when it is none of the above: a webhook's host name. Never
    # anything personal: every member reads the log.
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["group", "-at"])]

    def __str__(self) -> str:
        return f"{self.kind} in {self.group_id}"

    def sentence(self) -> str:
        """What happened, in the reader's language (load actor, subject, proposal, term and
        agreement_version with select_related)."""
        someone = _("Someone")
        names = {
            "actor": self.actor.display_name if self.actor else someone,
            "subject": self.subject.display_name if self.subject else someone,
            "title": self.proposal.title if self.proposal else "",
            "detail": self.detail,
        }
        term = self.term
        if term is not None:
            names |= {
                "role": term.get_role_display(),
                "until": _date(term.ends_at),
                "source": term.get_source_display(),
            }
        template = _SENTENCES[LogKind(self.kind)]
        if self.kind == LogKind.EFFECT_FAILED and self.proposal is not None:
            # An effect another app carries out says in `detail` why it could not.
            names["problem"] = self.detail or self.proposal.get_effect_problem_display()
        elif self.kind == LogKind.SETTING_CHANGED and self.proposal is not None:
            names |= {
                "setting": self.proposal.setting_label,
                "value": self.proposal.setting_value_display,
            }
        elif self.kind == LogKind.AGREEMENT_ADOPTED and self.agreement_version is not None:
            names |= {
                "number": str(self.agreement_version.number),
                "agreement": self.agreement_version.title,
            }
        elif self.kind == LogKind.PLACE_NAMES_ADDED and self.proposal is not None:
            template = _PLACE_NAMES_BY_DECISION
        elif self.kind == LogKind.PLACE_NAMES_ADDED and self.actor is None:
            names["actor"] = _("whoever runs the server")  # `mutua import places`
        elif self.kind in (LogKind.JOINED_NETWORK, LogKind.LEFT_NETWORK):
            names["other"] = self.detail or someone
        elif self.kind == LogKind.AREA_AGREED and self.proposal is not None:
            other = self.proposal.other_group
            names["other"] = other.name if other is not None else someone
        elif self.kind == LogKind.ASK_PASSED_IN and self.actor is None:
            # Nobody clicked: the other group's waiting time ran out.
            template = _PASSED_IN_AUTOMATICALLY
        elif self.kind == LogKind.REMOVAL_PROPOSED and self.proposal is not None:
            names["deadline"] = _date(self.proposal.deadline)
        return str(template) % names


_PASSED_IN_AUTOMATICALLY = gettext_lazy(
    "Ask %(detail)s waited longer than its group's time to wait and was passed on to this "
    "group: it is open here now."
)

_SENTENCES: dict[LogKind, StrOrPromise] = {
    LogKind.GROUP_FOUNDED: gettext_lazy("%(actor)s founded the group."),
    LogKind.PROPOSAL_OPENED: gettext_lazy("%(actor)s opened the proposal “%(title)s”."),
    LogKind.PROPOSAL_EDITED: gettext_lazy("%(actor)s edited the proposal “%(title)s”."),
    LogKind.PROPOSAL_WITHDRAWN: gettext_lazy("%(actor)s withdrew the proposal “%(title)s”."),
    LogKind.REMOVAL_PROPOSED: gettext_lazy(
        "%(actor)s proposed removing %(subject)s from the group. %(subject)s can answer "
        "in the proposal's comments until %(deadline)s."
    ),
    LogKind.DEADLINE_NEAR: gettext_lazy("The proposal “%(title)s” closes within a day."),
    LogKind.SECOND_ROUND: gettext_lazy(
        "The proposal “%(title)s” did not reach consensus; it goes to a second round, "
        "decided by a qualified majority."
    ),
    LogKind.PROPOSAL_PASSED: gettext_lazy("The proposal “%(title)s” passed."),
    LogKind.PROPOSAL_NOT_PASSED: gettext_lazy("The proposal “%(title)s” did not pass."),
    LogKind.EFFECT_FAILED: gettext_lazy(
        "The proposal “%(title)s” passed but could not be carried out: %(problem)s."
    ),
    LogKind.ROLE_GRANTED: gettext_lazy(
        "%(subject)s holds the role %(role)s until %(until)s, by %(source)s."
    ),
    LogKind.ROLE_REVOKED: gettext_lazy(
        "%(subject)s no longer holds the role %(role)s: a decision took it back."
    ),
    LogKind.ROLE_EXPIRED: gettext_lazy("The term of %(subject)s as %(role)s has ended."),
    LogKind.ROLE_LEFT: gettext_lazy(
        "%(subject)s is no longer a member, so their role %(role)s has ended."
    ),
    LogKind.SETTING_CHANGED: gettext_lazy("The setting “%(setting)s” is now: %(value)s."),
    LogKind.AGREEMENT_ADOPTED: gettext_lazy(
        "Version %(number)s of the agreement “%(agreement)s” was adopted."
    ),
    LogKind.MEMBER_REMOVED: gettext_lazy("%(subject)s was removed from the group by a decision."),
    LogKind.WEBHOOK_ADDED: gettext_lazy(
        "%(actor)s added a webhook: the group's asks are also sent to %(detail)s."
    ),
    LogKind.WEBHOOK_REMOVED: gettext_lazy(
        "%(actor)s removed the webhook that sent the group's asks to %(detail)s."
    ),
    LogKind.WEBHOOK_DISABLED: gettext_lazy(
        "The webhook to %(detail)s was stopped: its receiver said it is gone (410)."
    ),
    LogKind.GROUP_ESTABLISHED: gettext_lazy(
        "The group is established: members hold trust, and the groups around it agreed, "
        "so asks from its area now come to it."
    ),
    LogKind.CHECKIN_MISSED: gettext_lazy(
        "The check-in call %(actor)s had in the week of %(detail)s did not reach the person."
    ),
    # `detail` is how many names, and the file's type (never its contents: the names are
    # on the group's places page).
    LogKind.PLACE_NAMES_ADDED: gettext_lazy(
        "Place names the group uses, added or moved by %(actor)s: %(detail)s."
    ),
    LogKind.ASK_PASSED_IN: gettext_lazy(
        "%(actor)s passed ask %(detail)s on to this group: it is open here now."
    ),
    # `detail` is the new area's size in km².
    LogKind.AREA_CHANGED: gettext_lazy(
        "By the decision “%(title)s”, the group's area on the map changed (now %(detail)s km²)."
    ),
    LogKind.INCIDENT_OPENED: gettext_lazy("%(actor)s opened the incident %(detail)s."),
    LogKind.INCIDENT_CLOSED: gettext_lazy("The incident %(detail)s was closed and archived."),
    LogKind.INCIDENT_JOINED: gettext_lazy(
        "%(actor)s, from another group of the network, joined the incident %(detail)s."
    ),
    LogKind.WORK_CLAIMED: gettext_lazy("%(actor)s took on %(detail)s."),
    # `detail` is the callout's reference and the reason its caller gave.
    LogKind.CALLOUT_CLOSED: gettext_lazy("%(actor)s closed the callout %(detail)s before its end."),
    LogKind.CLAIMING_RESTORED: gettext_lazy(
        "By the decision “%(title)s”, %(subject)s may take asks again."
    ),
    LogKind.AREA_AGREED: gettext_lazy(
        "By the decision “%(title)s”, the group %(other)s may take asks in the area it "
        "shares with this group."
    ),
    LogKind.JOINED_NETWORK: gettext_lazy(
        "By the decision “%(title)s”, the group joined the network %(other)s."
    ),
    LogKind.LEFT_NETWORK: gettext_lazy(
        "By the decision “%(title)s”, the group left the network %(other)s."
    ),
}
_PLACE_NAMES_BY_DECISION = gettext_lazy(
    "Place names the group uses, added or moved by the decision “%(title)s”: %(detail)s."
)
