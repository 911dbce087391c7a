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

Over 250 lines: making a checkpoint, extending it with new rows and answering from it share one array layout;
apart, each would restate it.
"""

from __future__ import annotations

import heapq
import json
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property, lru_cache
from typing import Any

import numpy as np

from detente.domain.cameo import QuadClass
from . import kernel, scoring
from .acts import Act, act_of, is_machine_coded
from .conditions import ARMED_ACT, SPELL_ORDER, Spell, armed_spell, baseline_and_cap, open_on, weigh
from .drivers import ranked_drivers
from .facts import Fact
from .fold import NO_CUT_OFFS_QUERY, Flow, Query, Terms, assemble, days_before, resolved_facts
from .rows import to_micros
from .score_cache import decode_spells, encode_spells
from .state import RelationshipState

ATTESTED = ("reported", "confirmed")
ACT_DTYPE = np.dtype([
    ("day", "<i8"), ("direction", "<i8"), ("base", "<f8"), ("weight", "<f8"), ("first", "<i8"), ("size", "<i8"), ("quad", "<i8"),
    ("cluster", "<i8"),
])  # fmt: skip
"""An act's columns; `cluster` is its machine-coded cluster's base code as a number (`cluster_code`), or -1 for a
curated record (which never takes in another fact)."""


def cluster_code(code: str) -> int:
    """A CAMEO base code (its first three characters, digits) as a number that keeps leading zeros apart."""
    return int("1" + code[:3])


@dataclass(frozen=True, eq=False)
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

    @cached_property
    def columns(self) -> dict[str, np.ndarray]:
        """The acts' columns as contiguous arrays (a record array's fields are strided: slow to compute on)."""
        return {name: np.ascontiguousarray(self.acts[name]) for name in ("day", "direction", "base", "weight", "first", "size", "quad")}

    @cached_property
    def by_direction(self) -> list[tuple[int, np.ndarray, np.ndarray, np.ndarray]]:
        """Per direction, in the order the directions first act: (direction, days, indexes, weights) of its acts
        (`indexes`: where they are among all the acts)."""
        columns = self.columns
        if not len(columns["day"]):
            return []
        leading = int(columns["direction"][0])
        found = []
        for direction in (leading, 1 - leading):
            chosen = np.flatnonzero(columns["direction"] == direction)
            if len(chosen):
                found.append((direction, columns["day"][chosen], chosen, columns["weight"][chosen]))
        return found

    @cached_property
    def offsets(self) -> np.ndarray:
        """Where each act's facts begin in `members` (and, last, their total)."""
        return np.concatenate(([0], np.cumsum(self.acts["size"])))

    @cached_property
    def spell_index(self) -> tuple[list[Spell], list[Spell], list[int]]:
        """(condition spells, armed-act spells, the armed spells' start days): an armed act's cap lasts
        ARMED_ACT_WINDOW_DAYS, so the open ones are found by bisection among thousands."""
        conditions = [spell for spell in self.spells if spell.name != ARMED_ACT]
        armed = [spell for spell in self.spells if spell.name == ARMED_ACT]
        return conditions, armed, [spell.start.toordinal() for spell in armed]

    def open_on(self, day: date) -> list[Spell]:
        """`conditions.open_on(self.spells, day)`, in the same order."""
        conditions, armed, starts = self.spell_index
        if not armed:
            return open_on(conditions, day)
        window = scoring.ARMED_ACT_WINDOW_DAYS
        ordinal = day.toordinal()
        low, high = bisect_right(starts, ordinal - window - 1), bisect_right(starts, ordinal)
        found = open_on(conditions, day) + open_on(armed[max(low - 1, 0) : high], day)
        found.sort(key=SPELL_ORDER)  # the spells' own order (their keys are distinct)
        return found

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
        acts[index] = (
            act.day.toordinal(), 0 if act.actor == first else 1, act.base, act.weight, act.facts[0].position, len(act.facts), quads.pop(),
            cluster_code(act.facts[0].code) if act.machine else -1,
        )  # fmt: skip
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
    columns = checkpoint.columns
    ordinal = day.toordinal()
    count = int(np.searchsorted(columns["day"], ordinal, side="right"))
    w = columns["base"][:count] * decays(ordinal - columns["day"][:count], half_life_days)  # base × decay(age), as the fold
    sums: dict[tuple[str, str], kernel.Sums] = {}
    for direction, days, indexes, weights in checkpoint.by_direction:  # in the order the directions first act
        counted = int(np.searchsorted(days, ordinal, side="right"))
        if not counted:
            continue
        terms = np.empty((4, counted))
        wd = terms[0]
        np.take(w, indexes[:counted], out=wd)
        g = weights[:counted]
        np.multiply(wd, g, out=terms[1])
        np.multiply(terms[1], g, out=terms[2])
        np.multiply(wd, wd, out=terms[3])
        # Each row added one by one, in order (cumsum along a row is sequential), then + 0.0 as `_sequential` does.
        total = np.cumsum(terms, axis=1)[:, -1]
        sums[(first, second) if direction == 0 else (second, first)] = tuple(float(value) + 0.0 for value in total.tolist())  # type: ignore[assignment]
    return OnDay(count, w, sums)


