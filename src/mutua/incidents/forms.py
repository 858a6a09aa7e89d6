"""Forms of the incident pages. They check shape only; the services decide the rest."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mutua.incidents import intake
from mutua.incidents.models import Incident, IncidentType, WorkType
from mutua.incidents.services.lifecycle import DECISION_DAYS

# Larger files are not an area anyone drew by hand or a council published for a ward.
MAX_AREA_BYTES = 2_000_000


class IncidentForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=IncidentType.choices)
    area = forms.CharField(
        label=gettext_lazy("Area (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Draw it on the map, paste a Polygon drawn on any map tool, or upload a file."
        ),
    )
    area_file = forms.FileField(label=gettext_lazy("Or a GeoJSON file"), required=False)
    work_types = forms.MultipleChoiceField(
        label=gettext_lazy("Types of work"),
        choices=WorkType.choices,
        initial=list(WorkType.values),
        widget=forms.CheckboxSelectMultiple,
    )
    emergency = forms.BooleanField(
        label=gettext_lazy(
            "Open it now, as a dispatcher in an emergency; the group confirms it afterwards"
        ),
        required=False,
    )
    days = forms.IntegerField(
        label=gettext_lazy("Days for the group to decide"),
        min_value=1,
        max_value=90,
        initial=DECISION_DAYS,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("area_file")
        if upload is not None and upload.size > MAX_AREA_BYTES:
            raise forms.ValidationError({"area_file": _("This file is too large for an area.")})
        text = upload.read().decode("utf-8", "replace") if upload is not None else data.get("area")
        if not text:
            raise forms.ValidationError(
                {"area": _("Draw the incident's area or give it as GeoJSON.")}
            )
        try:
            data["geojson"] = json.loads(text)
        except ValueError:
            raise forms.ValidationError({"area": _("This is not GeoJSON.")}) from None
        return data


class WorkClaimForm(forms.Form):
    work_type = forms.ChoiceField(label=gettext_lazy("Type of work"), choices=())
    group = forms.ChoiceField(label=gettext_lazy("For the group"), choices=())

    def __init__(self, *args: Any, incident: Incident, groups: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["work_type"].choices = incident.work_type_labels()  # type: ignore[attr-defined]
        self.fields["group"].choices = [(g.slug, g.name) for g in groups]  # type: ignore[attr-defined]


class AssessForm(forms.Form):
    """The work a case needs, and the incident's own intake questions."""

    needs = forms.MultipleChoiceField(
        label=gettext_lazy("Work needed"),
        choices=(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, incident: Incident, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["needs"].choices = incident.work_type_labels()  # type: ignore[attr-defined]
        self.intake_keys = []
        for spec in incident.intake_fields:
            label = _(spec["label"])
            key = f"intake_{spec['key']}"
            self.intake_keys.append((key, spec["key"]))
            if spec["type"] == intake.NUMBER:
                self.fields[key] = forms.FloatField(label=label, required=False, min_value=0)
            elif spec["type"] == intake.YES_NO:
                self.fields[key] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
                )
            else:
                self.fields[key] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", "—"), *[(c, c) for c in spec["choices"]]],
                )

    def answers(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(key) for key, name in self.intake_keys}
