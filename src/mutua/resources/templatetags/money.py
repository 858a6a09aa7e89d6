"""`{{ minor|amount:currency }}`: an amount in minor units as people read it."""

from __future__ import annotations

from django import template

from mutua.resources.money import format_amount

register = template.Library()


@register.filter
def amount(minor: int, currency: str) -> str:
    return format_amount(int(minor), currency)
