"""Standing conditions as spells: opened by one curated record, held until its closer counts, no decay.

`spells_of` finds every spell among a pair's resolved facts (it depends on the cut-offs, never on the
date D): the conditions (an open war, a sanction in force, an alliance...) and the short caps of recent
armed acts. `weigh` says what the spells open on D count for, with the family rules of
`scoring.FAMILIES` (a family counts once, by its gravest member; detentions add up to a cap), and
`baseline_and_cap` turns that into a baseline B and the strictest cap, for the pair or one direction.
The score board calls the same functions on the same spells, so the baseline is the same float.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from detente.domain.events import (
    ALLIANCE_OBLIGATIONS, EVENT_TYPES, SANCTION_SCOPES, AllianceFormed, ArmedConflictBegan, ArmedConflictEnded, CitizenDetained,
    PeaceConcluded, RelationsDowngraded, RelationsSevered, SanctionImposed, TerritoryOccupied,
)
from detente.domain.sources import ATTESTED_STATUSES

from . import scoring
from .acts import Act, claim_status
from .facts import Fact

ARMED_ACT = "armed-act"
"""The name of an armed act's short cap (a spell that weighs nothing and is not a condition)."""
ATTESTED = ATTESTED_STATUSES


@dataclass(frozen=True)
class Spell:
    name: str
    record_id: str
    start: date
    end: date | None
    """The day its closer counts from (the spell is open before it), or None while nothing closes it."""
    actor: str
    target: str
    status: str
    weight: float
    """The condition's weight × its claim factor, before the family rules."""
    cap: float | None
    """The highest score it allows while open (only attested conditions cap), or None."""

    def is_open(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def counts_for(self, direction: tuple[str, str] | None) -> bool:
        """Whether it weighs on the pair's score (None) or on this direction's."""
        return direction is None or self.name in scoring.UNDIRECTED or (self.actor, self.target) == direction


def condition_names(fact: Fact) -> tuple[str, ...]:
    """The conditions a record opens (an armed conflict that is a war opens `armed-conflict` and `at-war`)."""
    kind = fact.type
    details = fact.details
    if kind == SanctionImposed.TYPE:
        scope = details.get("scope")
        return (f"sanctions-{scope if scope in SANCTION_SCOPES else 'targeted'}",)
    if kind == CitizenDetained.TYPE:
        return ("detention",)
    if kind == ArmedConflictBegan.TYPE:
        return ("armed-conflict", "at-war") if details.get("intensity") == "war" else ("armed-conflict",)
    if kind == ArmedConflictEnded.TYPE:
        return ("ceasefire",) if EVENT_TYPES[kind].opens_for(details) else ()
    if kind == PeaceConcluded.TYPE:
        return (PeaceConcluded.OPENS,)
    if kind in (RelationsSevered.TYPE, RelationsDowngraded.TYPE, TerritoryOccupied.TYPE):
        return (kind,)
    if kind == AllianceFormed.TYPE:
        obligations = details.get("obligations") or ()
        return ("alliance",) if any(o in ALLIANCE_OBLIGATIONS for o in obligations) else ("pact",)
    return ()


OPENERS = frozenset(
    (SanctionImposed.TYPE, CitizenDetained.TYPE, ArmedConflictBegan.TYPE, ArmedConflictEnded.TYPE, PeaceConcluded.TYPE,
     RelationsSevered.TYPE, RelationsDowngraded.TYPE, TerritoryOccupied.TYPE, AllianceFormed.TYPE)
)  # fmt: skip


CLOSER_TYPES = frozenset(name for name, event_class in EVENT_TYPES.items() if event_class.CLOSES)
"""The types whose records close something (a standing condition, a visit...)."""


def condition_weight(name: str, fact: Fact) -> float:
    if name == TerritoryOccupied.OPENS and fact.details.get("annexed") is True:
        return scoring.ANNEXED_WEIGHT
    return scoring.CONDITION_WEIGHTS[name]


def spells_of(resolved: Sequence[Fact], acts: Sequence[Act]) -> list[Spell]:
    """Every condition and armed-act cap among the resolved facts, by start day, then name and id."""
    closers: dict[str, list[Fact]] = {}
    openers = []
    for fact in resolved:  # one pass: most facts neither open nor close anything
        kind = fact.type
        if kind in OPENERS:
            openers.append(fact)
        if kind in CLOSER_TYPES and fact.refers_to is not None:
            closers.setdefault(fact.refers_to, []).append(fact)
    found = []
    for fact in openers:
        names = condition_names(fact)
        if not names:
            continue
        kind = EVENT_TYPES[fact.type].opens_for(fact.details)
        ends = [closer.counts_from() for closer in closers.get(fact.record_id, ()) if kind in EVENT_TYPES[closer.type].CLOSES]
        status = claim_status(fact)
        factor = scoring.CLAIM_FACTORS.get(status, 1.0)
        for name in names:
            cap = scoring.CAPS.get(name) if status in ATTESTED else None
            weight = condition_weight(name, fact) * factor
            found.append(Spell(name, fact.record_id, fact.counts_from(), min(ends, default=None), fact.actor, fact.target, status, weight, cap))
    roots = scoring.ARMED_ACT_ROOTS
    for act in acts:
        if act.facts[0].code[:2] in roots:
            spell = armed_spell(act)
            if spell is not None:
                found.append(spell)
    found.sort(key=SPELL_ORDER)
    return found


def SPELL_ORDER(spell: Spell) -> tuple[date, str, str]:  # noqa: N802 (a sort key, named as the constant it is)
    return (spell.start, spell.name, spell.record_id)


def armed_spell(act: Act) -> Spell | None:
    """The short cap an armed act puts on the level (non-alleged, curated or corroborated), or None."""
    if act.facts[0].code[:2] in scoring.ARMED_ACT_ROOTS and act.status in ATTESTED and (not act.machine or act.sources >= scoring.ARMED_ACT_SOURCES):
        window = timedelta(days=scoring.ARMED_ACT_WINDOW_DAYS)
        return Spell(ARMED_ACT, act.facts[0].record_id, act.day, act.day + window, act.actor, act.target, act.status, 0.0, scoring.STRAINED_CAP)
    return None


def weigh(spells: Sequence[Spell]) -> list[float]:
    """What each of these open spells counts for: within a family (per pair for the conditions of the whole
    relationship, per acting direction for the others) only the gravest counts, detentions add up to a cap,
    and an open severance replaces any downgrade."""
    counted = [0.0] * len(spells)
    groups: dict[tuple[str, str | None], list[int]] = {}
    for index, spell in enumerate(spells):
        if spell.name == ARMED_ACT:
            continue
        scope = None if spell.name in scoring.UNDIRECTED else spell.actor
        groups.setdefault((scoring.FAMILIES[spell.name], scope), []).append(index)
    for (family, _), members in groups.items():
        if family == "detention":
            total = 0.0
            for index in members:
                counted[index] = max(spells[index].weight, scoring.DETENTION_CAP - total) if total > scoring.DETENTION_CAP else 0.0
                total += counted[index]
        else:
            gravest = max(members, key=lambda index: (abs(spells[index].weight), -index))
            counted[gravest] = spells[gravest].weight
    if any(counted[i] for i, spell in enumerate(spells) if spell.name == "relations-severed"):
        for index, spell in enumerate(spells):
            if spell.name == "relations-downgraded":
                counted[index] = 0.0
    _occupation_beyond_the_conflict(spells, counted)
    _cold_peace(spells, counted)
    return counted


def _occupation_beyond_the_conflict(spells: Sequence[Spell], counted: list[float]) -> None:
    """An occupation under an open war, armed conflict or ceasefire of the pair is that conflict's stake, not a
    second dispute (`scoring.OCCUPATION_UNDER_CONFLICT`): it adds only what it weighs beyond the conflict."""
    if not scoring.OCCUPATION_UNDER_CONFLICT:
        return
    conflict = sum(counted[i] for i, spell in enumerate(spells) if scoring.FAMILIES.get(spell.name) == "conflict")
    if conflict >= 0.0:
        return
    for index, spell in enumerate(spells):
        if spell.name == "territory-occupied" and counted[index] < 0.0:
            counted[index] = min(counted[index] - conflict, 0.0)


def _cold_peace(spells: Sequence[Spell], counted: list[float]) -> None:
    """While relations are downgraded or severed (reported or confirmed: a claimed recall suspends nothing), a
    peace treaty's warmth is suspended (`scoring.COLD_PEACE`): the peace holds as the absence of war, and counts 0."""
    if scoring.COLD_PEACE and any(
        counted[i] < 0.0 and spell.status in ATTESTED for i, spell in enumerate(spells) if scoring.FAMILIES.get(spell.name) == "representation"
    ):
        for index, spell in enumerate(spells):
            if spell.name == "peace-treaty" and counted[index] > 0.0:
                counted[index] = 0.0


def baseline_and_cap(spells: Sequence[Spell], counted: Sequence[float], direction: tuple[str, str] | None) -> tuple[float, float, Spell | None]:
    """(unclipped sum, clipped baseline B, the spell of the strictest cap or None) of open spells that count
    for the pair (direction None) or for one direction; sums in the spells' order."""
    total = 0.0
    strictest: Spell | None = None
    for spell, weight in zip(spells, counted):
        if not spell.counts_for(direction):
            continue
        total += weight
        if spell.cap is not None and (strictest is None or (spell.cap, -abs(spell.weight)) < (strictest.cap, -abs(strictest.weight))):
            strictest = spell  # the lowest cap; among equal caps the gravest condition names it
    return total, scoring.clip(total, scoring.BASELINE_LIMIT), strictest


def open_on(spells: Sequence[Spell], day: date) -> list[Spell]:
    return [spell for spell in spells if spell.is_open(day)]
