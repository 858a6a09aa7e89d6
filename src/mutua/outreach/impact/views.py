"""The impact page and its CSV: public, fuller for members of the group."""

from __future__ import annotations

import csv
import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from mutua.groups.models import Group
from mutua.groups.selectors import group_by_slug, is_member
from mutua.matching.selectors import groups_for_dispatch
from mutua.outreach.impact.charts import chart_svg
from mutua.outreach.impact.figures import DEFAULT_WEEKS, WEEK_CHOICES, Impact, impact
from mutua.people.web import signed_in


def _impact(request: HttpRequest, group: Group) -> Impact:
    try:
        weeks = int(request.GET.get("weeks", DEFAULT_WEEKS))
    except ValueError:
        weeks = DEFAULT_WEEKS
    if weeks not in WEEK_CHOICES:
        weeks = DEFAULT_WEEKS
    # The group and every group inside it: a network's page adds up its wards.
    groups = groups_for_dispatch(network_slug=group.slug)
    fuller = is_member(group=group, user=signed_in(request))
    return impact(group, groups, weeks=weeks, fuller=fuller)


@require_GET
def impact_page(request: HttpRequest, slug: str) -> HttpResponse:
    group = group_by_slug(slug)
    result = _impact(request, group)
    figures = [
        # Our own drawing of numbers and labels matplotlib has escaped.
        (figure, mark_safe(chart_svg(figure)))  # noqa: S308
        for figure in result.figures
    ]
    context = {
        "group": group,
        "impact": result,
        "figures": figures,
        "week_choices": WEEK_CHOICES,
    }
    return render(request, "outreach/impact.html", context)


@require_GET
def impact_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The page's figures, one value a line: measure, bucket, quantity, value. A suppressed
    value is empty, with `suppressed` set to yes."""
    group = group_by_slug(slug)
    result = _impact(request, group)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["measure", "bucket", "quantity", "value", "suppressed"])
    for key, _label, value in result.totals:
        writer.writerow(["totals", "", key, "" if value is None else value, _yes(value)])
    for figure in result.figures:
        for row in figure.rows:
            for (column, _heading), value in zip(figure.columns, row.values, strict=True):
                writer.writerow(
                    [figure.slug, row.key, column, "" if value is None else value, _yes(value)]
                )
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="impact-{group.slug}.csv"'
    return response


def _yes(value: object) -> str:
    return "yes" if value is None else "no"
