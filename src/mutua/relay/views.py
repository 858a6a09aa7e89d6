"""The conversation page of an ask: read and write, as plain HTML forms."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from mutua.aid import web
from mutua.aid.selectors import get_ask
from mutua.core.errors import DomainError, NotAllowed
from mutua.core.forms import attach_domain_error
from mutua.relay import selectors, services
from mutua.relay.forms import MessageForm
from mutua.relay.models import Via
from mutua.relay.selectors import reply_address
from mutua.relay.shapes import author_name, sms_reference


@never_cache
@require_http_methods(["GET", "POST"])
def conversation(request: HttpRequest, ask_id: int) -> HttpResponse:
    ask = get_ask(ask_id)
    actor = web.actor(request, ask)
    if actor.account is None and actor.key is None:
        return redirect_to_login(request.get_full_path())
    if actor.key is not None and request.GET.get("key") == actor.key:
        web.remember_key(request, ask, actor.key)
    try:
        found = selectors.conversation(ask=ask, actor=actor)
    except NotAllowed as exc:
        return render(request, "relay/not_a_party.html", {"ask": ask, "detail": exc}, status=403)
    status = 200
    form = MessageForm()
    if request.method == "POST":
        form = MessageForm(request.POST)
        if form.is_valid():
            try:
                services.post_message(
                    ask=ask, actor=actor, body=form.cleaned_data["body"], via=Via.PAGE
                )
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                return redirect(reverse("relay:conversation", args=[ask.pk]))
        status = 400
    context = {
        "ask": ask,
        "conversation": found,
        "items": [(m, author_name(m)) for m in found.messages],
        "form": form,
        "form_key": actor.key or "",
        "sms_reference": sms_reference(ask.pk),
        "reply_by_email": bool(found.claim and reply_address(claim=found.claim, side=found.side)),
    }
    return render(request, "relay/conversation.html", context, status=status)
