"""The printable leaflet: the group's texts in each chosen language, laid out in HTML
and turned into a PDF by WeasyPrint, which shapes Arabic and sets it right to left
through Debian's pango. Nothing here is fetched from the network: the fonts are the
system's (fonts-noto-core) and the QR code is drawn as SVG by segno."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlencode

import segno
from django.core.cache import cache
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from mutua.core.categories import Category
from mutua.groups.models import Group
from mutua.notify.sms import ASK, KEYWORDS
from mutua.outreach.selectors import LeafletText, leaflet_text, sms_number


class Size(StrEnum):
    A4 = "a4"  # one leaflet on each A4 page
    A5 = "a5"  # two A5 leaflets side by side on each A4 page, to cut in half


TABS = {Size.A4: 7, Size.A5: 5}  # tear-off tabs along the bottom of each leaflet


def ask_url(group: Group, base_url: str) -> str:
    """The ask form with the group's area already filled in as the place."""
    return f"{base_url.rstrip('/')}{reverse('aid:ask_new')}?{urlencode({'group': group.slug})}"


def ask_keyword(language: str) -> str:
    """The word that starts an ask by text in `language` (HELP where it has none)."""
    for word, (command, word_language) in KEYWORDS.items():
        if command == ASK and word_language == language:
            return word.upper()
    return "HELP"


def qr_data_uri(url: str) -> str:
    # Error level M survives a crease or a smudge; SVG stays sharp at any print size.
    return str(segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4))


@dataclass(frozen=True)
class LeafletPage:
    language: str
    rtl: bool
    text: LeafletText
    help_labels: list[str]
    keyword: str


def _page(group: Group, language: str) -> LeafletPage:
    text = leaflet_text(group, language)
    names = dict(Category.choices)
    with translation.override(language):
        labels = [str(names[c]) for c in text.categories if c in names]
    return LeafletPage(
        language=language,
        rtl=bool(get_language_info(language)["bidi"]),
        text=text,
        help_labels=labels,
        keyword=ask_keyword(language),
    )


def leaflet_html(*, group: Group, languages: list[str], size: Size, base_url: str) -> str:
    url = ask_url(group, base_url)
    context = {
        "group": group,
        "pages": [_page(group, language) for language in languages],
        "size": size.value,
        "copies": range(2 if size == Size.A5 else 1),
        "tabs": range(TABS[size]),
        "number": sms_number(group),
        "url": url,
        "qr": qr_data_uri(url),
    }
    return render_to_string("outreach/leaflet_print.html", context)


class PrintingUnavailable(Exception):
    """The PDF stack is not installed on this server; the message says what to install."""


def leaflet_pdf(*, group: Group, languages: list[str], size: Size, base_url: str) -> bytes:
    """The leaflet as a PDF: one page per language (A4), or one sheet of two (A5)."""
    # Imported here: WeasyPrint loads pango when imported, which the pages that never
    # print a leaflet need not pay for. A server without pango (the README's Debian
    # packages) can still run everything else, so its absence is a clear message here.
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PrintingUnavailable(
            _(
                "Leaflets cannot be printed on this server: WeasyPrint needs pango "
                "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0)."
            )
        ) from exc

    html = leaflet_html(group=group, languages=languages, size=size, base_url=base_url)
    # Given no target, write_pdf returns the document's bytes.
    return HTML(string=html).write_pdf() or b""


CACHE_SECONDS = 24 * 3600


def cached_leaflet_pdf(*, group: Group, languages: list[str], size: Size, base_url: str) -> bytes:
    """The same PDF, drawn once: a page anyone may open must not cost a second of CPU on
    every visit. The key names everything printed, so an edit or a new number is seen at
    once."""
    newest = group.leaflet_versions.aggregate(newest=Max("pk"))["newest"]
    parts = [group.pk, group.name, ",".join(languages), size.value, base_url]
    parts += [sms_number(group), newest]
    key = "leaflet:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    pdf = cache.get(key)
    if not isinstance(pdf, bytes):
        pdf = leaflet_pdf(group=group, languages=languages, size=size, base_url=base_url)
        cache.set(key, pdf, CACHE_SECONDS)
    return pdf
