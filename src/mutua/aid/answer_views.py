"""“I could use this” on someone's offer: a short form that records an ask linked to the
offer, offered first to the member who offered (aid.services.offers.answer_offer)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutua.aid import selectors, services
from mutua.aid.forms import ASK_FIELDS, AnswerOfferForm
from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.people.selectors import profile_of
from mutua.people.web import signed_in


@login_required
@require_http_methods(["GET", "POST"])
def offer_answer(request: HttpRequest, offer_id: int) -> HttpResponse:
    viewer = signed_in(request)
    assert viewer is not None  # login_required
    offer = selectors.get_offer(offer_id)
    profile = profile_of(viewer)
    home = None
    if profile is not None and profile.home_lat is not None and profile.home_lon is not None:
        home = (profile.home_lat, profile.home_lon)
    status = 200
    if request.method == "POST":
        form = AnswerOfferForm(request.POST, home=home)
        if form.is_valid():
            data = form.cleaned_data
            lat, lon = data["point"]
            try:
                ask = services.answer_offer(
                    offer=offer,
                    asker=viewer,
                    what=data["what"],
                    lat=lat,
                    lon=lon,
                    consent=data["consent"],
                    address=data["address"],
                    contact_phone=data["phone"],
                    language=getattr(request, "LANGUAGE_CODE", "en") or "en",
                )
            except DomainError as exc:
                attach_domain_error(form, exc, ASK_FIELDS)
            else:
                if ask.offered_until is not None:
                    messages.success(
                        request,
                        _(
                            "Sent. %(name)s is asked first; if they cannot, your ask goes to "
                            "the board for others near you."
                        )
                        % {"name": offer.member.display_name},
                    )
                else:
                    messages.success(
                        request, _("Sent. Your ask is on the board for people near you.")
                    )
                return redirect("aid:ask_detail", ask_id=ask.pk)
        status = 400
    else:
        form = AnswerOfferForm(home=home, initial={"what": offer.what})
    context = {"form": form, "offer": offer, "has_home": home is not None}
    return render(request, "aid/offer_answer.html", context, status=status)
