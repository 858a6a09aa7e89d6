"""The shape of what people type into the resources pages; services check the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

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
