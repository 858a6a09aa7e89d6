from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from mutua.relay.models import MAX_BODY


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"),
        max_length=MAX_BODY,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Phone numbers, e-mail addresses and the address are taken out."),
    )
