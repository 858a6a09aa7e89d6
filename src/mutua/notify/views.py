"""The inbound SMS webhook, the phone-intake page and a member's notification settings."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from mutua.aid import services as aid_services
from mutua.aid.models import Ask
from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.groups.selectors.nearby import nearest_group
from mutua.notify import selectors, services, sms
from mutua.notify.forms import (
    HOTLINE_FIELDS,
    CallStatusForm,
    HotlineForm,
    InboundSmsForm,
    PreferenceForm,
)
from mutua.notify.models import IntakeDraft, NearbyAsks
from mutua.people.models import User
from mutua.people.web import signed_in

logger = logging.getLogger(__name__)


def _signed_url(request: HttpRequest) -> str:
    """The URL Twilio posted to, which its signature covers. Behind a proxy that is the
    public address (MUTUA_PUBLIC_URL), not the one the proxy passed on to Django."""
    base = str(settings.MUTUA_PUBLIC_URL)
    return f"{base}{request.get_full_path()}" if base else request.build_absolute_uri()


def _plain(text: str, status: int) -> HttpResponse:
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def _unsigned(request: HttpRequest, what: str) -> HttpResponse | None:
    """A 403 answer unless the request bears Twilio's signature (MUTUA_TWILIO_AUTH_TOKEN)."""
    token = str(settings.MUTUA_TWILIO_AUTH_TOKEN)
    if not token:
        logger.warning("A %s arrived, but MUTUA_TWILIO_AUTH_TOKEN is not set: refused.", what)
        return _plain(_("Texts are not set up on this server."), 403)
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature or not RequestValidator(token).validate(
        _signed_url(request), request.POST, signature
    ):
        return _plain(_("The request's signature is not valid."), 403)
    return None


@csrf_exempt  # Twilio cannot send a CSRF token; its signature stands in for one.
@require_POST
def sms_inbound(request: HttpRequest) -> HttpResponse:
    refused = _unsigned(request, "text")
    if refused is not None:
        return refused
    form = InboundSmsForm(request.POST)
    if not form.is_valid():
        return _plain(_("A text needs its MessageSid and the sender's number."), 400)
    data = form.cleaned_data
    try:
        reply = services.receive_sms(
            message_sid=data["MessageSid"], phone=data["From"], body=data["Body"]
        )
    except DomainError as exc:
        return _plain(exc.message, 400)
    twiml = MessagingResponse()
    twiml.message(reply)
    return HttpResponse(str(twiml), content_type="application/xml")


@csrf_exempt  # Twilio cannot send a CSRF token; its signature stands in for one.
@require_POST
def voice_status(request: HttpRequest) -> HttpResponse:
    """The status callback of a call to the group's number (and the recording callback
    of a voicemail): a missed call is offered a text instead, in the caller's language."""
    refused = _unsigned(request, "call status")
    if refused is not None:
        return refused
    form = CallStatusForm(request.POST)
    if not form.is_valid():
        return _plain(_("A call status needs its CallSid and the caller's number."), 400)
    data = form.cleaned_data
    services.missed_call(
        call_sid=data["CallSid"],
        phone=sms.normalise_phone(data["From"]),
        status=data["CallStatus"].lower(),
        voicemail=bool(data["RecordingSid"] or data["RecordingUrl"]),
        country=data["FromCountry"],
    )
    return HttpResponse(status=204)


@csrf_exempt  # A mail gateway cannot send a CSRF token; the shared secret stands in.
@require_POST
def mail_inbound(request: HttpRequest) -> HttpResponse:
    """One e-mail reply to a relay conversation, posted whole (the raw message) by the
    operator's mail gateway with `Authorization: Bearer MUTUA_INBOUND_MAIL_SECRET`;
    `?to=ADDRESS` names the address it was delivered to when the headers do not."""
    secret = str(settings.MUTUA_INBOUND_MAIL_SECRET)
    if not secret:
        logger.warning("An e-mail arrived, but MUTUA_INBOUND_MAIL_SECRET is not set: refused.")
        return JsonResponse(
            {"detail": _("E-mail replies are not set up on this server.")}, status=403
        )
    given = request.headers.get("Authorization", "")
    if not constant_time_compare(given, f"Bearer {secret}"):
        return JsonResponse({"detail": _("The request's secret is not valid.")}, status=403)
    try:
        message = services.receive_mail(raw=request.body, recipient=request.GET.get("to", ""))
    except DomainError as exc:
        return JsonResponse({"detail": exc.message}, status=exc.status)
    return JsonResponse({"ask": message.ask_id, "message": message.pk}, status=201)


def _not_hotline(request: HttpRequest) -> HttpResponse:
    context = {"unheld": selectors.groups_without_hotline(signed_in(request))}
    return render(request, "notify/not_hotline.html", context, status=403)


