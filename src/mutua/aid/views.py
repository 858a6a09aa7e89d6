"""Pages for asking, one ask and its actions, and offers (the board is in board_views).

Every page works as plain HTML forms with POST-redirect-GET.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mutua.aid import limits, policy, selectors, services
from mutua.aid.disclosure import Channel, reveal
from mutua.aid.disclosure import history as reveal_history
from mutua.aid.forms import ASK_FIELDS, AskForm, OfferFilterForm, OfferForm
from mutua.aid.handon_views import hand_on_context
from mutua.aid.models import Approval, Ask, AskStatus
from mutua.aid.policy import Actor
from mutua.aid.web import actor as _actor
from mutua.aid.web import remember_key as _remember_key
from mutua.core.errors import DomainError, NotFound
from mutua.core.forms import attach_domain_error
from mutua.core.limits import client_address
from mutua.core.web import safe_next
from mutua.groups.selectors import group_by_slug, groups_of, map_centre
from mutua.groups.selectors.places import confirm
from mutua.people.web import signed_in


def _map_context() -> dict[str, object]:
    return {"tile_url": settings.MUTUA_TILE_URL, "map_centre": map_centre()}


def _group_place(request: HttpRequest) -> tuple[str, tuple[float, float] | None]:
    """A leaflet's QR code opens the form at `?group=SLUG`: the place starts as the group's
    name, which the form finds as the group's area (groups.selectors.locate), and the map
    opens there. The asker can still type their own place; nothing is pinned for them."""
    slug = request.GET.get("group", "")
    if not slug:
        return "", None
    try:
        group = group_by_slug(slug[:80])
    except NotFound:
        return "", None
    if group.center_lat is None or group.center_lon is None:
        return group.name, None
    return group.name, (group.center_lat, group.center_lon)


@require_http_methods(["GET", "POST"])
def ask_new(request: HttpRequest) -> HttpResponse:
    asker = signed_in(request)
    status = 200
    if request.method == "POST":
        form = AskForm(request.POST)
        if form.is_valid() and form.cleaned_data["point"] is None:
            # The second step: what the place was understood as, to confirm or choose.
            return render(request, "aid/ask_form.html", _ask_form_context(form, confirming=True))
        if form.is_valid():
            data = form.cleaned_data
            lat, lon = data["point"]
            anonymous = {
                "client": client_address(request),
                "phone": data["phone"],
                "email": data["email"],
            }
            try:
                if asker is None:
                    limits.check_anonymous_ask(**anonymous)
                ask = services.create_ask(
                    what=data["what"],
                    category=data["category"],
                    urgency=data["urgency"],
                    language=data["language"],
                    lat=lat,
                    lon=lon,
                    address=data["address"],
                    contact_name=data["name"],
                    contact_phone=data["phone"],
                    contact_email=data["email"],
                    consent=data["consent"],
                    asker=asker,
                    approve_helper=data["approve_helper"],
                )
            except services.DuplicateAsk as exc:
                return _already_asked(request, form, exc)
            except DomainError as exc:
                attach_domain_error(form, exc, ASK_FIELDS)
            else:
                if asker is None:
                    limits.record_anonymous_ask(**anonymous)
                _remember_key(request, ask, selectors.asker_key(ask))
                return redirect("aid:ask_sent", ask_id=ask.pk)
        status = 400
    context = _ask_form_context(form) if request.method == "POST" else _map_context()
    if request.method != "POST":
        place, centre = _group_place(request)
        form = AskForm(initial={"language": request.LANGUAGE_CODE, "place": place})
        context["form"] = form
        if centre is not None:
            context["map_centre"] = centre
    return render(request, "aid/ask_form.html", context, status=status)


def _already_asked(
    request: HttpRequest, form: AskForm, duplicate: services.DuplicateAsk
) -> HttpResponse:
    """The same ask again: to the person who can show it is theirs (this browser made it,
    or their account), the page with its private link; to anyone else only that it
    exists, because a phone number and a guess at the words must not open someone's
    address and phone (README, "The same ask twice")."""
    existing = duplicate.existing
    if policy.is_asker(existing, _actor(request, existing)):
        messages.info(request, duplicate.message)
        return redirect("aid:ask_sent", ask_id=existing.pk)
    form.add_error(
        None,
        duplicate.message
        + " "
        + _(
            "Its private link was shown when it was sent; the group will get in touch by "
            "the contact you gave."
        ),
    )
    return render(request, "aid/ask_form.html", _ask_form_context(form), status=409)


def _ask_form_context(form: AskForm, *, confirming: bool = False) -> dict[str, Any]:
    return {
        "form": form,
        "confirming": confirming,
        "place_confirmation": form.place_confirmation,
        **_map_context(),
    }


@require_GET
def ask_place(request: HttpRequest) -> HttpResponse:
    """What the place typed on the ask form means, and who would see the ask there, as
    it is typed (HTMX); the form's second step shows the same without JavaScript."""
    place = request.GET.get("place", "")[:200]
    address = request.GET.get("address", "")[:300]
    found = confirm(place, address) if place.strip() or address.strip() else None
    return render(request, "core/_place_confirm.html", {"place_confirmation": found})


