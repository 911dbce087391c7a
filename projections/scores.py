"""Every pair's score on one date, for ranking: the fold's own arithmetic, over a summary of each pair.

Ranking by the full fold folds every fact of every pair and builds every state, though a ranking needs only
the score. The score needs, of each fact that counts with no cut-offs (after retractions, corrections and
denials: `fold.resolved_facts`), the day it counts from, its weight times its claim factor, and its
direction. `PairTerms` keeps that, in counting order; `ScoreBoard` lays every pair's terms side by side and
scores them all at once.

The same number, not a close one: each term is the product `fold.score_of` forms (`weight × factor`, then
× `scoring.decay(age)`; numpy multiplies float64 exactly as Python does), each direction's terms are added
one after another in counting order (`numpy.cumsum` accumulates sequentially, never pairwise; adding the
0.0 that stands for a fact not yet counted changes no sum), and the directions are summed and bounded by the
same Python code. tests/unit/test_scores.py checks it against `relationship_state` on random histories.
Queries with a cut-off or `confirmed_only` resolve differently and use `fold.pair_score`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache

import numpy as np

from . import scoring
from .facts import Fact
from .fold import Query, claim_status, resolved_facts

NO_CUT_OFFS = Query(date.min)
"""Resolution (steps 1–5 of the fold) depends on the cut-offs, never on the date D."""
DECAY_TABLE_STEP = 4096


class PairTerms:
    """One pair's score terms: per direction, in the order the fold first meets them, the ordinal day each
    fact counts from (ascending) and its weight × claim factor."""

    def __init__(self, pair: str, facts: Iterable[Fact]) -> None:
        by_direction: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
        for fact in resolved_facts(facts, NO_CUT_OFFS):
            days, weights = by_direction.setdefault((fact.actor, fact.target), ([], []))
            days.append(fact.counts_from().toordinal())
            weights.append(fact.weight * scoring.CLAIM_FACTORS.get(claim_status(fact), 1.0))
        self.pair = pair
        self.segments = [(np.array(days, dtype=np.int64), np.array(weights)) for days, weights in by_direction.values()]

    @classmethod
    def from_segments(cls, pair: str, segments: list[tuple[np.ndarray, np.ndarray]]) -> PairTerms:
        """Terms computed earlier (as `score_cache` stores them), without folding the facts again."""
        terms = cls.__new__(cls)
        terms.pair, terms.segments = pair, segments
        return terms


class ScoreBoard:
    """Every pair's terms in one array of segments (one per pair and direction), scored in one pass."""

    def __init__(self, terms: Iterable[PairTerms]) -> None:
        names: list[str] = []
        counts: list[int] = []
        lengths: list[int] = []
        days: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
        weights: list[np.ndarray] = [np.zeros(0)]
        for pair_terms in terms:
            names.append(pair_terms.pair)
            counts.append(len(pair_terms.segments))
            for segment_days, segment_weights in pair_terms.segments:
                days.append(segment_days)
                weights.append(segment_weights)
                lengths.append(len(segment_days))
        self._lay_out(names, counts, np.array(lengths, dtype=np.int64), np.concatenate(days), np.concatenate(weights))

    @classmethod
    def from_arrays(cls, names: list[str], counts: list[int], lengths: np.ndarray, days: np.ndarray, weights: np.ndarray) -> ScoreBoard:
        """A board from its arrays as `score_cache` stores them: each pair's name and number of segments, in
        order, and every segment's length, days and weights one after another."""
        board = cls.__new__(cls)
        board._lay_out(names, counts, lengths, days, weights)
        return board

    def _lay_out(self, names: list[str], counts: list[int], lengths: np.ndarray, days: np.ndarray, weights: np.ndarray) -> None:
        self.names, self.counts = names, counts
        self.firsts = np.cumsum([0, *counts[:-1]], dtype=np.int64).tolist() if counts else []
        self.days, self.weights = days, weights
        self.starts = np.cumsum(np.concatenate(([0], lengths[:-1])), dtype=np.int64) if len(lengths) else np.zeros(0, dtype=np.int64)
        self.buckets = _buckets(self.starts, lengths)

    def terms(self) -> dict[str, PairTerms]:
        """Each pair's terms, as views of the board's arrays (to lay out a new board with some replaced)."""
        found = {}
        bounds = np.concatenate((self.starts, [len(self.days)])).tolist()
        for name, first, count in zip(self.names, self.firsts, self.counts):
            segments = [(self.days[bounds[s] : bounds[s + 1]], self.weights[bounds[s] : bounds[s + 1]]) for s in range(first, first + count)]
            found[name] = PairTerms.from_segments(name, segments)
        return found

    def scores(self, as_of: date, half_life_days: float) -> dict[str, float]:
        """Each pair's bounded score on `as_of` (unrounded, as `fold.score_of` gives it)."""
        ages = as_of.toordinal() - self.days
        counted = ages >= 0
        table = _decay_table(-(-(int(ages.max(initial=0)) + 1) // DECAY_TABLE_STEP) * DECAY_TABLE_STEP, half_life_days)
        terms = np.where(counted, self.weights * table[np.where(counted, ages, 0)], 0.0)
        sums = np.zeros(len(self.starts))
        for segments, width, source, target in self.buckets:
            padded = np.zeros(len(segments) * width)
            padded[target] = terms[source]
            sums[segments] = np.cumsum(padded.reshape(len(segments), width), axis=1)[:, -1]
        totals, present = sums.tolist(), counted[self.starts].tolist()  # a direction counts once its first fact does
        # `0.0 +` as the fold's `directed.get(key, 0.0) + value` starts (it differs from the sum only for -0.0).
        return {
            name: scoring.bounded(sum(0.0 + totals[s] for s in range(first, first + count) if present[s]))
            for name, first, count in zip(self.names, self.firsts, self.counts)
        }


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
