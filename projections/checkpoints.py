"""Per-pair checkpoints: a large pair's fold laid out once as arrays, so that a query reads a few rows, not
the pair's whole history.

A checkpoint is derived from one pair's facts in the view up to the pair's last position P (no cut-offs),
and says everything the fold needs from the plain machine-coded facts without their rows:

- its acts in counting order, as columns: the day each counts from, its direction, base weight, Goldstein
  weight, first fact's position, number of facts, QuadClass; and the positions of every act's facts;
- its spells (conditions and armed-act caps), as the score board stores them;
- the positions of its *special* facts: every fact that is not a plain machine-coded row (curated records,
  annotations, claims, and the rows an annotation refers to). Those are read back and resolved at query
  time: they are closed under `refers_to`, so resolving them alone gives each the version the full fold gives.

A query on D then forms the flow's sums with numpy's sequential cumsum over the arrays (the same products
and the same order of additions as `fold.direction_sums`, so the same floats: the board = fold law), and
builds the state with `fold.assemble` from the special facts and the facts of the drivers shown. Drivers
are exact: every act whose share ties or beats the n-th largest is a candidate, then ranked as the fold
ranks them.

A checkpoint serves a query exactly when nothing was added to the pair since P (its last position is still
P), the query's cut-offs cut nothing (K and R at or after every fact's clocks, `confirmed_only` on a pair
whose every resolved fact is reported or confirmed); any half-life. Otherwise the full fold answers, and
the checkpoint is made again. Checkpoints are a cache of the view (never history): replaced here, emptied
with the score board by a rebuild.
"""

from __future__ import annotations

import heapq
import json
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

import numpy as np

from detente.domain.cameo import QuadClass
from . import kernel, scoring
from .acts import Act, act_of, is_machine_coded
from .conditions import ARMED_ACT, Spell, baseline_and_cap, open_on, weigh
from .drivers import ranked_drivers
from .facts import Fact
from .fold import NO_CUT_OFFS_QUERY, Flow, Query, Terms, assemble, days_before, resolved_facts
from .rows import to_micros
from .score_cache import decode_spells, encode_spells
from .state import RelationshipState

ATTESTED = ("reported", "confirmed")
ACT_DTYPE = np.dtype([("day", "<i8"), ("direction", "<i8"), ("base", "<f8"), ("weight", "<f8"), ("first", "<i8"), ("size", "<i8"), ("quad", "<i8")])


@dataclass(frozen=True)
class Checkpoint:
    pair: str
    position: int
    """The pair's last fact position when it was made."""
    known_us: int
    recorded_us: int
    """The latest known-since and recorded-at moments among the pair's facts (microseconds)."""
    attested: bool
    """Whether every resolved fact is reported or confirmed (then `confirmed_only` changes nothing)."""
    acts: np.ndarray
    """One record per act (ACT_DTYPE), in counting order; direction 0 is first → second of the pair's key."""
    members: np.ndarray
    """The positions of every act's facts, act after act (`acts["size"]` of each)."""
    special: np.ndarray
    """The positions of the special facts, ascending."""
    spells: list[Spell]
    leaders: dict[str, int]
    """For each armed-act spell, the index of the act whose first fact names it."""

    def serves(self, query: Query, latest: int | None) -> bool:
        return (
            latest == self.position
            and (query.known_at is None or to_micros(query.known_at) >= self.known_us)
            and (query.recorded_by is None or to_micros(query.recorded_by) >= self.recorded_us)
            and (not query.confirmed_only or self.attested)
        )


def make(pair: str, facts: Sequence[Fact]) -> Checkpoint | None:
    """The checkpoint of a pair's facts (all of them, as the view holds them), or None when its acts cannot be
    laid out as columns (a cluster whose rows differ in QuadClass)."""
    if not facts or len({fact.record_id for fact in facts}) != len(facts):
        return None
    first, second = pair.split("-")
    resolved = resolved_facts(facts, NO_CUT_OFFS_QUERY)
    terms = Terms.of(resolved)
    referred = {fact.refers_to for fact in facts if fact.refers_to}
    special = sorted(
        fact.position for fact in facts if not (is_machine_coded(fact) and fact.status in ATTESTED and fact.record_id not in referred)
    )
    acts = np.zeros(len(terms.acts), dtype=ACT_DTYPE)
    members: list[int] = []
    leaders: dict[str, int] = {}
    armed = {spell.record_id for spell in terms.spells if spell.name == ARMED_ACT}
    for index, act in enumerate(terms.acts):
        quads = {fact.quad_class for fact in act.facts}
        if len(quads) != 1 or (act.actor, act.target) not in ((first, second), (second, first)):
            return None
        acts[index] = (act.day.toordinal(), 0 if act.actor == first else 1, act.base, act.weight, act.first.position, len(act.facts), quads.pop())
        members.extend(fact.position for fact in act.facts)
        if act.first.record_id in armed:
            leaders[act.first.record_id] = index
    return Checkpoint(
        pair, max(fact.position for fact in facts), max(to_micros(fact.known_since) for fact in facts),
        max(to_micros(fact.recorded_at) for fact in facts), all(fact.status in ATTESTED for fact in resolved),
        acts, np.array(members, dtype=np.int64), np.array(special, dtype=np.int64), terms.spells, leaders,
    )  # fmt: skip


