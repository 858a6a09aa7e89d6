"""The shape of what people send to the exchange's pages; services check the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy


class PlaceFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("A CSV or GeoJSON file of place names"),
        help_text=gettext_lazy(
            "CSV columns: name, lat, lon, and kind if you like (district, estate, street, "
            "landmark or postcode). GeoJSON: points with a name property."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.geojson,.json,text/csv"}),
    )
