"""Forms for governance pages. They check shape only; services decide the rest."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from mutua.core.forms import PLACE_NOT_FOUND, HiddenCoordinate, pinned_point
from mutua.governance.models import (
    SETTINGS,
    Agreement,
    ProposalKind,
    Role,
    Stance,
)
from mutua.groups.models import Group, GroupKind
from mutua.groups.selectors.places import resolve_place
from mutua.people.models import User


class MemberChoiceField(forms.ModelChoiceField[User]):
    """A member, shown by the name they chose (never their email address)."""

    def label_from_instance(self, obj: User) -> str:
        return obj.display_name


class FoundGroupForm(forms.Form):
    name = forms.CharField(label=_("Name of the group"), max_length=120)
    description = forms.CharField(
        label=_("About the group"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who you are and how people can find you. Optional."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=GroupKind.choices, initial=GroupKind.WARD)
    place = forms.CharField(
        label=_("Where is its centre? Town or district"),
        max_length=200,
        required=False,
        help_text=_("You can also type “latitude, longitude”."),
    )
    lat = HiddenCoordinate(label=_("Latitude"), minimum=-90, maximum=90)
    lon = HiddenCoordinate(label=_("Longitude"), minimum=-180, maximum=180)
    radius_km = forms.FloatField(
        label=_("How far around it (km)"),
        min_value=0.2,
        max_value=25,
        initial=1,
        help_text=_("Asks from inside this area come to the group."),
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        point = pinned_point(data.get("lat"), data.get("lon")) or resolve_place(
            data.get("place", "")
        )
        if point is None and "place" not in self.errors:
            self.add_error("place", PLACE_NOT_FOUND)
        data["point"] = point
        return data


class ProposalForm(forms.Form):
    """A new proposal; the fields for what it does depend on its kind."""

    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("The proposal"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you propose and why. Members can ask questions in the comments."),
    )
    days = forms.IntegerField(
        label=_("Days to decide"),
        min_value=1,
        max_value=90,
        initial=7,
        help_text=_("Members take positions until then."),
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        members: QuerySet[User],
        agreements: QuerySet[Agreement],
        waiting: QuerySet[Group] | None = None,
        networks: QuerySet[Group] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == ProposalKind.AGREE_AREA:
            self.fields["other_group"] = forms.ModelChoiceField(
                label=_("The new group"),
                queryset=waiting if waiting is not None else Group.objects.none(),
                help_text=_(
                    "New groups whose area overlaps ours. If this passes, asks from the "
                    "shared streets go to that group once it is established."
                ),
            )
        if kind == ProposalKind.JOIN_NETWORK:
            self.fields["other_group"] = forms.ModelChoiceField(
                label=_("The network"),
                queryset=networks if networks is not None else Group.objects.none(),
                help_text=_(
                    "A wider group to sit inside. It coordinates; it never decides for "
                    "this group, which can leave again the same way."
                ),
            )
        if kind in (ProposalKind.GRANT_ROLE, ProposalKind.REVOKE_ROLE):
            self.fields["role"] = forms.ChoiceField(label=_("Role"), choices=Role.choices)
        if kind in (
            ProposalKind.GRANT_ROLE,
            ProposalKind.REVOKE_ROLE,
            ProposalKind.REMOVE_MEMBER,
            ProposalKind.RESTORE_CLAIMING,
        ):
            self.fields["subject"] = MemberChoiceField(label=_("Member"), queryset=members)
        if kind == ProposalKind.GRANT_ROLE:
            self.fields["term_days"] = forms.IntegerField(
                label=_("Term (days)"),
                min_value=1,
                max_value=365,
                required=False,
                help_text=_("Leave empty for the group's usual term. The role ends after it."),
            )
        if kind == ProposalKind.CHANGE_SETTING:
            self.fields["setting_key"] = forms.ChoiceField(
                label=_("Setting"), choices=[(key, spec.label) for key, spec in SETTINGS.items()]
            )
            self.fields["setting_value"] = forms.CharField(
                label=_("New value"),
                max_length=100,
                required=False,
                help_text=_("Leave empty to use the site's default, where a setting has one."),
            )
        if kind == ProposalKind.DISPATCH_ROUNDS:
            self.fields["setting_value"] = forms.CharField(
                label=_("Every how many minutes"),
                max_length=5,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                help_text=_(
                    "Dispatch then runs by itself that often and suggests a helper for each "
                    "new ask. 0 turns the automatic rounds off."
                ),
            )
        if kind == ProposalKind.AGREEMENT:
            self.fields["agreement"] = forms.ModelChoiceField(
                label=_("Agreement"),
                queryset=agreements,
                required=False,
                empty_label=_("A new agreement"),
            )
            self.fields["agreement_title"] = forms.CharField(
                label=_("Title of the agreement"), max_length=200
            )
            self.fields["agreement_text"] = forms.CharField(
                label=_("Text of the agreement"),
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 12}),
            )
        if kind == ProposalKind.REMOVE_MEMBER:
            self.fields["days"] = forms.IntegerField(
                label=_("Days to decide"),
                min_value=3,
                max_value=90,
                initial=7,
                help_text=_("At least 3, so that the member can see the proposal and answer it."),
            )

    def effect_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in ("title", "text", "days")]


class EditProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("The proposal"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == ProposalKind.AGREEMENT:
            self.fields["agreement_title"] = forms.CharField(
                label=_("Title of the agreement"), max_length=200
            )
            self.fields["agreement_text"] = forms.CharField(
                label=_("Text of the agreement"),
                max_length=20000,
                widget=forms.Textarea(attrs={"rows": 12}),
            )


class PositionForm(forms.Form):
    stance = forms.ChoiceField(
        label=_("Your position"), choices=Stance.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed for a block: a block stops the proposal."),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class TrustForm(forms.Form):
    receiver = MemberChoiceField(label=_("Member"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("MemberChoiceField", self.fields["receiver"]).queryset = members


class AreaForm(forms.Form):
    """A new area for the group: drawn on the map (the page's script writes the drawing
    here as GeoJSON), pasted as GeoJSON, or uploaded as a .geojson file."""

    area = forms.CharField(
        label=_("The new area, as GeoJSON"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("Draw it on the map above, or paste a Polygon or a FeatureCollection."),
    )
    file = forms.FileField(
        label=_("Or upload a GeoJSON file"),
        required=False,
        help_text=_("Councils publish ward boundaries this way (.geojson or .json)."),
    )
    days = forms.IntegerField(label=_("Days to decide"), min_value=1, max_value=60, initial=7)

    # A ward boundary is tens of kilobytes; a whole city's, a few megabytes.
    MAX_BYTES = 5 * 1024 * 1024

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > self.MAX_BYTES:
                raise forms.ValidationError(_("That file is too large (5 MB at most)."))
            text = upload.read().decode("utf-8", errors="replace")
        else:
            text = (data.get("area") or "").strip()
        if not text:
            raise forms.ValidationError(_("Draw the new area on the map, or give it as GeoJSON."))
        try:
            data["geojson"] = json.loads(text)
        except json.JSONDecodeError:
            raise forms.ValidationError(_("That is not GeoJSON: it could not be read.")) from None
        return data
