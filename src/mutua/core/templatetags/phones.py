"""`{% load phones %}`: phone numbers, kept in E.164, shown the way people write them.

{{ ask.contact_phone|phone }}    07700 900123 (or +33 6 12 34 56 78 from abroad)
{{ ask.contact_phone|tel }}      tel:+447700900123, for an <a href>
"""

from __future__ import annotations

from django import template

from mutua.core import phones

register = template.Library()


@register.filter
def phone(value: object) -> str:
    return phones.for_people(str(value or ""))


@register.filter
def tel(value: object) -> str:
    return phones.tel_uri(str(value or ""))