@never_cache
def ask_sent(request: HttpRequest, ask_id: int) -> HttpResponse:
    ask = selectors.get_ask(ask_id)
    actor = _actor(request, ask)
    if not policy.is_asker(ask, actor):
        return redirect("aid:ask_detail", ask_id=ask.pk)
    private_link = None
    if actor.account is None or ask.asker_id != actor.account.pk:
        detail = reverse("aid:ask_detail", args=[ask.pk])
        private_link = request.build_absolute_uri(f"{detail}?key={selectors.asker_key(ask)}")
    return render(request, "aid/ask_sent.html", {"ask": ask, "private_link": private_link})


@never_cache
def ask_detail(request: HttpRequest, ask_id: int) -> HttpResponse:
    ask = selectors.get_ask(ask_id)
    actor = _actor(request, ask)
    if actor.key is not None and request.GET.get("key") == actor.key:
        _remember_key(request, ask, actor.key)
    shown = reveal(viewer=actor, ask=ask, channel=Channel.PAGE)
    claim = selectors.active_claim(ask) if ask.status == AskStatus.CLAIMED else None
    is_asker = policy.is_asker(ask, actor)
    finish = policy.may_finish(ask=ask, claim=claim, actor=actor)
    context = {
        "ask": ask,
        "language_name": dict(settings.MUTUA_SPOKEN_LANGUAGES).get(ask.language, ask.language),
        "show_private": shown.allowed,
        "reveal_reason": shown.reason,
        "is_asker": is_asker,
        "is_helper": finish.allowed and finish.why == policy.Why.HELPER,
        "claim": claim,
        "form_key": actor.key or "",
        # A visitor sees the button too: taking the ask starts with logging in.
        "can_claim": ask.status == AskStatus.OPEN and not is_asker,
        "can_cancel": ask.status in (AskStatus.OPEN, AskStatus.CLAIMED)
        and policy.may_cancel(ask=ask, actor=actor).allowed,
        "can_finish": ask.status == AskStatus.CLAIMED and finish.allowed,
        "waiting_for_asker": claim is not None and claim.approval == Approval.WAITING,
        "seen_by": reveal_history(ask) if is_asker else [],
        **hand_on_context(ask, actor.account),
    }
    return render(request, "aid/ask_detail.html", context)


def _ask_action(
    request: HttpRequest,
    ask_id: int,
    act: Callable[[Ask, Actor], object],
    done_message: str,
    *,
    needs_login: bool,
) -> HttpResponse:
    """Run one state change from a button on the ask page and go back to the page."""
    ask = selectors.get_ask(ask_id)
    detail = reverse("aid:ask_detail", args=[ask.pk])
    actor = _actor(request, ask)
    if needs_login and actor.account is None:
        messages.info(request, _("Log in or sign up first; it takes a minute."))
        return redirect_to_login(detail)
    try:
        act(ask, actor)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done_message)
    return redirect(detail)