def _draft_from(value: object) -> IntakeDraft | None:
    try:
        draft_id = int(str(value))
    except ValueError:
        return None
    return selectors.open_drafts().filter(pk=draft_id).first()


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def hotline(request: HttpRequest) -> HttpResponse:
    volunteer = signed_in(request)
    if volunteer is None or not selectors.may_use_hotline(volunteer):
        return _not_hotline(request)
    status = 200
    draft = _draft_from(request.POST.get("draft") or request.GET.get("draft") or "")
    if request.method == "POST":
        form = HotlineForm(request.POST)
        confirming = form.is_valid() and form.cleaned_data["point"] is None
        if form.is_valid() and not confirming:
            data = form.cleaned_data
            if data["draft"] and draft is None:
                form.add_error(None, _("Someone on the hotline has already dealt with this text."))
            elif selectors.recent_asks_with_phone(data["phone"]) and not data["not_duplicate"]:
                form.add_error(
                    "not_duplicate",
                    _("This number asked recently (see the list). Tick the box if it is new."),
                )
            else:
                lat, lon = data["point"]
                try:
                    ask = services.record_phone_ask(
                        volunteer=volunteer,
                        what=data["what"],
                        category=data["category"],
                        urgency=data["urgency"],
                        language=data["language"],
                        lat=lat,
                        lon=lon,
                        address=data["address"],
                        contact_name=data["name"],
                        contact_phone=data["phone"],
                        consent=data["consent"],
                        draft=draft,
                        approve_helper=data["approve_helper"],
                        allow_duplicate=data["not_duplicate"],
                    )
                except aid_services.DuplicateAsk as exc:
                    # The volunteer may open the ask (#N links to it in the list above).
                    form.add_error(
                        "not_duplicate",
                        exc.message + " " + _("Tick the box if the caller says it is new."),
                    )
                except DomainError as exc:
                    attach_domain_error(form, exc, HOTLINE_FIELDS)
                else:
                    messages.success(request, _recorded(ask))
                    return redirect("notify:hotline")
        status = 200 if confirming else 400
    else:
        initial = {"language": settings.LANGUAGE_CODE}
        if draft is not None:
            initial.update(phone=draft.phone, what=draft.text, language=draft.language)
        form = HotlineForm(initial={**initial, "draft": draft.pk if draft else None})
    phone = str(form["phone"].value() or "")
    context = {
        "form": form,
        "confirming": request.method == "POST" and status == 200,
        "draft": draft,
        "duplicates": selectors.recent_asks_with_phone(phone),
        "drafts": selectors.open_drafts()[:50],
        "sms_number": settings.MUTUA_SMS_NUMBER,
    }
    return render(request, "notify/hotline.html", context, status=status)


def _recorded(ask: Ask) -> str:
    """What the volunteer is told once the ask is saved: its number, and where it went."""
    if ask.group is not None:
        return _(
            "Ask #%(ref)d is recorded and went to %(group)s. Tell the caller its number: %(ref)d."
        ) % {"ref": ask.pk, "group": ask.group.name}
    nearest = nearest_group(ask.lat, ask.lon)
    if nearest is None:
        return _(
            "Ask #%(ref)d is recorded, but no group covers that place: it is on the "
            "unrouted list. Tell the caller its number: %(ref)d."
        ) % {"ref": ask.pk}
    return _(
        "Ask #%(ref)d is recorded, but no group covers that place: it is on the unrouted "
        "list. The nearest group is %(group)s, %(km)s km away. Tell the caller its number: "
        "%(ref)d."
    ) % {"ref": ask.pk, "group": nearest[0].name, "km": f"{nearest[1]:.0f}"}


@login_required
@never_cache
@require_GET
def hotline_duplicates(request: HttpRequest) -> HttpResponse:
    """The earlier asks from a number, for the intake form to show as it is typed."""
    if not selectors.may_use_hotline(signed_in(request)):
        return _not_hotline(request)
    duplicates = selectors.recent_asks_with_phone(request.GET.get("phone", ""))
    return render(request, "notify/_duplicates.html", {"duplicates": duplicates})


@login_required
@require_POST
def hotline_dismiss(request: HttpRequest, draft_id: int) -> HttpResponse:
    volunteer = signed_in(request)
    if volunteer is None or not selectors.may_use_hotline(volunteer):
        return _not_hotline(request)
    try:
        services.dismiss_draft(volunteer=volunteer, draft=selectors.get_open_draft(draft_id))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The text is set aside."))
    return redirect("notify:hotline")


def _preference_initial(user: User) -> dict[str, object]:
    pref = selectors.preference_of(user)
    if pref is None:
        return {"nearby_asks": NearbyAsks.DIGEST, "by_email": True}
    return {
        "nearby_asks": pref.nearby_asks,
        "by_email": pref.by_email,
        "by_sms": pref.by_sms,
        "apprise_url": pref.apprise_url,
        "language": pref.language,
        "quiet_from": pref.quiet_from,
        "quiet_to": pref.quiet_to,
    }


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    assert user is not None  # login_required
    status = 200
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.update_preferences(user=user, **form.cleaned_data)
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notify:preferences")
        status = 400
    else:
        form = PreferenceForm(initial=_preference_initial(user))
    pref = selectors.preference_of(user)
    code_valid = (
        pref is not None
        and bool(pref.link_code)
        and pref.link_code_expires_at is not None
        and pref.link_code_expires_at > timezone.now()
    )
    context = {
        "form": form,
        "pref": pref,
        "link_code": pref.link_code if pref is not None and code_valid else "",
        "sms_number": settings.MUTUA_SMS_NUMBER,
        "sent": selectors.messages_of(user),
    }
    return render(request, "notify/preferences.html", context, status=status)


@login_required
@require_POST
def phone_link(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    assert user is not None  # login_required
    services.start_phone_link(user=user)
    return redirect("notify:preferences")


@login_required
@require_POST
def phone_unlink(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    assert user is not None  # login_required
    services.unlink_phone(user=user)
    messages.success(request, _("Your phone is no longer linked."))
    return redirect("notify:preferences")
