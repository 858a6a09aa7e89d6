"""The private key of an ask on the web: read from the form, the link or this browser's
session, so every page about the ask (its page, its conversation) knows the person who
asked without an account."""

from __future__ import annotations

from django.http import HttpRequest

from mutua.aid import policy
from mutua.aid.models import Ask
from mutua.aid.policy import Actor
from mutua.people.web import signed_in

# Private links of asks made in this browser, by ask id, so the person who asked without
# an account keeps seeing (and can cancel) their ask without keeping the link.
SESSION_KEYS = "mutua_asker_keys"


def forget_private_links(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    """On logging in or out, forget the private links to asks opened in this browser: on
    a shared computer the next person must not see the last asker's details."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEYS, None)


def remember_key(request: HttpRequest, ask: Ask, key: str) -> None:
    keys = dict(request.session.get(SESSION_KEYS, {}))
    keys[str(ask.pk)] = key
    request.session[SESSION_KEYS] = keys


def asker_key(request: HttpRequest, ask: Ask) -> str | None:
    """A valid private key offered by this request: the form, the link, or this browser."""
    stored = request.session.get(SESSION_KEYS, {}).get(str(ask.pk))
    for key in (request.POST.get("key"), request.GET.get("key"), stored):
        if key and policy.is_asker(ask, Actor(key=str(key))):
            return str(key)
    return None


def actor(request: HttpRequest, ask: Ask) -> Actor:
    """Who this request acts as on the ask: the account, and the ask's key if it has one."""
    return Actor(user=signed_in(request), key=asker_key(request, ask))
