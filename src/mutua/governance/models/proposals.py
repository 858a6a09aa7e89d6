"""Proposals, their versions, members' positions on them and comments."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from mutua.governance.models.group_settings import SETTINGS, DecisionRule, Role, setting_display

if TYPE_CHECKING:
    from datetime import datetime


class ProposalKind(models.TextChoices):
    GENERAL = "general", gettext_lazy("A general decision")
    GRANT_ROLE = "grant-role", gettext_lazy("Give someone a role")
    REVOKE_ROLE = "revoke-role", gettext_lazy("Take a role back")
    CHANGE_SETTING = "change-setting", gettext_lazy("Change a group setting")
    AGREEMENT = "agreement", gettext_lazy("Adopt or amend an agreement")
    REMOVE_MEMBER = "remove-member", gettext_lazy("Remove a member")
    AGREE_AREA = "agree-area", gettext_lazy("Let a new group take asks in our area")
    # Opened from the group's area page, which holds the drawn or uploaded area.
    CHANGE_AREA = "change-area", gettext_lazy("Change our area on the map")
    JOIN_NETWORK = "join-network", gettext_lazy("Join a network of groups")
    LEAVE_NETWORK = "leave-network", gettext_lazy("Leave our network")
    RESTORE_CLAIMING = (
        "restore-claiming",
        gettext_lazy("Let a member whose claiming is paused take asks again"),
    )
    # Opened by the app that carries it out (mutua.governance.extensions), never from
    # the proposal form: a payment needs the money ask it pays.
    SPEND = "spend", gettext_lazy("Pay a money ask from the group's funds")
    # Carried out by matching (registered with mutua.governance.extensions); members open
    # it from the proposal form.
    DISPATCH_ROUNDS = "dispatch-rounds", gettext_lazy("Turn automatic dispatch rounds on or off")
    # Opened by mutua.exchange from the group's place-names page, which keeps the uploaded
    # names the proposal would add; carried out by it.
    PLACE_NAMES = "place-names", gettext_lazy("Add place names people use in our area")
    # Opened by mutua.incidents, which links it to the incident: to open one, or to confirm
    # one a dispatcher opened in an emergency (which closes if this does not pass).
    INCIDENT = "incident", gettext_lazy("Open or confirm an incident")


class ProposalStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    PASSED = "passed", gettext_lazy("Passed")
    NOT_PASSED = "not-passed", gettext_lazy("Did not pass")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


class EffectProblem(models.TextChoices):
    """Why a proposal that passed could not be carried out."""

    NOT_A_MEMBER = "not-a-member", gettext_lazy("the person is no longer a member of the group")
    ROLE_NOT_HELD = "role-not-held", gettext_lazy("the person no longer held the role")
    AGREEMENT_CHANGED = (
        "agreement-changed",
        gettext_lazy(
            "another decision changed the agreement after this proposal opened; "
            "propose the change again on the new text"
        ),
    )
    REFUSED = (
        "effect-refused",
        gettext_lazy("what it decided could no longer be done (the group's log says why)"),
    )
    NETWORK_CHANGED = (
        "network-changed",
        gettext_lazy("the groups were nested differently by then; propose it again"),
    )


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def open(self) -> ProposalQuerySet:
        return self.filter(status=ProposalStatus.OPEN)

    def due(self, now: datetime) -> ProposalQuerySet:
        return self.open().filter(deadline__lte=now)

    def with_tally(self) -> ProposalQuerySet:
        """Each with agree/abstain/disagree/block counts, in the same query."""
        # Only members still in the group who may take a position count, as at closing.
        counted = Q(
            positions__member__memberships__group=F("group"),
            positions__member__memberships__joined_at__lte=F("created_at"),
        )
        counts = {
            f"{stance}_count": models.Count(
                "positions", filter=counted & Q(positions__stance=stance)
            )
            for stance in Stance.values
        }
        return self.annotate(**counts)


class Proposal(models.Model):
    """A proposal any member opens; members take positions until the deadline."""

    group = models.ForeignKey(
        "groups.Group", on_delete=models.CASCADE, related_name="governance_proposals"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_proposals",
    )
    kind = models.CharField(max_length=20, choices=ProposalKind.choices)
    title = models.CharField(gettext_lazy("title"), max_length=200)
    text = models.TextField(gettext_lazy("proposal"), max_length=10000)
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(
        max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.OPEN, db_index=True
    )
    round = models.PositiveSmallIntegerField(default=1)
    deadline = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    # The rules in force when it opened: changing them later does not move the goalposts.
    rule = models.CharField(max_length=20, choices=DecisionRule.choices)
    min_agrees = models.PositiveSmallIntegerField()
    majority_percent = models.PositiveSmallIntegerField()
    second_round_days = models.PositiveSmallIntegerField()
    # What it does when it passes; which fields count depends on `kind`.
    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals_about",
    )
    term_days = models.PositiveSmallIntegerField(null=True, blank=True)
    setting_key = models.CharField(max_length=40, blank=True)
    setting_value = models.CharField(max_length=100, blank=True)
    agreement = models.ForeignKey(
        "Agreement",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    # agree-area: the newer group whose area overlaps this group's; join-network: the
    # network (or area) group to sit inside.
    other_group = models.ForeignKey(
        "groups.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The agreement version this amends (0 for a new agreement).
    agreement_base = models.PositiveIntegerField(default=0)
    agreement_title = models.CharField(max_length=200, blank=True)
    agreement_text = models.TextField(max_length=20000, blank=True)
    effect_problem = models.CharField(max_length=20, choices=EffectProblem.choices, blank=True)
    reminded_round = models.PositiveSmallIntegerField(default=0)
    # The count when it closed, kept so that history reads the same after people leave.
    final_agree = models.PositiveIntegerField(default=0)
    final_abstain = models.PositiveIntegerField(default=0)
    final_disagree = models.PositiveIntegerField(default=0)
    final_block = models.PositiveIntegerField(default=0)
    final_needed = models.PositiveIntegerField(default=0)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["group", "status", "deadline"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == ProposalStatus.OPEN

    @property
    def setting_label(self) -> str:
        spec = SETTINGS.get(self.setting_key)
        return str(spec.label) if spec else self.setting_key

    @property
    def setting_value_display(self) -> str:
        if self.setting_key not in SETTINGS:
            return self.setting_value
        return setting_display(self.setting_key, self.setting_value)


class ProposalVersion(models.Model):
    """The text of a proposal as it stood after each edit (version 1 is the original)."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField(max_length=10000)
    agreement_title = models.CharField(max_length=200, blank=True)
    agreement_text = models.TextField(max_length=20000, blank=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="proposal_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.number}"


class Stance(models.TextChoices):
    AGREE = "agree", gettext_lazy("Agree")
    ABSTAIN = "abstain", gettext_lazy("Abstain")
    DISAGREE = "disagree", gettext_lazy("Disagree, but let it pass")
    BLOCK = "block", gettext_lazy("Block")


class Position(models.Model):
    """A member's current position on a proposal; it may change until the deadline."""

    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="governance_positions"
    )
    stance = models.CharField(max_length=10, choices=Stance.choices)
    reason = models.TextField(max_length=2000, blank=True)
    # Which version of the text it was taken on, so people see when the text changed since.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "member"], name="one_position_each"),
            models.CheckConstraint(
                condition=~Q(stance="block") | ~Q(reason=""), name="block_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.stance} on {self.proposal_id}"


class Comment(models.Model):
    group = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="+")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="governance_comments",
    )
    text = models.TextField(max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.proposal_id}"