def score_on(checkpoint: Checkpoint, day: date, half_life_days: float) -> float:
    """`fold.score_on` from the checkpoint."""
    flow = flow_on(checkpoint, day, half_life_days)
    spells = checkpoint.open_on(day)
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
    count = on_day.count
    columns = checkpoint.columns
    pair_sums = kernel.combine(on_day.sums.values())
    spells = checkpoint.open_on(as_of)
    counted_weights = weigh(spells)
    total, baseline, strictest = baseline_and_cap(spells, counted_weights, None)
    reading = kernel.read(baseline, strictest.cap if strictest else None, pair_sums)

    # Drivers: every act whose share ties or beats the n-th largest, ranked as the fold ranks them.
    denominator = scoring.PRIOR_WEIGHT + pair_sums[0]
    shares = scoring.FLOW_SCALE * (on_day.w * columns["weight"][:count]) / denominator
    flow_total = _sequential(shares)
    nonzero = np.flatnonzero(shares != 0.0)
    if len(nonzero) > driver_count > 0:
        sizes = np.abs(shares[nonzero])
        threshold = np.partition(sizes, len(sizes) - driver_count)[len(sizes) - driver_count]
        nonzero = nonzero[sizes >= threshold]
    elif driver_count <= 0:
        nonzero = nonzero[:0]
    firsts = columns["first"]
    candidates = [(float(shares[index]), int(firsts[index]), int(index)) for index in nonzero.tolist()]
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

    since = days_before(as_of, scoring.COUNT_WINDOW_DAYS).toordinal()
    recent = slice(int(np.searchsorted(columns["day"][:count], since, side="right")), count)
    tally = np.bincount(columns["quad"][recent], weights=columns["size"][recent], minlength=5)
    closers = [fact for fact in listed if fact.type in scoring.CLOSERS_LEFT_OUT_OF_THE_FLOW]
    for fact in closers:
        if fact.counts_from().toordinal() > since and fact.quad_class:
            tally[fact.quad_class] += 1
    counts = {quad.name.lower(): int(tally[int(quad)]) for quad in QuadClass}
    flow = Flow(on_day.sums, count, int(columns["size"][:count].sum()) + len(closers), counts)
    earlier = score_on(checkpoint, days_before(as_of, scoring.TREND_DAYS), query.half_life_days)
    return assemble((first, second), query, flow, spells, counted_weights, strictest, reading, earlier, listed, by_id, drivers)


def _acts(checkpoint: Checkpoint, indexes: list[int], facts_at: FactsAt, special: dict[int, Fact]) -> dict[int, Act] | None:
    """The acts at these indexes, made again from their facts (resolved: a special fact as the fold resolves it)."""
    if not indexes:
        return {}
    offsets = checkpoint.offsets
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


# Extending ----------------------------------------------------------------------------------------------------


def is_plain(fact: Fact) -> bool:
    """A machine-coded row that annotates nothing and is reported or confirmed: a checkpoint takes it in without
    resolving anything again (no earlier fact can refer to it: a reference names a record already stored)."""
    return fact.refers_to is None and fact.status in ATTESTED and is_machine_coded(fact)


