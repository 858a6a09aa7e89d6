"""The profile form. It checks shape only; update_profile decides what is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mutua.core.categories import Category
from mutua.core.forms import PLACE_NOT_FOUND, HiddenCoordinate, pinned_point
from mutua.groups.selectors.places import resolve_place
from mutua.people.models import Weekday

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Service field names -> the form fields that show their errors.
PROFILE_FIELDS = {"home": "home_place"}


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Name shown to others"),
        max_length=80,
        required=False,
        help_text=_("A first name or a nickname is fine."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = forms.MultipleChoiceField(
        label=_("What you can help with"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    travel_radius_km = forms.IntegerField(
        label=_("How far you can travel (km)"), min_value=0, max_value=500
    )
    max_asks_at_once = forms.IntegerField(
        label=_("How many asks you can take on at once"),
        min_value=1,
        max_value=20,
        required=False,
        help_text=_("Dispatch never suggests more asks to you than this."),
    )
    home_place = forms.CharField(
        label=_("Home area: town or district"),
        max_length=200,
        required=False,
        help_text=_("Only the area (about 1 km across) is kept, never your address."),
    )
    lat = HiddenCoordinate(label=_("Latitude"), minimum=-90, maximum=90)
    lon = HiddenCoordinate(label=_("Longitude"), minimum=-180, maximum=180)
    available_days = forms.TypedMultipleChoiceField(
        label=_("Days you are usually free"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    available_from = forms.TimeField(
        label=_("Free from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    available_to = forms.TimeField(
        label=_("Free until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    paused = forms.BooleanField(
        label=_("I am taking a break (do not suggest asks to me)"), required=False
    )

    def __init__(self, *args: Any, known_languages: Iterable[str] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, StrOrPromise]] = list(settings.MUTUA_SPOKEN_LANGUAGES)
        offered = {code for code, _name in choices}
        # Languages saved earlier (the demo, the API) stay ticked even if they are not on
        # the list offered, so saving the form never drops them silently.
        choices += [(code, code) for code in known_languages if code not in offered]
        cast(forms.MultipleChoiceField, self.fields["languages"]).choices = choices

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        home = pinned_point(data.get("lat"), data.get("lon"))
        text = data.get("home_place", "")
        if home is None and text:
            home = resolve_place(text)
            if home is None:
                self.add_error("home_place", PLACE_NOT_FOUND)
        data["home"] = home
        return data
