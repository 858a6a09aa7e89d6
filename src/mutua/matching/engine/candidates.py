"""Candidate pairs: for each ask, its k nearest helpers that satisfy every hard constraint.

Points live on the unit sphere in 3-D (ECEF / R). A straight chord c there and the great-circle
distance d are tied exactly by d = 2R asin(c/2), and the map is monotone, so nearest-by-chord is
nearest-by-great-circle and a helper's radius becomes an exact chord bound: no projection error.

One k-d tree per category (only helpers with that category and spare capacity), since the
category is the most selective constraint. Each ask queries its category's tree for more raw
neighbours than it needs, the radius, language and time constraints are checked for the whole
block at once in NumPy, and the first k feasible ones are kept. An ask that found fewer than k
while its raw list was full asks again with four times as many, so the result is exactly the k
nearest feasible helpers, and an ask with none was searched completely (which makes its reason
exact).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from .model import MAX_LANGUAGES, AskArrays, HelperArrays, Reason, km_to_chord, unit_vectors

# Rows times neighbours per k-d tree query: bounds the memory of one block (about 100 MB).
_BLOCK_ENTRIES = 4_000_000
# Below this many rows times neighbours, a query runs in one thread.
_THREADED_ENTRIES = 100_000
# A chord bound a hair above the largest radius, so a helper exactly at its radius is returned.
_BOUND_SLACK = 1.0 + 1e-9
# Asks needing a language spoken by fewer than this share of a category's helpers search a
# tree of that category's speakers of it.
_SHARED_LANGUAGE = 0.5
# Tree keys pack (category, language + 1) into one integer.
_KEYS = MAX_LANGUAGES + 1


def _spread_bits(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Put the low 16 bits of x at the even bit positions (for a Morton code)."""
    x = x & np.uint64(0xFFFF)
    for shift, mask in ((8, 0x00FF00FF), (4, 0x0F0F0F0F), (2, 0x33333333), (1, 0x55555555)):
        x = (x | (x << np.uint64(shift))) & np.uint64(mask)
    return x


def morton_order(
    lat: npt.NDArray[np.float64], lon: npt.NDArray[np.float64]
) -> npt.NDArray[np.int64]:
    """A space-filling-curve order: neighbours in it are mostly neighbours on the map.

    Querying a k-d tree in this order (and building it from points in this order) keeps the
    tree's nodes in cache from one query to the next: about twice as fast as random order.
    """
    y = _spread_bits(((lat + 90.0) * (65535.0 / 180.0)).astype(np.uint64))
    x = _spread_bits(((lon + 180.0) * (65535.0 / 360.0)).astype(np.uint64))
    return np.argsort(y | (x << np.uint64(1)), kind="stable")


@dataclass
class CandidateGraph:
    """Feasible (ask, helper) arcs; each ask's arcs are contiguous and nearest first."""

    ask: npt.NDArray[np.int64]
    helper: npt.NDArray[np.int64]
    chord: npt.NDArray[np.float64]
    # Per ask (length M): True when k arcs were kept and more feasible helpers may lie beyond.
    more: npt.NDArray[np.bool_]
    # Per ask: why it has no feasible helper at all (Reason), or 0 when it has some.
    blocked: npt.NDArray[np.int8]

    @property
    def size(self) -> int:
        return int(self.ask.shape[0])


@dataclass
class _Tree:
    tree: cKDTree
    members: npt.NDArray[np.int64]
    bound: float


