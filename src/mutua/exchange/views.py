"""The group's place-names page: the names it uses, and a file of more, added at once by a
dispatcher or proposed to the group by any member."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mutua.core.errors import DomainError
from mutua.core.forms import attach_domain_error
from mutua.exchange import services
from mutua.exchange.forms import PlaceFileForm
from mutua.exchange.places import NotAPlaceFile, read_place_file
from mutua.groups import selectors as group_selectors
from mutua.people.web import signed_in

_PROBLEMS_SHOWN = 50  # a file with more bad rows shows the first ones and how many more


@require_http_methods(["GET", "POST"])
def places(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_selectors.group_by_slug(slug)
    viewer = signed_in(request)
    form = PlaceFileForm()
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if viewer is None:
            return redirect_to_login(request.get_full_path())
        if not group_selectors.is_member(group=group, user=viewer):
            # The form is shown to members only, so say it here rather than beside it.
            messages.error(
                request,
                _("Only members of %(group)s can do this. Joining is one click.")
                % {"group": group.name},
            )
            return redirect(reverse("exchange:places", args=[group.slug]))
        form = PlaceFileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                place_file = read_place_file(form.cleaned_data["file"].read())
                if services.may_add_at_once(viewer, group):
                    saved = services.add_place_names(group=group, place_file=place_file, by=viewer)
                    messages.success(
                        request,
                        _("%(n)d place names added; asks typed with them now reach them.")
                        % {"n": len(saved)},
                    )
                    return redirect(reverse("exchange:places", args=[group.slug]))
                proposal = services.propose_place_names(
                    group=group, place_file=place_file, by=viewer
                )
            except NotAPlaceFile as exc:
                form.add_error("file", str(exc))
            except services.PlacesRefused as exc:
                problems = exc.problems
                form.add_error("file", _("Nothing was added: the file has rows to correct."))
            except DomainError as exc:
                attach_domain_error(form, exc)
            else:
                messages.success(request, _("Your names are proposed to the group."))
                return redirect(
                    reverse("governance:proposal_detail", args=[group.slug, proposal.pk])
                )
        status = 400
    context = {
        "group": group,
        "names": group_selectors.place_names_of(group),
        "is_member": group_selectors.is_member(group=group, user=viewer),
        "adds_at_once": services.may_add_at_once(viewer, group),
        "form": form,
        "problems": problems[:_PROBLEMS_SHOWN],
        "more_problems": max(0, len(problems) - _PROBLEMS_SHOWN),
    }
    return render(request, "exchange/places.html", context, status=status)
