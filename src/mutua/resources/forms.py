"""The shape of what people type into the resources pages; services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from mutua.resources.models import Hub, MovementKind, StockItem
from mutua.resources.services.ledger import RECORDABLE


class TransferForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=[(k.value, k.label) for k in RECORDABLE]
    )
    amount = forms.CharField(label=gettext_lazy("Amount"), max_length=20)
    memo = forms.CharField(label=gettext_lazy("What for"), max_length=200)
    category = forms.CharField(label=gettext_lazy("Category"), max_length=60, required=False)
    receipt = forms.FileField(
        label=gettext_lazy("Receipt (PDF or photo, up to 5 MB)"), required=False
    )


class MoneyAskForm(forms.Form):
    amount = forms.CharField(label=gettext_lazy("How much"), max_length=20)
    reason = forms.CharField(
        label=gettext_lazy("What it is for (only the treasurer sees this)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


WEEKDAYS = [
    (0, gettext_lazy("Monday")),
    (1, gettext_lazy("Tuesday")),
    (2, gettext_lazy("Wednesday")),
    (3, gettext_lazy("Thursday")),
    (4, gettext_lazy("Friday")),
    (5, gettext_lazy("Saturday")),
    (6, gettext_lazy("Sunday")),
]


class ShiftForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What"), max_length=120)
    place = forms.CharField(label=gettext_lazy("Where"), max_length=200, required=False)
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("On"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    starts = forms.TimeField(
        label=gettext_lazy("From"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    ends = forms.TimeField(
        label=gettext_lazy("Until"), widget=forms.TimeInput(attrs={"type": "time"})
    )
    slots = forms.IntegerField(label=gettext_lazy("People needed"), min_value=1, max_value=200)
    first_day = forms.DateField(
        label=gettext_lazy("From the day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    last_day = forms.DateField(
        label=gettext_lazy("Until the day (empty: no end)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ShiftDayForm(forms.Form):
    day = forms.DateField()


class CalloutForm(forms.Form):
    what = forms.CharField(
        label=gettext_lazy("What is needed"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    place = forms.CharField(
        label=gettext_lazy("Where to gather (every member called sees it)"), max_length=200
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("When"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Until (empty: two hours later)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    radius_km = forms.FloatField(
        label=gettext_lazy("Call members living within (km)"), min_value=0.1, max_value=50
    )


class HubForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=300, required=False)
    opening_hours = forms.CharField(
        label=gettext_lazy("Opening hours"), max_length=300, required=False
    )


class StockItemForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Item"), max_length=120)
    unit = forms.CharField(label=gettext_lazy("Counted in (tins, kg, packs)"), max_length=30)
    low_at = forms.IntegerField(
        label=gettext_lazy("Tell the stock keepers at or below (0: never)"),
        min_value=0,
        initial=0,
    )


class MovementForm(forms.Form):
    hub_id = forms.TypedChoiceField(label=gettext_lazy("Hub"), coerce=int)
    item_id = forms.TypedChoiceField(label=gettext_lazy("Item"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("What happened"), choices=MovementKind.choices)
    quantity = forms.IntegerField(label=gettext_lazy("How many"), min_value=1)
    use_by = forms.DateField(
        label=gettext_lazy("Use by (recovered food)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ask_id = forms.IntegerField(
        label=gettext_lazy("For ask number (given out)"), required=False, min_value=1
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason, if it takes the stock below zero"),
        max_length=200,
        required=False,
    )

    def __init__(self, *args: Any, hubs: list[Hub], items: list[StockItem], **kwargs: Any):
        super().__init__(*args, **kwargs)
        hub_field, item_field = self.fields["hub_id"], self.fields["item_id"]
        assert isinstance(hub_field, forms.ChoiceField)
        assert isinstance(item_field, forms.ChoiceField)
        hub_field.choices = [(h.pk, h.name) for h in hubs]
        item_field.choices = [(i.pk, f"{i.name} ({i.unit})") for i in items]


class ThingForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What"), max_length=120)
    description = forms.CharField(
        label=gettext_lazy("About it (size, how to use it)"), max_length=500, required=False
    )
    hub_id = forms.TypedChoiceField(
        label=gettext_lazy("Lent by"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, hubs: list[Hub], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["hub_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", gettext_lazy("Me")), *((h.pk, h.name) for h in hubs)]


class BorrowForm(forms.Form):
    due_on = forms.DateField(
        label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )


class GatheringForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("What"), max_length=120)
    place = forms.CharField(
        label=gettext_lazy("Where (a hall, a park, a call's link)"), max_length=300
    )
    starts_at = forms.DateTimeField(
        label=gettext_lazy("When"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=gettext_lazy("Until (empty: two hours later)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    description = forms.CharField(
        label=gettext_lazy("About it"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    private_attendance = forms.BooleanField(
        label=gettext_lazy("Keep attendance private: show only how many are coming"),
        required=False,
    )
