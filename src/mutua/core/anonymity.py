"""k-anonymity for published figures (the impact page, public incident pages): no count
of fewer than K asks is published."""

from __future__ import annotations

K = 5  # the smallest number of asks a published count may stand for


def suppress(counts: list[int], *, k: int = K) -> list[int | None]:
    """`counts` with every count from 1 to k-1 replaced by None (suppressed).

    Zero is kept: it says nothing about anyone. Totals are published beside these series,
    so a single suppressed count could be worked out as the total minus the others; when
    exactly one is suppressed, the smallest shown count goes too (complementary
    suppression), which leaves a range of at least k for what is hidden.
    """
    out: list[int | None] = [None if 0 < c < k else c for c in counts]
    hidden = [i for i, v in enumerate(out) if v is None]
    if len(hidden) == 1:
        shown = [i for i, v in enumerate(out) if v]
        if shown:
            out[min(shown, key=lambda i: counts[i])] = None
    return out


def published(count: int, *, k: int = K) -> int | None:
    """One count on its own: shown when zero or at least k."""
    return None if 0 < count < k else count
