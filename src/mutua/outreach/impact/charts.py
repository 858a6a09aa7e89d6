"""The impact page's charts, drawn on the server as small SVGs with matplotlib.

Text stays text (no glyph outlines) and nothing varies from one drawing to the next (no
date, fixed ids), so a chart is a few kilobytes and the same figures give the same bytes,
which the cache keys on. The charts are pictures of the tables beside them: screen readers
read the table, and the SVG is hidden from them.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import re
from typing import Any

import h3
from django.core.cache import cache

from mutua.outreach.impact.figures import Figure

CACHE_SECONDS = 3600
INK = "#1f4e79"
MET = "#2e7d32"
# Typed loosely: matplotlib types rcParams keys as one long Literal.
STYLE: Any = {
    "svg.fonttype": "none",
    "svg.hashsalt": "mutua",
    # A group's name with a dollar sign in it is a name, not a formula.
    "text.parse_math": False,
    "font.size": 9,
    "font.family": "sans-serif",
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def chart_svg(figure: Figure) -> str:
    """The figure as an inline <svg> element, or "" if it has no chart or no data."""
    if not figure.chart or not any(v for row in figure.rows for v in row.values):
        return ""
    data = json.dumps(
        [figure.chart, figure.columns, [(r.key, r.label, r.values) for r in figure.rows]]
    )
    key = "impact-chart:" + hashlib.sha256(data.encode()).hexdigest()
    svg = cache.get(key)
    if not isinstance(svg, str):
        svg = _draw(figure)
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def _draw(figure: Figure) -> str:
    # Imported here: matplotlib takes a second to load, which only the impact page pays.
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7, 3.2 if figure.chart != "map" else 5))
        try:
            {"bars": _bars, "hbars": _hbars, "lines": _lines, "map": _map}[figure.chart](ax, figure)
            fig.tight_layout()
            out = io.StringIO()
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
        finally:
            plt.close(fig)
    svg = out.getvalue()
    # Inline in the page: no XML prolog or doctype, and hidden from screen readers (the
    # table beside it says the same).
    svg = svg[svg.index("<svg") :]
    return re.sub(r"<svg ", '<svg aria-hidden="true" focusable="false" ', svg, count=1)


def _shown(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def _integer_ticks() -> Any:
    from matplotlib.ticker import MaxNLocator

    return MaxNLocator(integer=True)


def _bars(ax: Any, figure: Figure) -> None:
    labels = [r.label for r in figure.rows]
    values = [_shown(r.values[0]) for r in figure.rows]
    ax.bar(range(len(values)), values, color=MET)
    for i, row in enumerate(figure.rows):
        if row.values[0] is None:
            ax.text(i, 0, "<5", ha="center", va="bottom", fontsize=7, color="#555")
    step = max(1, len(labels) // 8)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=30, ha="right")
    ax.yaxis.set_major_locator(_integer_ticks())
    ax.set_ylabel(figure.columns[0][1])


def _hbars(ax: Any, figure: Figure) -> None:
    rows = list(reversed(figure.rows))
    positions = range(len(rows))
    made = [_shown(r.values[0]) for r in rows]
    met = [_shown(r.values[1]) for r in rows]
    ax.barh([p + 0.2 for p in positions], made, height=0.4, color=INK, label=figure.columns[0][1])
    ax.barh([p - 0.2 for p in positions], met, height=0.4, color=MET, label=figure.columns[1][1])
    ax.set_yticks(list(positions), [r.label for r in rows])
    ax.xaxis.set_major_locator(_integer_ticks())
    ax.legend(frameon=False, loc="lower right")


def _lines(ax: Any, figure: Figure) -> None:
    labels = [r.label for r in figure.rows]
    for index, ((_key, name), colour) in enumerate(zip(figure.columns, (INK, MET), strict=False)):
        ax.plot(range(len(labels)), [_shown(r.values[index]) for r in figure.rows], color=colour)
        ax.annotate(name, (len(labels) - 1, _shown(figure.rows[-1].values[index])), fontsize=8)
    ax.yaxis.set_major_locator(_integer_ticks())
    step = max(1, len(labels) // 8)
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=30, ha="right")


def _map(ax: Any, figure: Figure) -> None:
    """Each H3 cell with enough asks, shaded by how many; cells with fewer are not drawn."""
    from matplotlib import colormaps
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import Normalize
    from matplotlib.patches import Polygon

    cells = [(r.key, r.values[0]) for r in figure.rows if isinstance(r.values[0], int)]
    cells = [(cell, count) for cell, count in cells if count > 0]
    norm = Normalize(vmin=0, vmax=max(count for _cell, count in cells))
    cmap = colormaps["YlOrRd"]
    for cell, count in cells:
        # (lat, lon) pairs; drawn as x = lon, y = lat.
        outline = [(lon, lat) for lat, lon in h3.cell_to_boundary(cell)]
        ax.add_patch(Polygon(outline, facecolor=cmap(norm(count)), edgecolor="#666", lw=0.4))
    ax.autoscale_view()
    lat = sum(h3.cell_to_latlng(c)[0] for c, _n in cells) / len(cells)
    # Degrees of longitude are shorter away from the equator: keep the map's shape true.
    ax.set_aspect(1 / max(0.1, math.cos(math.radians(lat))))
    ax.set_axis_off()
    ax.figure.colorbar(
        ScalarMappable(norm=norm, cmap=cmap), ax=ax, shrink=0.7, label=figure.columns[0][1]
    )
