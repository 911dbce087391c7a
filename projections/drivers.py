"""What moves a score: the conditions and acts whose terms are largest on the date, and the rest in one sum.

A condition contributes its counted weight, an act its share of the flow, M·w·g / (k + Σw), and what
clipping and caps took off is an `adjustment`; the drivers shown plus `other_drivers` add up to the score.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence

from . import kernel, scoring
from .acts import Act
from .conditions import Spell
from .facts import Fact
from .state import Driver


def drivers_of(
    acts: Sequence[Act], weights: Sequence[float], pair_sums: kernel.Sums, spells: Sequence[Spell], counted: Sequence[float],
    baseline_total: float, score: float, by_id: dict[str, Fact], count: int = scoring.DRIVER_COUNT,
) -> tuple[tuple[Driver, ...], dict[str, float]]:
    """What moves the score, largest first, and the rest in one sum: conditions (their weight), acts (their
    share M·wg/(k + Σw) of the flow) and what clipping and caps took off, adding up to the score."""
    denominator = scoring.PRIOR_WEIGHT + pair_sums[0]
    shares = [scoring.FLOW_SCALE * (w * act.weight) / denominator for act, w in zip(acts, weights)]
    flow_total = sequential_sum(shares)
    nonzero = [index for index, share in enumerate(shares) if share != 0.0]
    chosen = nonzero
    if len(nonzero) > count > 0:
        # Only the acts whose share ties or beats the count-th largest can be shown (ties kept: the
        # ranking below breaks them by position).
        threshold = heapq.nlargest(count, [abs(shares[index]) for index in nonzero])[-1]
        chosen = [index for index in nonzero if abs(shares[index]) >= threshold]
    candidates = [(shares[index], acts[index].facts[0].position, index) for index in chosen]
    return ranked_drivers(candidates, len(nonzero), flow_total, acts.__getitem__, spells, counted, baseline_total, score, by_id, count)


def ranked_drivers(
    act_candidates: Sequence[tuple[float, int, int]], act_count: int, flow_total: float, act_at: Callable[[int], Act],
    spells: Sequence[Spell], counted: Sequence[float], baseline_total: float, score: float, by_id: dict[str, Fact], count: int,
) -> tuple[tuple[Driver, ...], dict[str, float]]:
    """The drivers from the acts' shares: `act_candidates` (share, first position, act index) holds every act
    of nonzero share that could be among the `count` largest (all `act_count` of them, or a subset that keeps
    every act whose share ties or beats the count-th largest), `flow_total` the sum of every share in act
    order, and `act_at` gives the act of an index. The rest is the sum of every candidate, in the order acts,
    conditions, adjustment (the acts' part is `flow_total`), less the drivers shown."""
    candidates = list(act_candidates)
    conditions = []
    for index, (spell, weight) in enumerate(zip(spells, counted)):
        if weight != 0.0:
            conditions.append((weight, by_id[spell.record_id].position, -1 - index))
    adjustment = score - (baseline_total + flow_total)
    extra = [(adjustment, 1 << 62, ADJUSTMENT)] if abs(adjustment) > 1e-9 else []
    everything = [*candidates, *conditions, *extra]
    shown = heapq.nsmallest(count, everything, key=lambda item: (-abs(item[0]), -item[1]))
    total = flow_total
    for value, _, _ in conditions + extra:
        total += value
    rest = total - sequential_sum(value for value, _, _ in shown)
    drivers = []
    for value, _, index in shown:
        if index == ADJUSTMENT:
            drivers.append(Driver("", "adjustment", "", "", "", "", 0.0, "", round(value, 6),
                                  "clipped to -10..+10 and capped by the conditions in force", (), "adjustment", 0, 0))  # fmt: skip
        elif index >= 0:
            drivers.append(_act_driver(act_at(index), value))
        else:
            spell = spells[-1 - index]
            drivers.append(_condition_driver(spell, value, by_id[spell.record_id]))
    return tuple(drivers), {"count": act_count + len(conditions) + len(extra) - len(shown), "contribution": round(rest, 6)}


ADJUSTMENT = 1 << 62
"""The index that names the adjustment among the candidates (acts have indexes >= 0, conditions < 0)."""


def sequential_sum(values: Iterable[float]) -> float:
    """Floats added one by one from 0.0, in order (Python 3.12's `sum` compensates, numpy's cumsum does not:
    the fold and the checkpoints must add the same way)."""
    total = 0.0
    for value in values:
        total += value
    return total


def _act_driver(act: Act, share: float) -> Driver:
    fact = act.first
    sources = fact.sources if len(act.facts) == 1 else _cluster_sources(act)
    return Driver(
        fact.record_id, fact.type, fact.actor, fact.target, str(fact.occurred_on), fact.code, act.weight, act.status,
        round(share, 6), fact.summary, sources, "act", len(act.facts), act.sources,
    )


def _cluster_sources(act: Act, limit: int = 5) -> tuple[dict[str, str], ...]:
    seen: dict[str, dict[str, str]] = {}
    for fact in act.facts:
        for source in fact.sources[:1]:
            key = source.get("url") or source.get("publisher") or ""
            if key not in seen and len(seen) < limit:
                seen[key] = source
    return tuple(seen.values())


def _condition_driver(spell: Spell, weight: float, fact: Fact) -> Driver:
    return Driver(
        fact.record_id, spell.name, fact.actor, fact.target, str(fact.occurred_on), fact.code, spell.weight, spell.status,
        round(weight, 6), fact.summary, fact.sources, "condition", 1, len(fact.sources),
    )
