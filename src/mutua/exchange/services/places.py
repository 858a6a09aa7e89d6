"""Place names a group adds from a file (CSV or GeoJSON; docs/places.md): at once by a
dispatcher or by whoever runs the server (`mutua import places`), or by any member
through a proposal the group decides on. All or nothing, each logged in the group's
history.

The names are written by `groups.services.add_place_names`; this module owns the file,
who may add, the proposal that carries a member's file, and the log line."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput, NotAllowed
from mutua.exchange.models import PlaceNameProposal
from mutua.exchange.places import PlaceFile
from mutua.governance import policy as governance_policy
from mutua.governance import services as governance_services
from mutua.governance.extensions import EffectRefused
from mutua.governance.models import LogKind, Proposal, ProposalKind, Role
from mutua.groups import selectors as group_selectors
from mutua.groups import services as group_services
from mutua.groups.models import Group, PlaceName
from mutua.people.models import User

# The role that adds names at once: it looks after where the group's asks go.
ADDING_ROLE = Role.DISPATCHER
PROPOSAL_DAYS = 7
_NAMES_IN_PROPOSAL = 60  # the proposal's text lists this many, then says how many more


class PlacesRefused(InvalidInput):
    """One or more rows cannot be added, so none is. `problems` has one line per bad row
    ("line 4: ..."), the message the first of them."""

    def __init__(self, problems: list[str]) -> None:
        first = problems[0]
        more = len(problems) - 1
        message = (
            first
            if not more
            else _("%(first)s (and %(more)d more problems)") % {"first": first, "more": more}
        )
        super().__init__(message, field="file")
        self.problems = problems


def may_add_at_once(user: User | None, group: Group) -> bool:
    """Whether `user` may add names without a proposal: the group's dispatchers."""
    return governance_policy.has_role(user, group, ADDING_ROLE)


def checked_names(*, group: Group, place_file: PlaceFile) -> list[group_services.NewPlaceName]:
    """Every row of the file, cleaned, or PlacesRefused listing every bad row (a name
    outside the group's area among them). Writes nothing."""
    problems: list[str] = []
    area = group_selectors.area_cells(group)
    names: list[group_services.NewPlaceName] = []
    for where, row in place_file.rows:
        if isinstance(row, str):
            problems.append(row)
            continue
        try:
            names.append(group_services.check_place_name(place=row, area=area, where=where))
        except InvalidInput as exc:
            problems.append(exc.message)
    if not names and not problems:
        problems.append(_("The file has no place names in it."))
    if len(names) > group_services.MAX_PLACE_NAMES:
        problems.append(
            _("At most %(limit)d place names at once.") % {"limit": group_services.MAX_PLACE_NAMES}
        )
    if problems:
        raise PlacesRefused(problems)
    return names


@transaction.atomic
def add_place_names(*, group: Group, place_file: PlaceFile, by: User | None) -> list[PlaceName]:
    """Add the file's names to the group at once. `by` is a dispatcher of the group, or
    None for whoever runs the server (the command line)."""
    if by is not None and not may_add_at_once(by, group):
        raise NotAllowed(
            _(
                "Only the group's dispatchers add place names at once; propose them to the "
                "group instead."
            )
        )
    names = checked_names(group=group, place_file=place_file)
    saved = group_services.add_place_names(group=group, places=names)
    governance_services.record_in_history(
        group=group, kind=LogKind.PLACE_NAMES_ADDED, actor=by, detail=str(len(saved))
    )
    return saved


@transaction.atomic
def propose_place_names(
    *, group: Group, place_file: PlaceFile, by: User, days: int = PROPOSAL_DAYS
) -> Proposal:
    """Put the file's names to the group: any member may. The names are checked now, so
    the group decides on names that can be added."""
    names = checked_names(group=group, place_file=place_file)
    listed = "\n".join(f"- {name.name} ({name.kind})" for name in names[:_NAMES_IN_PROPOSAL])
    if len(names) > _NAMES_IN_PROPOSAL:
        listed += "\n" + _("... and %(n)d more.") % {"n": len(names) - _NAMES_IN_PROPOSAL}
    proposal = governance_services.open_proposal(
        group=group,
        author=by,
        kind=ProposalKind.PLACE_NAMES,
        title=_("Add %(n)d place names people use in our area") % {"n": len(names)},
        text=_(
            "If this passes, asks typed with these names reach the places below, which are "
            "all in the group's area:"
        )
        + "\n\n"
        + listed,
        days=days,
        external=True,
    )
    PlaceNameProposal.objects.create(
        group=group,
        proposal=proposal,
        names=[{"name": n.name, "lat": n.lat, "lon": n.lon, "kind": n.kind} for n in names],
        source=place_file.source,
    )
    return proposal


def add_by_decision(proposal: Proposal, now: datetime) -> None:
    """The effect of a passed place-names proposal (governance runs it in the transaction
    that closes the proposal). The area may have changed since: then nothing is added."""
    pending = (
        PlaceNameProposal.objects.select_for_update()
        .select_related("group")
        .filter(proposal=proposal, added_at__isnull=True)
        .first()
    )
    if pending is None:
        raise EffectRefused(_("the place names were already added"))
    names = [
        group_services.NewPlaceName(row["name"], row["lat"], row["lon"], row["kind"])
        for row in pending.names
    ]
    try:
        saved = group_services.add_place_names(group=pending.group, places=names)
    except InvalidInput as exc:
        raise EffectRefused(exc.message) from None
    pending.added_at = now
    pending.save(update_fields=["added_at"])
    governance_services.record_in_history(
        group=pending.group,
        kind=LogKind.PLACE_NAMES_ADDED,
        detail=str(len(saved)),
        proposal=proposal,
    )
