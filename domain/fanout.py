"""A record and the pair events it stands for: one per pair of its actors and targets, or one per part of
the record it refers to. Pure: the caller says where the referenced record lives; nothing here reads a store.

A record of one part keeps its id. A record of several parts fans out: each part is `<id>/<ACTOR>-<TARGET>`,
and they are saved together or not at all (the caller's one transaction). A record that names no actor and
target takes them from the record it refers to, so a retraction of a multi-party accusation reaches every
part of it; a denial that names only its denier is turned to face the other party of each part.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from .actors import Actor
from .errors import InvalidEvent, SelfPair, UnknownReference
from .relationship import pair_key


class Place(Protocol):
    """Where a recorded part lives (the record index's `Located`)."""

    @property
    def pair(self) -> str: ...
    @property
    def record_id(self) -> str: ...
    @property
    def actor(self) -> str: ...
    @property
    def target(self) -> str: ...


@dataclass(frozen=True)
class Part:
    """One pair event of a record: its pair, direction, id, and the part it refers to in that pair."""

    pair: str
    actor: Actor
    target: Actor
    record_id: str
    refers_to: str | None


def fan_out(
    record_id: str,
    actors: Sequence[Actor],
    targets: Sequence[Actor],
    refers_to: str | None = None,
    referenced: Sequence[Place] = (),
) -> list[Part]:
    """The parts of a record; `referenced` are the parts of the record it refers to (none if it refers to
    nothing). UnknownReference when it refers to something unrecorded, or to a record not in every pair it
    names; InvalidEvent when a denier is not a party to what it denies; SelfPair when no two actors differ."""
    if refers_to and not referenced:
        raise UnknownReference(record_id, refers_to)
    if actors and targets:
        directions = list(dict.fromkeys((a, t) for a in actors for t in targets if a != t))
        if not directions:
            raise SelfPair(actors[0].code)
        by_pair = {place.pair: place.record_id for place in referenced}
        drafts = []
        for actor, target in directions:
            key = pair_key(actor, target)
            if refers_to and key not in by_pair:
                raise UnknownReference(record_id, refers_to, key)
            drafts.append((key, actor, target, by_pair.get(key)))
    else:
        drafts = [_facing(record_id, actors[0] if actors else None, place) for place in referenced]
    if len(drafts) == 1:
        key, actor, target, refers = drafts[0]
        return [Part(key, actor, target, record_id, refers)]
    return [Part(key, actor, target, f"{record_id}/{actor.code}-{target.code}", refers) for key, actor, target, refers in drafts]


def _facing(record_id: str, denier: Actor | None, place: Place) -> tuple[str, Actor, Actor, str]:
    actor, target = Actor(place.actor), Actor(place.target)
    if denier is not None:
        if denier not in (actor, target):
            raise InvalidEvent(
                f"{record_id!r}: {denier} is not a party to {place.record_id!r} ({place.pair}); name the target as well."
            )
        actor, target = denier, (target if denier == actor else actor)
    return place.pair, actor, target, place.record_id
