"""Forms of the check-in rota. They check shape only; the services decide the rest."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mutua.checkins.models import Outcome
from mutua.core.forms import PLACE_NOT_FOUND
from mutua.groups.selectors.places import resolve_place

SIGN_UP_FIELDS = {"phone": "phone", "name": "name", "consent": "consent"}


class SignUpForm(forms.Form):
    """Someone who wants a weekly call: the member themselves, or a caller on the phone
    with the hotline (`on_behalf`)."""

    on_behalf = forms.BooleanField(
        label=_("I am signing up someone on the phone (hotline)"), required=False
    )
    name = forms.CharField(label=_("Name to ask for"), max_length=120)
    phone = forms.CharField(label=_("Phone number to call"), max_length=40)
    language = forms.ChoiceField(label=_("Language for the calls"), choices=())
    place = forms.CharField(
        label=_("Town or district"),
        max_length=200,
        help_text=_("Where help goes if a call finds they need it."),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    consent = forms.BooleanField(
        label=_(
            "They agree that the group keeps their name, number and address to call them "
            "each week, and that only their caller of the week sees the number."
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        spoken = getattr(settings, "MUTUA_SPOKEN_LANGUAGES", settings.LANGUAGES)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = list(spoken)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["point"] = resolve_place(data.get("place", ""), data.get("address", ""))
        if data["point"] is None and "place" not in self.errors:
            self.add_error("place", PLACE_NOT_FOUND)
        return data


class CallForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the call go?"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("What do they need?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only for “needs help”: it becomes an ask of the group."),
    )
