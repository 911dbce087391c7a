"""Acts: the one-off events of the flow, with machine-coded duplicates folded into one act.

GDELT and ICEWS report one real act many times (one story, many publishers; one publisher, many
sentences). Imported rows of one day, one direction and one CAMEO base code (its first three digits) are
one act, whose evidence grows with its distinct sources (`scoring.machine_evidence`) and whose Goldstein
weight is the mean over the distinct codes seen in it. A curated record is one act of its own;
a record that closes a standing condition is no act at all (`scoring.CLOSERS_LEFT_OUT_OF_THE_FLOW`): the
condition's end is its whole effect.

An act's `base` is what multiplies its decay: claim factor × evidence. Acts come in counting order (the
order of their first fact in `fold.resolved_facts`), which is the order every sum over them is formed in.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from detente.domain.events import CameoEventCoded
from detente.domain.sources import Status

from . import scoring
from .facts import Fact

MACHINE_PREFIXES = tuple(f"{dataset}:" for dataset in scoring.MACHINE_DATASETS)


ALLEGED, REPORTED, DENIED = Status.ALLEGED.value, Status.REPORTED.value, Status.DENIED.value
MACHINE_CODED = CameoEventCoded.TYPE
"""The type of a dataset's machine-coded row (GDELT, ICEWS)."""


def claim_status(fact: Fact) -> str:
    if fact.denied_by and fact.status in (ALLEGED, REPORTED):
        return DENIED if fact.status == ALLEGED else fact.status
    return fact.status


class Act(NamedTuple):
    """(A named tuple rather than a frozen dataclass: the fold makes one per act, and a tuple is made faster.)"""

    day: date
    actor: str
    target: str
    weight: float
    """Goldstein weight g (for a machine-coded cluster, the mean over its distinct codes)."""
    base: float
    """Claim factor × evidence: the act's weight w before decay."""
    facts: tuple[Fact, ...]
    sources: int
    """Independent sources: distinct source URLs or publishers of a machine-coded cluster; 1 for a curated record."""
    machine: bool
    status: str

    @property
    def first(self) -> Fact:
        return self.facts[0]


def is_machine_coded(fact: Fact) -> bool:
    return fact.type == MACHINE_CODED and fact.record_id.startswith(MACHINE_PREFIXES)


def acts_of(resolved: Sequence[Fact]) -> list[Act]:
    """The acts among facts in counting order (annotations are already gone from `resolved`)."""
    slots: list[Fact | list[Fact]] = []
    clusters: dict[tuple[date, str, str, str], list[Fact]] = {}
    left_out = scoring.CLOSERS_LEFT_OUT_OF_THE_FLOW
    prefixes = MACHINE_PREFIXES
    for fact in resolved:
        kind = fact.type
        if kind == MACHINE_CODED and fact.record_id.startswith(prefixes):  # is_machine_coded, inlined
            key = (fact.counts_from(), fact.actor, fact.target, fact.code[:3])
            cluster = clusters.get(key)
            if cluster is None:
                clusters[key] = cluster = []
                slots.append(cluster)
            cluster.append(fact)
        elif kind not in left_out:
            slots.append(fact)
    return [(_single(slot[0]) if len(slot) == 1 else _cluster(slot)) if type(slot) is list else _curated(slot) for slot in slots]


def act_of(facts: Sequence[Fact]) -> Act:
    """The act these resolved facts make (one curated record, or one machine-coded cluster in counting order)."""
    return _cluster(list(facts)) if is_machine_coded(facts[0]) else _curated(facts[0])


def _curated(fact: Fact) -> Act:
    status = claim_status(fact)
    base = scoring.CURATED_EVIDENCE * scoring.CLAIM_FACTORS.get(status, 1.0)
    return Act(fact.counts_from(), fact.actor, fact.target, fact.weight, base, (fact,), 1, False, status)


def _single(first: Fact) -> Act:
    """A machine-coded row alone in its cluster (most are)."""
    status = claim_status(first)
    base = scoring.MACHINE_EVIDENCE * scoring.CLAIM_FACTORS.get(status, 1.0)
    return Act(first.counts_from(), first.actor, first.target, first.weight, base, (first,), 1, True, status)


def _cluster(facts: list[Fact]) -> Act:
    first = facts[0]
    if len(facts) == 1:
        return _single(first)
    statuses = sorted({claim_status(fact) for fact in facts}, key=lambda s: -scoring.CLAIM_FACTORS.get(s, 1.0))
    factor = scoring.CLAIM_FACTORS.get(statuses[0], 1.0)
    sources = len({source_key(fact) for fact in facts})
    codes = sorted({(fact.code, fact.weight) for fact in facts})
    total = 0.0
    for _, weight in codes:
        total += weight
    base = scoring.machine_evidence(sources) * factor
    return Act(first.counts_from(), first.actor, first.target, total / len(codes), base, tuple(facts), sources, True, statuses[0])


def source_key(fact: Fact) -> str:
    """What makes a machine-coded row's source independent of another's: GDELT's SOURCEURL, ICEWS's publisher."""
    if fact.sources:
        source = fact.sources[0]
        key = source.get("url") or source.get("publisher") or source.get("title")
        if key:
            return key
    provenance = fact.details.get("provenance") or {}
    return str(provenance.get("story_id") or fact.record_id)
