"""The state's lists (sanctions, detentions, visits, transfers, agreements, aid, claims, conditions), read
off the counted facts. Presentation of what the fold found; nothing here weighs anything."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from detente.domain.events import AgreementSigned, AllianceFormed, PeaceConcluded, TerritoryOccupied

from .acts import claim_status
from .conditions import ARMED_ACT, Spell
from .facts import Fact
from .state import Agreement, Aid, Claim, Condition, Detention, PendingVisit, Sanction, Transfer, Visit

AGREEMENT_TYPES = (AgreementSigned.TYPE, AllianceFormed.TYPE, PeaceConcluded.TYPE)


def source_of(fact: Fact) -> str | None:
    if not fact.sources:
        return None
    source = fact.sources[0]
    return source.get("title") or source.get("url") or source.get("publisher")


def open_items(openers: Sequence[Fact], closers: Sequence[Fact], view: Callable[[Fact], Any]) -> tuple[Any, ...]:
    """The openers (counted, in counting order) that none of the counted closers closes."""
    closed = {fact.refers_to for fact in closers}
    return tuple(view(fact) for fact in openers if fact.record_id not in closed)


def sanction(fact: Fact) -> Sanction:
    details = fact.details
    return Sanction(
        fact.record_id, fact.actor, fact.target, str(fact.occurred_on), details.get("scope", ""), claim_status(fact),
        source_of(fact), details.get("measures", ""),
    )


def detention(fact: Fact) -> Detention:
    return Detention(
        fact.record_id, fact.actor, fact.target, str(fact.occurred_on), fact.details.get("person", ""),
        fact.details.get("charge", ""), claim_status(fact), source_of(fact),
    )


def pending_visits(announced: Sequence[Fact], closers: Sequence[Fact], as_of: date) -> tuple[PendingVisit, ...]:
    """The counted announcements no counted visit held or cancelled closes."""
    closed = {fact.refers_to for fact in closers}
    pending = []
    for fact in announced:
        if fact.record_id in closed:
            continue
        planned = fact.details.get("planned")
        overdue = planned is not None and planned < as_of.isoformat()[: len(planned)]
        pending.append(PendingVisit(fact.record_id, fact.actor, fact.target, str(fact.occurred_on), planned, overdue, source_of(fact)))
    return tuple(pending)


def last_visit(visits: Sequence[Fact]) -> Visit | None:
    """The last of the counted visits held."""
    if not visits:
        return None
    fact = visits[-1]
    return Visit(fact.record_id, fact.actor, fact.target, str(fact.occurred_on), fact.details.get("place", ""), source_of(fact))


def transfer(fact: Fact) -> Transfer:
    return Transfer(
        fact.record_id, fact.type, fact.actor, fact.target, str(fact.occurred_on), fact.details.get("items", ""),
        claim_status(fact), fact.claimed_by, fact.denied_by,
    )


def agreement(fact: Fact) -> Agreement:
    return Agreement(fact.record_id, fact.details.get("title", ""), str(fact.occurred_on), (fact.actor, fact.target))


def aid(fact: Fact) -> Aid:
    return Aid(fact.record_id, fact.actor, fact.target, fact.details.get("kind", ""), str(fact.occurred_on), claim_status(fact), fact.claimed_by)


def claim(fact: Fact) -> Claim:
    return Claim(
        fact.record_id, fact.type, fact.actor, fact.target, str(fact.occurred_on), claim_status(fact),
        fact.claimed_by, fact.denied_by, fact.summary,
    )


DETAIL_FIELDS = ("territory", "title", "measure", "measures", "person", "how", "intensity")


def condition(spell: Spell, weight: float, fact: Fact) -> Condition:
    details = fact.details
    parts = [str(details[name]) for name in DETAIL_FIELDS if details.get(name)]
    if spell.name == TerritoryOccupied.OPENS and details.get("annexed") is True:
        parts.append("annexed")
    if details.get("obligations"):
        parts.append(", ".join(details["obligations"]))
    return Condition(
        spell.name, spell.record_id, str(fact.occurred_on), spell.actor, spell.target, spell.status, round(weight, 6),
        source_of(fact), "; ".join(parts),
    )


def conditions(spells: Sequence[Spell], counted: Sequence[float], by_id: dict[str, Fact]) -> tuple[Condition, ...]:
    return tuple(condition(spell, weight, by_id[spell.record_id]) for spell, weight in zip(spells, counted) if spell.name != ARMED_ACT)
