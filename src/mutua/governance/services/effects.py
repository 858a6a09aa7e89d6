"""What a proposal will do when it passes, checked when it is opened so members decide on
something that can be carried out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from mutua.core.errors import InvalidInput
from mutua.governance import policy, selectors
from mutua.governance.extensions import cleaner_for
from mutua.governance.models import (
    CATEGORY_CHOICES,
    SETTINGS,
    Agreement,
    AgreementVersion,
    ProposalKind,
    split_categories,
)
from mutua.governance.services._common import _check_role, _clean_agreement, _require_subject_member
from mutua.groups import selectors as group_selectors
from mutua.groups.models import Group
from mutua.people.models import User

MAX_TERM_DAYS = 365
_PHONE = re.compile(r"\+[1-9][0-9]{6,14}")
_PHONE_PUNCTUATION = re.compile(r"[ ()\-.]")


def parse_setting(key: str, value: str) -> str:
    """A setting's new value, checked and written the way it is stored ("" for the site
    default); InvalidInput naming the field if it is not one the setting accepts."""
    spec = SETTINGS.get(key)
    if spec is None:
        raise InvalidInput(_("Unknown setting: %(key)s") % {"key": key}, field="setting_key")
    value = value.strip()
    label = str(spec.label)
    if not value:
        if spec.optional:
            return ""
        raise InvalidInput(
            _("Give a value for “%(setting)s”.") % {"setting": label}, field="setting_value"
        )
    if spec.categories:
        known = [slug for slug, _name in CATEGORY_CHOICES]
        chosen = split_categories(value)
        unknown = [c for c in chosen if c not in known]
        if unknown:
            raise InvalidInput(
                _("Unknown kind of help: %(c)s. Choose among: %(values)s.")
                % {"c": unknown[0], "values": ", ".join(known)},
                field="setting_value",
            )
        # One order and no repeats, so the same choice is always written the same way.
        return ",".join(c for c in known if c in chosen)
    if spec.choices is not None:
        if value not in spec.choices.values:
            raise InvalidInput(
                _("“%(setting)s” must be one of: %(values)s.")
                % {"setting": label, "values": ", ".join(spec.choices.values)},
                field="setting_value",
            )
        return value
    if spec.phone:
        compact = _PHONE_PUNCTUATION.sub("", value)
        if not _PHONE.fullmatch(compact):
            raise InvalidInput(
                _("Give the number in international form, for example +447700900123."),
                field="setting_value",
            )
        return compact
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput(
            _("“%(setting)s” must be a whole number.") % {"setting": label},
            field="setting_value",
        ) from None
    if not spec.minimum <= number <= spec.maximum:
        raise InvalidInput(
            _("“%(setting)s” must be from %(min)d to %(max)d.")
            % {"setting": label, "min": spec.minimum, "max": spec.maximum},
            field="setting_value",
        )
    return str(number)


@dataclass(frozen=True)
class _Effect:
    role: str = ""
    subject: User | None = None
    term_days: int | None = None
    setting_key: str = ""
    setting_value: str = ""
    agreement: Agreement | None = None
    agreement_base: int = 0
    agreement_title: str = ""
    agreement_text: str = ""
    other_group: Group | None = None


def _clean_effect(
    *,
    group: Group,
    author: User,
    kind: ProposalKind,
    role: str,
    subject: User | None,
    term_days: int | None,
    setting_key: str,
    setting_value: str,
    agreement: Agreement | None,
    agreement_title: str,
    agreement_text: str,
    other_group: Group | None = None,
) -> _Effect:
    """What the proposal will do when it passes, checked now so members decide on
    something that can be carried out."""
    if kind == ProposalKind.GRANT_ROLE:
        group_settings = selectors.group_settings(group)
        days = group_settings.role_term_days if term_days is None else term_days
        if isinstance(days, bool) or not 1 <= days <= MAX_TERM_DAYS:
            raise InvalidInput(
                _("A term lasts from 1 to %(max)d days.") % {"max": MAX_TERM_DAYS},
                field="term_days",
            )
        return _Effect(
            role=_check_role(role),
            subject=_require_subject_member(group, subject),
            term_days=days,
        )
    if kind == ProposalKind.REVOKE_ROLE:
        checked = _check_role(role)
        holder = _require_subject_member(group, subject)
        if not policy.has_role(holder, group, checked):
            raise InvalidInput(
                _("%(name)s does not hold the role %(role)s.")
                % {"name": holder.display_name, "role": checked.label},
                field="subject",
            )
        return _Effect(role=checked, subject=holder)
    if kind == ProposalKind.CHANGE_SETTING:
        value = parse_setting(setting_key, setting_value)
        if value == selectors.setting_value(selectors.group_settings(group), setting_key):
            raise InvalidInput(_("That is already the group's setting."), field="setting_value")
        return _Effect(setting_key=setting_key, setting_value=value)
    if kind == ProposalKind.AGREEMENT:
        if agreement is not None and agreement.group_id != group.pk:
            raise InvalidInput(_("That agreement belongs to another group."), field="agreement")
        title, text = _clean_agreement(
            agreement_title or (agreement.title if agreement else ""), agreement_text
        )
        base = agreement.current_version if agreement else 0
        if agreement is not None and base:
            current = AgreementVersion.objects.get(agreement=agreement, number=base)
            if (current.title, current.text) == (title, text):
                raise InvalidInput(
                    _("This is the agreement's current text; change something first."),
                    field="agreement_text",
                )
        return _Effect(
            agreement=agreement, agreement_base=base, agreement_title=title, agreement_text=text
        )
    if kind == ProposalKind.RESTORE_CLAIMING:
        return _Effect(subject=_require_subject_member(group, subject))
    if kind == ProposalKind.AGREE_AREA:
        return _Effect(other_group=_clean_other_group(group, other_group))
    if kind == ProposalKind.JOIN_NETWORK:
        return _Effect(other_group=_clean_network(group, other_group))
    if kind == ProposalKind.LEAVE_NETWORK:
        if group.parent_id is None:
            raise InvalidInput(_("This group is not part of a network."), field="kind")
        return _Effect(other_group=group.parent)
    clean = cleaner_for(kind)
    if clean is not None:
        return _Effect(setting_value=clean(setting_value))
    if kind == ProposalKind.DISPATCH_ROUNDS:
        raise InvalidInput(_("This server cannot carry out this kind of proposal."), field="kind")
    if kind == ProposalKind.REMOVE_MEMBER:
        person = _require_subject_member(group, subject)
        if person.pk == author.pk:
            raise InvalidInput(
                _("To leave the group, use “Leave the group” on its page."), field="subject"
            )
        return _Effect(subject=person)
    return _Effect()


def _clean_other_group(group: Group, other: Group | None) -> Group:
    """A newer group, not yet established, whose area overlaps this group's."""
    if other is None or other.pk == group.pk:
        raise InvalidInput(
            _("Choose the new group that asks to share your area."), field="other_group"
        )
    if other.is_established:
        raise InvalidInput(
            _("%(group)s already receives the asks of its area.") % {"group": other.name},
            field="other_group",
        )
    if group.pk not in {g.pk for g in group_selectors.overlapping_groups(other)}:
        raise InvalidInput(
            _("The area of %(group)s does not overlap this group's.") % {"group": other.name},
            field="other_group",
        )
    return other


def _clean_network(group: Group, network: Group | None) -> Group:
    """A group of a wider kind to sit inside, not this group nor one inside it."""
    if network is None or network.pk == group.pk:
        raise InvalidInput(_("Choose the network to join."), field="other_group")
    if network.pk == group.parent_id:
        raise InvalidInput(
            _("This group is already part of %(group)s.") % {"group": network.name},
            field="other_group",
        )
    if not group_selectors.is_wider_kind(network, than=group):
        raise InvalidInput(
            _("%(group)s is not a wider group than this one.") % {"group": network.name},
            field="other_group",
        )
    if group.pk in group_selectors.ancestor_ids(network):
        raise InvalidInput(
            _("%(group)s is inside this group.") % {"group": network.name},
            field="other_group",
        )
    return network