# Storage (checkpoint_store.py keeps the rows) ---------------------------------------------------------------


def encode(checkpoint: Checkpoint) -> dict[str, Any]:
    return {
        "pair": checkpoint.pair, "position": checkpoint.position, "known_us": checkpoint.known_us,
        "recorded_us": checkpoint.recorded_us, "attested": int(checkpoint.attested),
        "acts": checkpoint.acts.tobytes(), "members": checkpoint.members.astype("<i8").tobytes(),
        "special": checkpoint.special.astype("<i8").tobytes(), "spells": encode_spells(checkpoint.spells),
        "leaders": json.dumps(checkpoint.leaders),
    }  # fmt: skip


def decode(row: Any) -> Checkpoint:
    pair, position, known_us, recorded_us, attested, acts, members, special, spells, leaders = row
    return Checkpoint(
        pair, position, known_us, recorded_us, bool(attested), np.frombuffer(acts, dtype=ACT_DTYPE),
        np.frombuffer(members, dtype="<i8"), np.frombuffer(special, dtype="<i8"), decode_spells(spells), json.loads(leaders),
    )  # fmt: skip


# Reading ----------------------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def decay_table(size: int, half_life_days: float) -> np.ndarray:
    """`scoring.decay` of every age below `size` (the same floats the fold computes one by one)."""
    return np.array([scoring.decay(age, half_life_days) for age in range(size)])


TABLE_STEP = 4096
TABLE_LIMIT = 1 << 16
"""Ages up to about 180 years come from a cached table; a pair spanning more computes its distinct ages."""


