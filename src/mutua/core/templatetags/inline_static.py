"""`{% inline_css "mutua.css" %}`: the site's stylesheet inside the page, not linked.

A linked stylesheet blocks the first paint until it arrives: one more round trip, which
on a slow phone network is the longest wait of the page. mutua.css is small (about 3 KB
gzipped), so every page carries it in a <style> element instead (the CSP allows inline
styles, which Leaflet and HTMX need anyway). It is read once per process, again when the
file changes in development.
"""

from __future__ import annotations

from pathlib import Path

from django import template
from django.contrib.staticfiles import finders
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_read: dict[str, tuple[float, str]] = {}


@register.simple_tag
def inline_css(name: str) -> SafeString:
    found = finders.find(name)
    if not isinstance(found, str):
        raise template.TemplateSyntaxError(f"No static file {name!r} to inline.")
    path = Path(found)
    changed = path.stat().st_mtime
    cached = _read.get(name)
    if cached is None or cached[0] != changed:
        # Our own file, but a "</style" in it would end the element early.
        text = path.read_text(encoding="utf-8").replace("</style", "<\\/style")
        cached = _read[name] = (changed, text)
    return mark_safe(f"<style>{cached[1]}</style>")  # noqa: S308 - the site's own file