def extend(checkpoint: Checkpoint, later: Sequence[Fact], facts_at: FactsAt) -> Checkpoint | None:
    """The checkpoint `make` would give for the pair's facts plus `later` (the pair's facts after its position,
    in log order), when every later fact is plain (`is_plain`); None otherwise, or when a cluster it joins holds
    a special fact (then make it again from every fact). A later row joins the cluster of its day, direction
    and base code, or starts an act placed after every earlier act of its day."""
    if not later:
        return checkpoint
    if any(not is_plain(fact) or fact.position <= checkpoint.position for fact in later):
        return None
    first, second = checkpoint.pair.split("-")
    acts = checkpoint.acts
    groups: dict[tuple[int, int, int], list[Fact]] = {}
    for fact in later:
        if (fact.actor, fact.target) not in ((first, second), (second, first)):
            return None
        key = (fact.counts_from().toordinal(), 0 if fact.actor == first else 1, cluster_code(fact.code))
        groups.setdefault(key, []).append(fact)
    offsets = np.concatenate(([0], np.cumsum(acts["size"])))
    special = set(checkpoint.special.tolist())
    joined: dict[int, list[Fact]] = {}
    started: list[list[Fact]] = []
    for (day, direction, code), facts in groups.items():
        low, high = int(np.searchsorted(acts["day"], day, side="left")), int(np.searchsorted(acts["day"], day, side="right"))
        match = [index for index in range(low, high) if acts["direction"][index] == direction and acts["cluster"][index] == code]
        if match:
            joined[match[0]] = facts
        else:
            started.append(facts)
    earlier_positions = sorted({p for index in joined for p in checkpoint.members[offsets[index] : offsets[index + 1]].tolist()})
    if special.intersection(earlier_positions):
        return None
    earlier = {fact.position: fact for fact in facts_at(earlier_positions)}
    remade: dict[int, Act] = {}
    for index, facts in joined.items():
        old = [earlier.get(p) for p in checkpoint.members[offsets[index] : offsets[index + 1]].tolist()]
        if any(fact is None for fact in old):
            return None
        remade[index] = act_of([*old, *facts])  # type: ignore[list-item]
    fresh = sorted((act_of(facts) for facts in started), key=lambda act: (act.day, act.facts[0].position))
    if any(len({fact.quad_class for fact in act.facts}) != 1 for act in (*remade.values(), *fresh)):
        return None

    # The new act order: every earlier act keeps its place; a fresh act goes after the earlier acts of its day.
    rows = acts.copy()
    for index, act in remade.items():
        rows[index]["base"], rows[index]["weight"], rows[index]["size"] = act.base, act.weight, len(act.facts)
    places = np.searchsorted(acts["day"], np.array([act.day.toordinal() for act in fresh], dtype=np.int64), side="right")
    fresh_rows = np.array([_act_row(act, first) for act in fresh], dtype=ACT_DTYPE)
    combined = np.insert(rows, places, fresh_rows) if len(fresh) else rows
    new_index_of_old = np.arange(len(acts)) + np.searchsorted(places, np.arange(len(acts)), side="right")
    new_index_of_fresh = places + np.arange(len(fresh))

    # Members: each act's facts in cluster order (the earlier ones, then the later ones in log order).
    owner = [np.repeat(new_index_of_old, acts["size"])]
    positions = [checkpoint.members]
    for index, facts in joined.items():
        owner.append(np.full(len(facts), new_index_of_old[index]))
        positions.append(np.array([fact.position for fact in facts], dtype=np.int64))
    for number, act in enumerate(fresh):
        owner.append(np.full(len(act.facts), new_index_of_fresh[number]))
        positions.append(np.array([fact.position for fact in act.facts], dtype=np.int64))
    order = np.argsort(np.concatenate(owner), kind="stable")
    members = np.concatenate(positions)[order]

    # Spells: the conditions stay; the armed-act caps of the acts that changed or started are found again.
    changed = {act.facts[0].record_id for act in remade.values()}
    spells = [spell for spell in checkpoint.spells if not (spell.name == ARMED_ACT and spell.record_id in changed)]
    leaders = {record_id: int(new_index_of_old[index]) for record_id, index in checkpoint.leaders.items() if record_id not in changed}
    for index, act in [*((int(new_index_of_old[i]), a) for i, a in remade.items()), *((int(new_index_of_fresh[n]), a) for n, a in enumerate(fresh))]:
        spell = armed_spell(act)
        if spell is not None:
            spells.append(spell)
            leaders[spell.record_id] = index
    spells.sort(key=SPELL_ORDER)
    return Checkpoint(
        checkpoint.pair, later[-1].position, max(checkpoint.known_us, *(to_micros(fact.known_since) for fact in later)),
        max(checkpoint.recorded_us, *(to_micros(fact.recorded_at) for fact in later)), checkpoint.attested, combined, members,
        checkpoint.special, spells, leaders,
    )  # fmt: skip


def _act_row(act: Act, first: str) -> tuple[Any, ...]:
    return (
        act.day.toordinal(), 0 if act.actor == first else 1, act.base, act.weight, act.facts[0].position, len(act.facts),
        act.facts[0].quad_class, cluster_code(act.facts[0].code) if act.machine else -1,
    )  # fmt: skip


def segments(checkpoint: Checkpoint) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The score board's terms of the pair (`scores.PairTerms.segments`): per direction, in the order the
    directions first act, the days, base weights and Goldstein weights of its acts."""
    acts = checkpoint.acts
    if not len(acts):
        return []
    leading = int(acts["direction"][0])
    found = []
    for direction in (leading, 1 - leading):
        chosen = acts[acts["direction"] == direction]
        if len(chosen):
            found.append((chosen["day"].copy(), chosen["base"].copy(), chosen["weight"].copy()))
    return found