def _claim(ask: Ask, actor: Actor) -> object:
    assert actor.account is not None  # _ask_action sent visitors to log in
    return services.claim_ask(ask=ask, helper=actor.account)


def _release(ask: Ask, actor: Actor) -> object:
    assert actor.account is not None
    return services.release_ask(ask=ask, helper=actor.account)


def _done(ask: Ask, actor: Actor) -> object:
    return services.complete_ask(ask=ask, actor=actor)


def _cancel(ask: Ask, actor: Actor) -> object:
    return services.cancel_ask(ask=ask, actor=actor)


@require_POST
def ask_claim(request: HttpRequest, ask_id: int) -> HttpResponse:
    ask = selectors.get_ask(ask_id)
    if ask.approve_helper:
        message = _(
            "Thank you. The person asked to say yes first: you will see how to reach them "
            "once they do."
        )
    else:
        message = _("It is yours. The address and how to reach the person are below.")
    return _ask_action(request, ask_id, _claim, message, needs_login=True)


def _approve(ask: Ask, actor: Actor) -> object:
    return services.approve_helper(ask=ask, actor=actor)


def _decline(ask: Ask, actor: Actor) -> object:
    return services.decline_helper(ask=ask, actor=actor)


@require_POST
def ask_approve(request: HttpRequest, ask_id: int) -> HttpResponse:
    message = _("Thank you. They can now see how to reach you, and will be in touch.")
    return _ask_action(request, ask_id, _approve, message, needs_login=False)


@require_POST
def ask_decline(request: HttpRequest, ask_id: int) -> HttpResponse:
    message = _("Understood: they will not come. Your ask is open for someone else.")
    return _ask_action(request, ask_id, _decline, message, needs_login=False)


@require_POST
def ask_release(request: HttpRequest, ask_id: int) -> HttpResponse:
    message = _("You gave the ask back; it is open on the board again.")
    return _ask_action(request, ask_id, _release, message, needs_login=True)


@require_POST
def ask_done(request: HttpRequest, ask_id: int) -> HttpResponse:
    message = _("Marked done. Thank you!")
    return _ask_action(request, ask_id, _done, message, needs_login=False)


@require_POST
def ask_cancel(request: HttpRequest, ask_id: int) -> HttpResponse:
    message = _("Your ask is cancelled.")
    return _ask_action(request, ask_id, _cancel, message, needs_login=False)


def offers(request: HttpRequest) -> HttpResponse:
    form = OfferFilterForm(request.GET)
    form.is_valid()
    category = form.cleaned_data.get("category") or None
    context = {
        "form": form,
        "offers": selectors.active_offers(category=category)[:200],
    }
    return render(request, "aid/offers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def offer_new(request: HttpRequest) -> HttpResponse:
    viewer = signed_in(request)
    assert viewer is not None  # login_required
    groups = groups_of(viewer)
    status = 200
    if request.method == "POST":
        form = OfferForm(request.POST, groups=groups)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.create_offer(
                    member=viewer,
                    kind=data["kind"],
                    category=data["category"],
                    what=data["what"],
                    group=data["group"],
                )
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Thank you! Your offer is listed."))
                return redirect("aid:offers")
        status = 400
    else:
        form = OfferForm(groups=groups)
    return render(request, "aid/offer_form.html", {"form": form}, status=status)


@require_POST
def offer_withdraw(request: HttpRequest, offer_id: int) -> HttpResponse:
    back = safe_next(request, reverse("aid:offers"))
    viewer = signed_in(request)
    if viewer is None:
        return redirect_to_login(back)
    offer = selectors.get_offer(offer_id)
    try:
        services.withdraw_offer(offer=offer, member=viewer)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your offer is withdrawn."))
    return redirect(back)
