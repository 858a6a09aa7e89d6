"""Forms for asks, the board and offers. They check shape only; services decide the rest."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from mutua.aid.models import OfferKind, Urgency
from mutua.aid.selectors import BOARD_MAX_PAGES
from mutua.aid.services import CONSENT_TEXT
from mutua.core.categories import Category
from mutua.core.forms import PLACE_NOT_FOUND, WHERE_NEEDED, HiddenCoordinate, pinned_point
from mutua.groups.models import Group
from mutua.groups.selectors.places import Confirmation, confirm, resolve_place

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Service field names -> the form fields that show their errors.
ASK_FIELDS = {
    "contact_name": "name",
    "contact_phone": "phone",
    "contact_email": "email",
}


def _languages() -> list[tuple[str, StrOrPromise]]:
    return list(settings.MUTUA_SPOKEN_LANGUAGES)


class AskForm(forms.Form):
    what = forms.CharField(
        label=_("What do you need?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A sentence is enough, for example “Shopping for this week: bread and milk”."),
    )
    category = forms.ChoiceField(label=_("Kind of help"), choices=Category.choices)
    urgency = forms.TypedChoiceField(
        label=_("How soon?"),
        choices=sorted(Urgency.choices, reverse=True),
        coerce=int,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
    )
    place = forms.CharField(
        label=_("Where are you? Town, district or postcode"),
        max_length=200,
        # Needed, but a point on the map does instead, so the form asks for it in clean().
        required=False,
        help_text=_(
            "Helpers only see the area, about 1 km across. You can also type “latitude, longitude”."
        ),
    )
    # The place the person confirmed among those the form understood (see clean()).
    place_choice = forms.CharField(max_length=40, required=False)
    lat = HiddenCoordinate(label=_("Latitude"), minimum=-90, maximum=90)
    lon = HiddenCoordinate(label=_("Longitude"), minimum=-180, maximum=180)
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_("Only the person who comes to help sees it."),
    )
    name = forms.CharField(label=_("Your name"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    language = forms.ChoiceField(label=_("Language you would like help in"), choices=_languages)
    approve_helper = forms.BooleanField(
        label=_("Let me say yes to whoever offers to come, before they see my details"),
        required=False,
    )
    consent = forms.BooleanField(
        # The very sentence the service records with the ask.
        label=_(CONSENT_TEXT),
        error_messages={"required": _("Please tick the box so we can pass your details on.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["address"].widget.attrs["autocomplete"] = "street-address"
        self.fields["place"].widget.attrs["required"] = True
        self.fields["place"].widget.attrs.update(CONFIRM_AS_TYPED)
        self.place_confirmation: Confirmation | None = None

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        data["point"] = pinned_point(data.get("lat"), data.get("lon"))
        if data["point"] is not None or "place" in self.errors or "address" in self.errors:
            return data
        self.place_confirmation, data["point"] = place_step(
            self, data.get("place", ""), data.get("address", ""), data.get("place_choice", "")
        )
        return data


# With JavaScript, what the place means is shown as it is typed (aid:ask_place), so a
# person who picks one there sends the form once; without, the form comes back once with
# the same choices (the second step).
CONFIRM_AS_TYPED = {
    "hx-get": reverse_lazy("aid:ask_place"),
    "hx-trigger": "change",
    "hx-target": "#place-confirm",
    "hx-swap": "outerHTML",
    "hx-include": "[name=address]",
}


def place_step(
    form: forms.Form, place: str, address: str, picked: str
) -> tuple[Confirmation, tuple[float, float] | None]:
    """The place typed, understood and offered for confirmation; the point once the
    person picked one of the choices (None until then: the form is shown again with the
    choices, not with an error). A form with no usable place gets its error here."""
    found = confirm(place, address, picked)
    if not found.choices:
        form.add_error("place", PLACE_NOT_FOUND if place.strip() else WHERE_NEEDED)
    return found, found.point


class BoardForm(forms.Form):
    """The board's filters; every field optional so a bare /board/ is valid."""

    near = forms.CharField(
        label=_("Near"),
        max_length=200,
        required=False,
        help_text=_("A town or district, or “latitude, longitude”."),
    )
    radius_km = forms.IntegerField(
        label=_("Within (km)"), min_value=1, max_value=500, required=False
    )
    category = forms.ChoiceField(
        label=_("Kind of help"),
        required=False,
        choices=[("", _("All kinds")), *Category.choices],
    )
    my_languages = forms.BooleanField(
        label=_("Only asks in languages I speak"),
        required=False,
        help_text=_("The languages you speak are on your page."),
    )
    # Set by the "more" and "map" links, not shown as fields: a changed filter starts again
    # at the first page of the list.
    page = forms.IntegerField(min_value=1, max_value=BOARD_MAX_PAGES, required=False)
    view = forms.ChoiceField(choices=[("list", "list"), ("map", "map")], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["radius_km"].widget.attrs["placeholder"] = str(settings.MUTUA_BOARD_RADIUS_KM)

    def clean_near(self) -> tuple[float, float] | None:
        text = self.cleaned_data["near"].strip()
        if not text:
            return None
        point = resolve_place(text)
        if point is None:
            raise forms.ValidationError(PLACE_NOT_FOUND)
        return point


class OfferFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("Kind of help"),
        required=False,
        choices=[("", _("All kinds")), *Category.choices],
    )


class OfferForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What are you offering?"), choices=OfferKind.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(label=_("Kind of help"), choices=Category.choices)
    what = forms.CharField(
        label=_("Describe it"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example “I can shop on Saturday mornings” or “A spare cot to lend”."),
    )
    group = forms.ModelChoiceField(
        label=_("For which group?"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("Anyone nearby"),
    )

    def __init__(self, *args: Any, groups: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if groups is not None:
            cast("forms.ModelChoiceField[Group]", self.fields["group"]).queryset = groups


class AnswerOfferForm(forms.Form):
    """ "I could use this" on someone's offer: what for, and where (the person is signed in,
    so their account is a way to reach them; a phone or an address helps the helper)."""

    what = forms.CharField(
        label=_("What would you use it for?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    place = forms.CharField(
        label=_("Where are you? Town, district or postcode"),
        max_length=200,
        required=False,
        help_text=_("Left empty: near the home place on your profile. Helpers see the area only."),
    )
    address = forms.CharField(
        label=_("Address"),
        max_length=300,
        required=False,
        help_text=_("Only the person who comes to help sees it."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    consent = forms.BooleanField(label=_(CONSENT_TEXT), required=True)

    def __init__(self, *args: Any, home: tuple[float, float] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.home = home

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        place = (data.get("place") or "").strip()
        if place:
            point = resolve_place(place)
            if point is None:
                self.add_error("place", PLACE_NOT_FOUND)
        else:
            point = self.home
            if point is None:
                self.add_error("place", WHERE_NEEDED)
        data["point"] = point
        return data