def decays(ages: np.ndarray, half_life_days: float) -> np.ndarray:
    oldest = int(ages.max(initial=0))
    if oldest < TABLE_LIMIT:
        return decay_table(-(-(oldest + 1) // TABLE_STEP) * TABLE_STEP, half_life_days)[ages]
    distinct, inverse = np.unique(ages, return_inverse=True)
    return np.array([scoring.decay(age, half_life_days) for age in distinct.tolist()])[inverse]


def _sequential(values: np.ndarray) -> float:
    """0.0 + each value in turn (numpy's cumsum adds sequentially, as the fold's loop does)."""
    return float(np.cumsum(values)[-1]) + 0.0 if len(values) else 0.0


@dataclass(frozen=True)
class OnDay:
    """The flow on one day: the counted acts' decayed weights and each direction's sums."""

    count: int
    w: np.ndarray
    sums: dict[tuple[str, str], kernel.Sums]


def flow_on(checkpoint: Checkpoint, day: date, half_life_days: float) -> OnDay:
    first, second = checkpoint.pair.split("-")
    acts = checkpoint.acts
    count = int(np.searchsorted(acts["day"], day.toordinal(), side="right"))
    counted = acts[:count]
    w = counted["base"] * decays(day.toordinal() - counted["day"], half_life_days)
    sums: dict[tuple[str, str], kernel.Sums] = {}
    if count:
        leading = int(counted["direction"][0])
        for direction in (leading, 1 - leading):  # in the order the directions first act, as the fold meets them
            chosen = counted["direction"] == direction
            if not chosen.any():
                continue
            wd, g = w[chosen], counted["weight"][chosen]
            wg = wd * g
            sums[(first, second) if direction == 0 else (second, first)] = (
                _sequential(wd), _sequential(wg), _sequential(wg * g), _sequential(wd * wd)
            )
    return OnDay(count, w, sums)


def score_on(checkpoint: Checkpoint, day: date, half_life_days: float) -> float:
    """`fold.score_on` from the checkpoint."""
    flow = flow_on(checkpoint, day, half_life_days)
    spells = open_on(checkpoint.spells, day)
    _, baseline, strictest = baseline_and_cap(spells, weigh(spells), None)
    return kernel.score(baseline, strictest.cap if strictest else None, kernel.combine(flow.sums.values()))


FactsAt = Callable[[Sequence[int]], list[Fact]]
"""Reads the pair's facts at the given positions (in position order)."""


def state(checkpoint: Checkpoint, facts_at: FactsAt, query: Query, driver_count: int = scoring.DRIVER_COUNT) -> RelationshipState | None:
    """The state `fold.relationship_state` gives for the pair's facts, from the checkpoint and the few facts
    it reads with `facts_at`; None if what it reads does not match the checkpoint (then fold in full)."""
    first, second = checkpoint.pair.split("-")
    as_of = query.as_of
    resolved_special = resolved_facts(facts_at(checkpoint.special.tolist()), NO_CUT_OFFS_QUERY)
    special_by_position = {fact.position: fact for fact in resolved_special}
    listed = resolved_special[: bisect_right(resolved_special, as_of, key=Fact.counts_from)]
    by_id = {fact.record_id: fact for fact in listed}

    on_day = flow_on(checkpoint, as_of, query.half_life_days)
    acts = checkpoint.acts[: on_day.count]
    pair_sums = kernel.combine(on_day.sums.values())
    spells = open_on(checkpoint.spells, as_of)
    counted_weights = weigh(spells)
    total, baseline, strictest = baseline_and_cap(spells, counted_weights, None)
    reading = kernel.read(baseline, strictest.cap if strictest else None, pair_sums)

    # Drivers: every act whose share ties or beats the n-th largest, ranked as the fold ranks them.
    denominator = scoring.PRIOR_WEIGHT + pair_sums[0]
    shares = scoring.FLOW_SCALE * (on_day.w * acts["weight"]) / denominator
    flow_total = _sequential(shares)
    nonzero = np.flatnonzero(shares != 0.0)
    if len(nonzero) > driver_count > 0:
        sizes = np.abs(shares[nonzero])
        threshold = np.partition(sizes, len(sizes) - driver_count)[len(sizes) - driver_count]
        nonzero = nonzero[sizes >= threshold]
    elif driver_count <= 0:
        nonzero = nonzero[:0]
    candidates = [(float(shares[index]), int(acts["first"][index]), int(index)) for index in nonzero.tolist()]
    act_count = int(np.count_nonzero(shares))
    shown = heapq.nsmallest(driver_count, candidates, key=lambda item: (-abs(item[0]), -item[1]))
    wanted = {index for _, _, index in shown}
    strictest_act = checkpoint.leaders.get(strictest.record_id) if strictest is not None and strictest.record_id not in by_id else None
    if strictest_act is not None:
        wanted.add(strictest_act)
    found = _acts(checkpoint, sorted(wanted), facts_at, special_by_position)
    if found is None:
        return None
    if strictest_act is not None:
        leader = found[strictest_act].first
        by_id[leader.record_id] = leader
    drivers = ranked_drivers(candidates, act_count, flow_total, found.__getitem__, spells, counted_weights, total, reading.score, by_id, driver_count)

    ends = acts["day"]
    since = days_before(as_of, scoring.COUNT_WINDOW_DAYS).toordinal()
    recent = acts[int(np.searchsorted(ends, since, side="right")) :]
    tally = np.bincount(recent["quad"], weights=recent["size"], minlength=5)
    closers = [fact for fact in listed if fact.type in scoring.CLOSERS_LEFT_OUT_OF_THE_FLOW]
    for fact in closers:
        if fact.counts_from().toordinal() > since and fact.quad_class:
            tally[fact.quad_class] += 1
    counts = {quad.name.lower(): int(tally[int(quad)]) for quad in QuadClass}
    flow = Flow(on_day.sums, on_day.count, int(acts["size"].sum()) + len(closers), counts)
    earlier = score_on(checkpoint, days_before(as_of, scoring.TREND_DAYS), query.half_life_days)
    return assemble((first, second), query, flow, spells, counted_weights, strictest, reading, earlier, listed, by_id, drivers)


def _acts(checkpoint: Checkpoint, indexes: list[int], facts_at: FactsAt, special: dict[int, Fact]) -> dict[int, Act] | None:
    """The acts at these indexes, made again from their facts (resolved: a special fact as the fold resolves it)."""
    if not indexes:
        return {}
    offsets = np.concatenate(([0], np.cumsum(checkpoint.acts["size"])))
    wanted = {index: checkpoint.members[offsets[index] : offsets[index + 1]].tolist() for index in indexes}
    read = {fact.position: fact for fact in facts_at(sorted({p for positions in wanted.values() for p in positions}))}
    found = {}
    for index, positions in wanted.items():
        facts = [special.get(position) or read.get(position) for position in positions]
        if any(fact is None for fact in facts):
            return None
        act = act_of(facts)  # type: ignore[arg-type]
        row = checkpoint.acts[index]
        if act.day.toordinal() != row["day"] or act.base != row["base"] or act.weight != row["weight"]:
            return None
        found[index] = act
    return found
