"""Forms of notify. They check shape only; the services decide the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mutua.aid.forms import CONFIRM_AS_TYPED, place_step
from mutua.aid.models import Urgency
from mutua.aid.services import CONSENT_TEXT
from mutua.core.categories import Category
from mutua.groups.selectors.places import Confirmation
from mutua.notify.models import NearbyAsks

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Service field names -> the form fields that show their errors.
HOTLINE_FIELDS = {"contact_name": "name", "contact_phone": "phone", "consent": "consent"}


def _spoken_languages() -> list[tuple[str, StrOrPromise]]:
    return list(getattr(settings, "MUTUA_SPOKEN_LANGUAGES", settings.LANGUAGES))


class InboundSmsForm(forms.Form):
    """The fields of Twilio's webhook that mutua reads (a compatible gateway sends the same)."""

    MessageSid = forms.CharField(max_length=64)
    From = forms.CharField(max_length=40)
    # Not limited here: receive_sms keeps the first sms.MAX_LENGTH characters of a longer one.
    Body = forms.CharField(required=False, strip=False)


class CallStatusForm(forms.Form):
    """The fields of Twilio's call status (and recording status) callback mutua reads."""

    CallSid = forms.CharField(max_length=64)
    From = forms.CharField(max_length=40)
    CallStatus = forms.CharField(max_length=20, required=False)
    FromCountry = forms.CharField(max_length=2, required=False)
    RecordingSid = forms.CharField(max_length=64, required=False)
    RecordingUrl = forms.CharField(max_length=500, required=False)


class HotlineForm(forms.Form):
    """Phone intake, in the order a call goes: who, which language, what, where, consent."""

    phone = forms.CharField(
        label=_("Caller's phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autofocus": True, "autocomplete": "off"}),
        help_text=_("Earlier asks from the same number are shown, so nothing is entered twice."),
    )
    name = forms.CharField(label=_("Caller's name"), max_length=120, required=False)
    language = forms.ChoiceField(label=_("Language the caller speaks"), choices=_spoken_languages)
    what = forms.CharField(
        label=_("What do they need?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(label=_("Kind of help"), choices=Category.choices)
    urgency = forms.TypedChoiceField(
        label=_("How soon?"),
        choices=sorted(Urgency.choices, reverse=True),
        coerce=int,
        initial=Urgency.NORMAL,
    )
    place = forms.CharField(
        label=_("Town, district or postcode"),
        max_length=200,
        help_text=_("Or “latitude, longitude”. Helpers only see the area."),
        error_messages={
            "required": _("Ask the caller where help is needed: a town, district or postcode.")
        },
    )
    # The place the volunteer confirmed among those understood (see clean()).
    place_choice = forms.CharField(max_length=40, required=False)
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_("Only the person who comes to help sees it."),
    )
    approve_helper = forms.BooleanField(
        label=_(
            "The caller wants to say yes to whoever offers to come, before they get the "
            "caller's details (we text them YES or NO)"
        ),
        required=False,
    )
    consent = forms.BooleanField(
        label=_("I read this to the caller and they agreed"),
        # The very sentence the ask records as agreed.
        help_text=_(CONSENT_TEXT),
        error_messages={"required": _("Ask the caller for their agreement before saving.")},
    )
    not_duplicate = forms.BooleanField(
        label=_("This is a new ask, not one of those above."), required=False
    )
    draft = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["place"].widget.attrs.update(CONFIRM_AS_TYPED)
        self.place_confirmation: Confirmation | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["point"] = None
        if "place" not in self.errors and "address" not in self.errors:
            self.place_confirmation, data["point"] = place_step(
                self, data.get("place", ""), data.get("address", ""), data.get("place_choice", "")
            )
        return data


class PreferenceForm(forms.Form):
    nearby_asks = forms.ChoiceField(
        label=_("New asks near me that I can help with"),
        choices=NearbyAsks.choices,
        widget=forms.RadioSelect,
    )
    by_email = forms.BooleanField(label=_("Tell me by email"), required=False)
    by_sms = forms.BooleanField(label=_("Tell me by text message"), required=False)
    apprise_url = forms.CharField(
        label=_("Tell me in another app (Apprise address)"),
        max_length=500,
        required=False,
        help_text=_(
            "For Signal, Telegram, Matrix and many more, for example tgram://bottoken/ChatID."
        ),
    )
    language = forms.ChoiceField(
        label=_("Language of my messages"),
        required=False,
        choices=lambda: [("", _("As on my profile")), *_spoken_languages()],
    )
    quiet_from = forms.TimeField(
        label=_("Quiet from"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=_("Messages between these times wait until the end."),
    )
    quiet_to = forms.TimeField(
        label=_("Quiet until"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
