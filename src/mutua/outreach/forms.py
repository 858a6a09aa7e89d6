"""The shape of the leaflet's options and of an edit; the service decides the rest."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from mutua.core.categories import Category
from mutua.outreach.leaflet import Size


def _languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class LeafletOptionsForm(forms.Form):
    """Which leaflet to print: read from the query string of the PDF's link."""

    lang = forms.MultipleChoiceField(
        label=_("Languages (one page each)"),
        choices=_languages,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one language.")},
    )
    size = forms.ChoiceField(
        label=_("Paper"),
        choices=[
            (Size.A4.value, _("A4, one leaflet a page")),
            (Size.A5.value, _("A5, two leaflets on each A4 page, to cut in half")),
        ],
        initial=Size.A4.value,
        widget=forms.RadioSelect,
    )


class LeafletEditForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of this text"), choices=_languages)
    headline = forms.CharField(label=_("Headline"), max_length=120)
    message = forms.CharField(
        label=_("A few words to neighbours"),
        max_length=600,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    categories = forms.MultipleChoiceField(
        label=_("Kinds of help the leaflet lists"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
    )
