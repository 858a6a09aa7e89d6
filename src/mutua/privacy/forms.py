from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EraseForm(forms.Form):
    confirm_email = forms.CharField(
        label=_("Type your email address to confirm"), max_length=254, strip=True
    )


class ReportForm(forms.Form):
    why = forms.CharField(
        label=_("What worries you?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )
