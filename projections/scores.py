"""Every pair's score on one date, for ranking: the fold's own kernel, over a summary of each pair.

Ranking by the full fold folds every fact of every pair and builds every state, though a ranking needs only
the score. The score needs the pair's `fold.Terms` with no cut-offs: of each act, its direction, the day it
counts from, its base weight (claim factor × evidence) and its Goldstein weight; and the pair's spells (its
conditions and armed-act caps). `PairTerms` keeps that; `ScoreBoard` lays every pair's acts side by side,
forms every direction's four flow sums at once, and hands them to `kernel.score` with the baseline and cap
that `conditions` gives for the spells open on the date.

The same number, not a close one: each term is the product the fold forms (`base × decay(age)`, then `w·g`,
`w·g·g`, `w·w`; numpy multiplies float64 exactly as Python does), each direction's terms are added one after
another in counting order (`numpy.cumsum` accumulates sequentially, never pairwise; adding the 0.0 that
stands for an act not yet counted changes no sum), and the directions are combined, the baseline formed and
the kernel applied by the same Python code as the fold's. tests/unit/test_scores.py checks it against
`relationship_state` on random histories. Queries with a cut-off or `confirmed_only` resolve differently
and use `fold.pair_score`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import numpy as np

from . import kernel, scoring
from .conditions import Spell, baseline_and_cap, open_on, weigh
from .facts import Fact
from .fold import Query, Terms, resolved_facts

NO_CUT_OFFS = Query(date.min)
"""Resolution (steps 1–5 of the fold) depends on the cut-offs, never on the date D."""
DECAY_TABLE_STEP = 4096

Segment = tuple[np.ndarray, np.ndarray, np.ndarray]
"""One direction's acts: the ordinal days they count from (ascending), their base weights and Goldstein weights."""


class PairTerms:
    """One pair's score terms: per direction, in the order the fold first meets them, its acts; and its spells."""

    def __init__(self, pair: str, facts: Iterable[Fact]) -> None:
        terms = Terms.of(resolved_facts(facts, NO_CUT_OFFS))
        by_direction: dict[tuple[str, str], tuple[list[int], list[float], list[float]]] = {}
        for act in terms.acts:
            days, bases, weights = by_direction.setdefault((act.actor, act.target), ([], [], []))
            days.append(act.day.toordinal())
            bases.append(act.base)
            weights.append(act.weight)
        self.pair = pair
        self.segments: list[Segment] = [
            (np.array(days, dtype=np.int64), np.array(bases), np.array(weights)) for days, bases, weights in by_direction.values()
        ]
        self.spells: list[Spell] = terms.spells

    @classmethod
    def from_segments(cls, pair: str, segments: list[Segment], spells: list[Spell]) -> PairTerms:
        """Terms computed earlier (as `score_cache` stores them), without folding the facts again."""
        terms = cls.__new__(cls)
        terms.pair, terms.segments, terms.spells = pair, segments, spells
        return terms


class ScoreBoard:
    """Every pair's terms in one array of segments (one per pair and direction), scored in one pass."""

    def __init__(self, terms: Iterable[PairTerms]) -> None:
        names: list[str] = []
        counts: list[int] = []
        lengths: list[int] = []
        spells: dict[str, list[Spell]] = {}
        columns: list[list[np.ndarray]] = [[np.zeros(0, dtype=np.int64)], [np.zeros(0)], [np.zeros(0)]]
        for pair_terms in terms:
            names.append(pair_terms.pair)
            counts.append(len(pair_terms.segments))
            if pair_terms.spells:
                spells[pair_terms.pair] = pair_terms.spells
            for segment in pair_terms.segments:
                for column, values in zip(columns, segment):
                    column.append(values)
                lengths.append(len(segment[0]))
        days, bases, weights = (np.concatenate(column) for column in columns)
        self._lay_out(names, counts, np.array(lengths, dtype=np.int64), days, bases, weights, spells)

    @classmethod
    def from_arrays(
        cls, names: list[str], counts: list[int], lengths: np.ndarray, days: np.ndarray, bases: np.ndarray, weights: np.ndarray,
        spells: dict[str, list[Spell]],
    ) -> ScoreBoard:
        """A board from its arrays as `score_cache` stores them: each pair's name and number of segments, in
        order, every segment's length, days, bases and weights one after another, and the pairs' spells."""
        board = cls.__new__(cls)
        board._lay_out(names, counts, lengths, days, bases, weights, spells)
        return board

    def _lay_out(
        self, names: list[str], counts: list[int], lengths: np.ndarray, days: np.ndarray, bases: np.ndarray, weights: np.ndarray,
        spells: dict[str, list[Spell]],
    ) -> None:
        self.names, self.counts, self.spells = names, counts, spells
        self.firsts = np.cumsum([0, *counts[:-1]], dtype=np.int64).tolist() if counts else []
        if any(count > 2 for count in counts):
            raise ValueError("a pair has two directions: its terms have at most two segments")
        self.pair_firsts, self.pair_counts = np.array(self.firsts, dtype=np.int64), np.array(counts, dtype=np.int64)
        index = {name: number for number, name in enumerate(names)}
        self.timelines = {index[name]: Timeline(pair_spells) for name, pair_spells in spells.items() if pair_spells}
        self.days, self.bases, self.weights = days, bases, weights
        self.starts = np.cumsum(np.concatenate(([0], lengths[:-1])), dtype=np.int64) if len(lengths) else np.zeros(0, dtype=np.int64)
        self.buckets = _buckets(self.starts, lengths)

    def terms(self) -> dict[str, PairTerms]:
        """Each pair's terms, as views of the board's arrays (to lay out a new board with some replaced)."""
        found = {}
        bounds = np.concatenate((self.starts, [len(self.days)])).tolist()
        for name, first, count in zip(self.names, self.firsts, self.counts):
            segments = [
                (self.days[bounds[s] : bounds[s + 1]], self.bases[bounds[s] : bounds[s + 1]], self.weights[bounds[s] : bounds[s + 1]])
                for s in range(first, first + count)
            ]
            found[name] = PairTerms.from_segments(name, segments, self.spells.get(name, []))
        return found

    def scores(self, as_of: date, half_life_days: float) -> dict[str, float]:
        """Each pair's score on `as_of` (unrounded, as `fold.score_on` gives it). The band is not needed to
        rank, so only Σw and Σwg are formed. A board never changes once laid out, so the last few dates asked
        are remembered (a notebook or a server ranks the same date again and again)."""
        memo = self.__dict__.setdefault("_memo", {})
        found = memo.get((as_of, half_life_days))
        if found is None:
            if len(memo) >= MEMO_DATES:
                memo.pop(next(iter(memo)))
            found = memo[(as_of, half_life_days)] = self._scores(as_of, half_life_days)
        return dict(found)

    def _scores(self, as_of: date, half_life_days: float) -> dict[str, float]:
        ages = as_of.toordinal() - self.days
        counted = ages >= 0
        table = _decay_table(-(-(int(ages.max(initial=0)) + 1) // DECAY_TABLE_STEP) * DECAY_TABLE_STEP, half_life_days)
        w = np.where(counted, self.bases * table[np.where(counted, ages, 0)], 0.0)
        terms = np.stack((w, w * self.weights))
        sums = np.zeros((2, len(self.starts)))
        for segments, width, source, target in self.buckets:
            padded = np.zeros((2, len(segments) * width))
            padded[:, target] = terms[:, source]
            sums[:, segments] = np.cumsum(padded.reshape(2, len(segments), width), axis=2)[:, :, -1]
        # `kernel.combine` over each pair's directions (at most two), vectorised: 0.0 + the first, + the second.
        pair_sums = np.zeros((2, len(self.names)))
        one, two = self.pair_counts >= 1, self.pair_counts >= 2
        pair_sums[:, one] = 0.0 + sums[:, self.pair_firsts[one]]
        pair_sums[:, two] = pair_sums[:, two] + sums[:, self.pair_firsts[two] + 1]
        baselines, caps = self._conditions_on(as_of)
        return dict(zip(self.names, kernel.scores(baselines, caps, pair_sums[0], pair_sums[1]).tolist()))


    def _conditions_on(self, as_of: date) -> tuple[np.ndarray, np.ndarray]:
        """Every pair's baseline and cap on `as_of` (0 and +inf for a pair without spells): each pair's interval
        between its spells' breaks found for all pairs in one search, and each interval's values worked out
        once (by `Timeline.on`, so the same floats) and kept."""
        baselines, caps = np.zeros(len(self.names)), np.full(len(self.names), np.inf)
        if not self.timelines:
            return baselines, caps
        lookup = self.__dict__.get("_lookup")
        if lookup is None:
            rows = np.array(sorted(self.timelines), dtype=np.int64)
            keys = np.concatenate([row * BREAK_SHIFT + np.array([day.toordinal() for day in self.timelines[row].breaks], dtype=np.int64)
                                   for row in rows.tolist()])  # fmt: skip
            slots = int(len(keys) + len(rows))
            lookup = self.__dict__["_lookup"] = (rows, keys, np.arange(len(rows)), np.full(slots, np.nan), np.full(slots, np.inf))
        rows, keys, ranks, known_baselines, known_caps = lookup
        # A pair's k-th interval (bisect_right of its breaks) is slot (its first key's index + its rank + k).
        slots = np.searchsorted(keys, rows * BREAK_SHIFT + as_of.toordinal(), side="right") + ranks
        for number in np.flatnonzero(np.isnan(known_baselines[slots])).tolist():
            known_baselines[slots[number]], known_caps[slots[number]] = self.timelines[int(rows[number])].on(as_of)
        baselines[rows], caps[rows] = known_baselines[slots], known_caps[slots]
        return baselines, caps


MEMO_DATES = 8
BREAK_SHIFT = 1 << 22
"""More than any day's ordinal (9999-12-31 is 3,652,059): a pair's row × BREAK_SHIFT + a day sorts pair by pair."""


class Timeline:
    """A pair's baseline and cap by date: constant between the days its spells open and close, so worked out
    once per interval (by `conditions`, exactly as the fold works it out) and then looked up."""

    def __init__(self, spells: list[Spell]) -> None:
        self.spells = spells
        self.breaks = sorted({spell.start for spell in spells} | {spell.end for spell in spells if spell.end is not None})
        self.known: dict[int, tuple[float, float]] = {}

    def on(self, day: date) -> tuple[float, float]:
        interval = bisect_right(self.breaks, day)
        found = self.known.get(interval)
        if found is None:
            open_spells = open_on(self.spells, day)
            _, baseline, strictest = baseline_and_cap(open_spells, weigh(open_spells), None)
            found = self.known[interval] = (baseline, strictest.cap if strictest else np.inf)  # type: ignore[assignment]
        return found


def _buckets(starts: np.ndarray, lengths: np.ndarray) -> list[tuple[np.ndarray, int, np.ndarray, np.ndarray]]:
    """Segments grouped by length (up to each power of two), with where each term goes in a padded block:
    one sequential cumsum per block sums every segment in it."""
    buckets = []
    widths = np.left_shift(1, np.ceil(np.log2(np.maximum(lengths, 1))).astype(np.int64))
    for width in np.unique(widths).tolist():
        segments = np.flatnonzero(widths == width)
        sizes = lengths[segments]
        rows = np.repeat(np.arange(len(segments)), sizes)
        offsets = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        buckets.append((segments, width, np.repeat(starts[segments], sizes) + offsets, rows * width + offsets))
    return buckets


@lru_cache(maxsize=16)
def _decay_table(size: int, half_life_days: float) -> np.ndarray:
    return np.array([scoring.decay(age, half_life_days) for age in range(size)])