class CandidateSearch:
    """Holds the helpers' trees so later, wider searches for a few asks reuse them."""

    def __init__(self, asks: AskArrays, helpers: HelperArrays, *, workers: int) -> None:
        self.asks = asks
        self.helpers = helpers
        self.workers = workers
        self.ask_xyz = unit_vectors(asks.lat, asks.lon)
        self._ask_order = morton_order(asks.lat, asks.lon)
        self.ask_rank = np.empty(len(asks), dtype=np.int64)
        self.ask_rank[self._ask_order] = np.arange(len(asks))
        self.helper_xyz = unit_vectors(helpers.lat, helpers.lon)
        self.reach = km_to_chord(helpers.radius_km)
        self.available = helpers.capacity > 0
        self._helpers_timed = bool(
            np.isfinite(helpers.available_from).any() or np.isfinite(helpers.available_to).any()
        )
        self._trees: dict[tuple[int, int], _Tree | None] = {}
        # Available helpers in map order: trees built from them inherit the locality.
        order = morton_order(helpers.lat, helpers.lon)
        self.helper_rank = np.empty(len(helpers), dtype=np.int64)
        self.helper_rank[order] = np.arange(len(helpers))
        self._ordered = order[self.available[order]]
        self._ordered_categories = helpers.categories[self._ordered]
        self._category_members: dict[int, npt.NDArray[np.int64]] = {}
        self._category_languages: dict[int, npt.NDArray[np.uint64]] = {}
        # Helpers a restricted search must skip (see restricted()).
        self.excluded: npt.NDArray[np.bool_] | None = None
        self._ask_trees: dict[int, tuple[cKDTree, npt.NDArray[np.int64]]] = {}

    def restricted(self, excluded: npt.NDArray[np.bool_]) -> CandidateSearch:
        """A search that never returns the `excluded` helpers.

        When they are most of the helpers, it builds new, small trees of the others; otherwise
        it filters the trees already built.
        """
        other = copy.copy(self)
        if 2 * np.count_nonzero(excluded[self._ordered]) < self._ordered.size:
            other.excluded = excluded
            return other
        other.excluded = None
        other.available = self.available & ~excluded
        other._ordered = self._ordered[~excluded[self._ordered]]
        other._ordered_categories = self.helpers.categories[other._ordered]
        other._trees = {}
        other._category_members = {}
        other._category_languages = {}
        return other

    def ask_tree(
        self, level: int, searchable: npt.NDArray[np.bool_]
    ) -> tuple[cKDTree, npt.NDArray[np.int64]]:
        """A k-d tree of the `searchable` asks of urgency `level` or more, and their indices.

        Built once per level and kept for the later completion rounds: `searchable` (the asks
        with some feasible helper) must be the same at every call.
        """
        if level not in self._ask_trees:
            order = self._ask_order
            members = order[(self.asks.urgency[order] >= level) & searchable[order]]
            # Unbalanced, as the helpers' trees: the balls' contents do not depend on the shape.
            tree = cKDTree(
                self.ask_xyz[members], leafsize=16, compact_nodes=False, balanced_tree=False
            )
            self._ask_trees[level] = (tree, members)
        return self._ask_trees[level]

    def _build(self, members: npt.NDArray[np.int64]) -> _Tree | None:
        if members.size == 0:
            return None
        # Unbalanced trees without node compaction build several times faster, query about as fast.
        tree = cKDTree(
            self.helper_xyz[members], leafsize=16, compact_nodes=False, balanced_tree=False
        )
        return _Tree(tree, members, float(self.reach[members].max()) * _BOUND_SLACK + 1e-15)

    def _members(self, category: int) -> npt.NDArray[np.int64]:
        """Available helpers with this category, in map order (computed once per category)."""
        if category not in self._category_members:
            has = (self._ordered_categories >> np.uint32(category)) & np.uint32(1)
            members = self._ordered[has != 0]
            self._category_members[category] = members
            self._category_languages[category] = self.helpers.languages[members]
        return self._category_members[category]

    def _speakers(self, category: int, language: int) -> npt.NDArray[np.bool_]:
        """Which of the category's members speak the language."""
        self._members(category)
        spoken = (self._category_languages[category] >> np.uint64(language)) & np.uint64(1)
        speaks: npt.NDArray[np.bool_] = spoken != 0
        return speaks

    def _tree(self, category: int, language: int) -> _Tree | None:
        """Helpers with spare capacity, this category and (unless -1) this language."""
        key = (category, language)
        if key not in self._trees:
            members = self._members(category)
            if language >= 0:
                members = members[self._speakers(category, language)]
            self._trees[key] = self._build(members)
        return self._trees[key]

    def _language_tree(self, category: int, language: int) -> bool:
        """Whether asks needing `language` should search their own, smaller tree.

        When most of the category's helpers speak it, filtering the category's tree is
        cheaper than another tree; when few do, a tree of speakers saves deep searches.
        """
        if language < 0:
            return False
        members = self._members(category)
        if members.size == 0:
            return False
        share = np.count_nonzero(self._speakers(category, language)) / members.size
        return bool(share < _SHARED_LANGUAGE)

    def _reached_by_anyone(
        self, rows: npt.NDArray[np.int64], blocked: npt.NDArray[np.int8]
    ) -> None:
        """NO_CATEGORY for asks some available helper reaches, else NO_HELPER_IN_RANGE.

        The category trees already built hold most helpers; only the helpers in none of them
        get a tree of their own, instead of one more tree of everybody.
        """
        covered = np.zeros(len(self.helpers), dtype=np.bool_)
        for (category, language), entry in list(self._trees.items()):
            if language != -1 or category < 0 or entry is None:
                continue
            pending = rows[blocked[rows] == -1]
            self._range_check(entry, pending, blocked, Reason.NO_CATEGORY, -1)
            covered[entry.members] = True
        if (-1, -1) not in self._trees:
            self._trees[(-1, -1)] = self._build(self._ordered[~covered[self._ordered]])
        pending = rows[blocked[rows] == -1]
        self._range_check(
            self._trees[(-1, -1)], pending, blocked, Reason.NO_CATEGORY, Reason.NO_HELPER_IN_RANGE
        )

    def _query(
        self, entry: _Tree, rows: npt.NDArray[np.int64], kraw: int
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
        dist, idx = entry.tree.query(
            self.ask_xyz[rows],
            k=kraw,
            distance_upper_bound=entry.bound,
            # Starting threads costs more than small queries take.
            workers=self.workers if rows.size * kraw >= _THREADED_ENTRIES else 1,
        )
        dist = np.asarray(dist, dtype=np.float64).reshape(rows.size, kraw)
        idx = np.asarray(idx, dtype=np.int64).reshape(rows.size, kraw)
        found = idx < entry.members.size
        helper = entry.members[np.where(found, idx, 0)]
        return dist, helper, found

    def search(
        self, rows: npt.NDArray[np.int64], k: int, *, reasons: bool = True
    ) -> CandidateGraph:
        """The k nearest feasible helpers of each ask in `rows` (ask indices).

        With reasons=False, asks with none are not examined further for the reason.
        """
        m = len(self.asks)
        more = np.zeros(m, dtype=np.bool_)
        blocked = np.zeros(m, dtype=np.int8)
        pieces: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]]
        pieces = []
        category = self.asks.category[rows].astype(np.int64)
        language = self.asks.language[rows].astype(np.int64)
        # Group asks by the tree they search: (category, language) or (category, -1).
        pair = category * _KEYS + language + 1
        pairs, which = np.unique(pair, return_inverse=True)
        own = np.array(
            [self._language_tree(p // _KEYS, p % _KEYS - 1) for p in pairs.tolist()], dtype=bool
        )
        keys = np.where(own[which], pair, category * _KEYS)
        # One sort groups the asks by tree and, within a tree, puts them in map order.
        order = np.argsort(keys * len(self.asks) + self.ask_rank[rows], kind="stable")
        sorted_keys = keys[order]
        bounds = np.flatnonzero(np.diff(sorted_keys)) + 1
        for group in np.split(order, bounds) if rows.size else []:
            key = int(keys[group[0]])
            selected = rows[group]
            entry = self._tree(key // _KEYS, key % _KEYS - 1)
            if entry is None:
                blocked[selected] = -1
                continue
            n_c = int(entry.members.size)
            kraw = min(n_c, k + max(4, k // 2))
            pending = selected
            while pending.size:
                width = max(1, _BLOCK_ENTRIES // kraw)
                unresolved = [
                    self._search_block(
                        entry, pending[i : i + width], k, kraw, pieces, more, blocked
                    )
                    for i in range(0, pending.size, width)
                ]
                pending = np.concatenate(unresolved)
                kraw = min(n_c, kraw * 4)
        # -1 marks asks that no helper of their tree reaches (or whose tree is empty). Those
        # that searched a tree of speakers first learn whether other helpers of the category
        # reach them (then only the language is missing), the rest whether anyone does.
        if reasons:
            self._reasons(rows, keys, blocked)
        if pieces:
            ask = np.concatenate([p[0] for p in pieces])
            helper = np.concatenate([p[1] for p in pieces])
            chord = np.concatenate([p[2] for p in pieces])
        else:
            ask = np.zeros(0, dtype=np.int64)
            helper = np.zeros(0, dtype=np.int64)
            chord = np.zeros(0, dtype=np.float64)
        return CandidateGraph(ask=ask, helper=helper, chord=chord, more=more, blocked=blocked)

    def _reasons(
        self,
        rows: npt.NDArray[np.int64],
        keys: npt.NDArray[np.int64],
        blocked: npt.NDArray[np.int8],
    ) -> None:
        """Why asks with no feasible helper have none (blocked, in place)."""
        # -1 marks asks that no helper of their tree reaches (or whose tree is empty). Those
        # that searched a tree of speakers first learn whether other helpers of the category
        # reach them (then only the language is missing), the rest whether anyone does.
        unreached = rows[(blocked[rows] == -1) & (keys % _KEYS != 0)]
        for category_value in np.unique(self.asks.category[unreached]).tolist():
            self._range_check(
                self._tree(category_value, -1),
                unreached[self.asks.category[unreached] == category_value],
                blocked,
                Reason.NO_LANGUAGE,
                -1,
            )
        unreached = rows[blocked[rows] == -1]
        if unreached.size:
            self._reached_by_anyone(unreached, blocked)

    def _search_block(
        self,
        entry: _Tree,
        rows: npt.NDArray[np.int64],
        k: int,
        kraw: int,
        pieces: list[tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64]]],
        more: npt.NDArray[np.bool_],
        blocked: npt.NDArray[np.int8],
    ) -> npt.NDArray[np.int64]:
        """Keep the arcs of rows that are settled; return the rows that need a wider search."""
        asks, helpers = self.asks, self.helpers
        dist, helper, found = self._query(entry, rows, kraw)
        in_range = found & (dist <= self.reach[helper])
        speaks = in_range
        need = asks.language[rows].astype(np.int64)
        if (need >= 0).any():
            bit = np.uint64(1) << np.maximum(need, 0).astype(np.uint64)[:, None]
            speaks = in_range & ((need < 0)[:, None] | ((helpers.languages[helper] & bit) != 0))
        feasible = speaks
        start = asks.window_start[rows]
        end = asks.window_end[rows]
        if self._helpers_timed or np.isfinite(start).any() or np.isfinite(end).any():
            feasible = speaks & (
                (start[:, None] <= helpers.available_to[helper])
                & (helpers.available_from[helper] <= end[:, None])
            )
        if self.excluded is not None:
            feasible = feasible & ~self.excluded[helper]
        count = np.cumsum(feasible, axis=1, dtype=np.int32)
        n_feasible = count[:, -1]
        # Nothing lies beyond this list when it was not full or already holds every member.
        exhausted = ~found[:, -1] | (kraw >= entry.members.size)
        done = (n_feasible >= k) | exhausted
        keep = feasible & (count <= k) & done[:, None]
        r, c = np.nonzero(keep)  # row-major: each row's arcs together, nearest first
        pieces.append((rows[r], helper[r, c], dist[r, c]))
        more[rows] = done & ((n_feasible > k) | ((n_feasible == k) & ~exhausted))
        empty = done & (n_feasible == 0)
        reason = np.where(
            speaks.any(axis=1),
            Reason.NO_TIME,
            np.where(in_range.any(axis=1), Reason.NO_LANGUAGE, -1),
        )
        blocked[rows[empty]] = reason[empty]
        return rows[~done]

    def _range_check(
        self,
        entry: _Tree | None,
        rows: npt.NDArray[np.int64],
        blocked: npt.NDArray[np.int8],
        hit: int,
        miss: int,
    ) -> None:
        """Set `hit` for asks some helper of the tree reaches, `miss` for the others."""
        if entry is None:
            blocked[rows] = miss
            return
        n = int(entry.members.size)
        kraw = min(n, 8)
        pending = rows
        while pending.size:
            width = max(1, _BLOCK_ENTRIES // kraw)
            unresolved = []
            for i in range(0, pending.size, width):
                block = pending[i : i + width]
                dist, helper, found = self._query(entry, block, kraw)
                reached = np.any(found & (dist <= self.reach[helper]), axis=1)
                decided = reached | ~found[:, -1] | (kraw >= n)
                blocked[block[decided]] = np.where(reached[decided], hit, miss)
                unresolved.append(block[~decided])
            pending = np.concatenate(unresolved)
            kraw = min(n, kraw * 4)
