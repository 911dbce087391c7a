"""The stored events the view had to leave out: a small table beside the facts, written with them.

Catch-up and rebuild write a row here for each notification that cannot be read (readable.py), in the
transaction that writes the facts of its batch, so the table is always the view's own account of what it
left out; a rebuild empties it with the facts. Every command counts the rows no retraction covers (one
warning line), and `detente doctor` lists them.

An unreadable event is retracted like any other, by an `event-retracted` of its pair whose `refers_to` is
its `reference`: its record id when that can be recovered (and fits the view's column), otherwise
`unreadable@<log position>`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from eventsourcing.persistence import Cipher
from sqlalchemy import BigInteger, Column, MetaData, String, Table, Text, and_, exists, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from detente.domain.actors import Actor
from detente.domain.events import EventRetracted, PairEvent
from detente.domain.relationship import Relationship, pair_key

from .readable import Reader, Unreadable
from .rows import facts_table, seal, unseal

REFERENCE_WIDTH = 200
"""As wide as the view's `refers_to`: a longer record id (or one with a NUL) is referred to by position."""

unreadable_metadata = MetaData()
unreadable_table = Table(
    "detente_unreadable",
    unreadable_metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("pair", String(16)),
    Column("originator_id", String(36), nullable=False),
    Column("originator_version", BigInteger, nullable=False),
    Column("topic", Text, nullable=False),
    Column("type", Text, nullable=False),
    Column("record_id", Text),
    Column("reference", Text, nullable=False),
    Column("reason", Text, nullable=False),
)


class Entry(NamedTuple):
    """An unreadable event as the doctor lists it."""

    position: int
    pair: str | None
    record_id: str | None
    type: str
    reason: str
    reference: str
    originator_id: str
    originator_version: int
    retracted_by: str | None

    def to_dict(self) -> dict[str, Any]:
        return {**self._asdict(), "retracted": self.retracted_by is not None}


def reference_for(record_id: str | None, position: int) -> str:
    if record_id and len(record_id) <= REFERENCE_WIDTH and "\x00" not in record_id:
        return record_id
    return f"unreadable@{position}"


def rows(left_out: Iterable[Unreadable], reader: Reader, recorder: Any, cipher: Cipher | None) -> list[dict[str, Any]]:
    """The rows of these unreadable events, each with its pair (read from the log: they are rare)."""
    return [
        {
            "position": item.position, "pair": pair_of(item.originator_id, reader, recorder),
            "originator_id": item.originator_id, "originator_version": item.originator_version,
            "topic": item.topic, "type": item.type, "record_id": _text(item.record_id),
            "reference": reference_for(item.record_id, item.position), "reason": seal(_text(item.reason), cipher),
        }
        for item in left_out
    ]  # fmt: skip


def insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert rows made by `rows`, in the caller's transaction. A row left at the same position by a view
    emptied without this table (an older detente's rebuild) is replaced: the facts' and the tracked
    position's keys still refuse a batch written twice."""
    if rows:
        positions = [row["position"] for row in rows]
        session.execute(unreadable_table.delete().where(unreadable_table.c.position.in_(positions)))
        session.execute(unreadable_table.insert(), rows)


def _text(value: str | None) -> str | None:
    """PostgreSQL refuses a NUL in text: an id holding one is kept with the NUL shown, not refused."""
    return value.replace("\x00", "\\x00") if value else value


def pair_of(originator_id: str, reader: Reader, recorder: Any) -> str | None:
    """The pair an aggregate stands for: from its creation event, else from any readable event of it."""
    from uuid import UUID

    try:
        stored_events = recorder.select_events(UUID(originator_id), limit=50)
    except ValueError:
        return None
    for event in reader.events(stored_events):
        if isinstance(event, Relationship.Created):
            return pair_key(event.first, event.second)
        if isinstance(event, PairEvent):
            return pair_key(event.actor, event.target)
    return None


def clear(session: Session) -> None:
    session.execute(unreadable_table.delete())


def _retraction() -> Any:
    return and_(
        facts_table.c.pair == unreadable_table.c.pair,
        facts_table.c.type == EventRetracted.TYPE,
        facts_table.c.refers_to == unreadable_table.c.reference,
    )


def count_left_out(connection: Connection) -> int:
    """How many unreadable events no retraction covers."""
    query = select(func.count()).select_from(unreadable_table).where(~exists().where(_retraction()))
    return connection.execute(query).scalar_one()


def entries(connection: Connection, cipher: Cipher | None) -> list[Entry]:
    """Every unreadable event in log order, with the retraction that covers it, if any."""
    retracted_by = select(func.min(facts_table.c.record_id)).where(_retraction()).scalar_subquery()
    t = unreadable_table.c
    query = select(
        t.position, t.pair, t.record_id, t.type, t.reason, t.reference, t.originator_id, t.originator_version, retracted_by
    ).order_by(t.position)
    return [
        Entry(row[0], row[1], row[2], row[3], unseal(row[4], cipher), row[5], row[6], row[7], row[8])
        for row in connection.execute(query)
    ]


def pairs_with_unreadable(connection: Connection, pairs: list[str]) -> set[str]:
    """Those of these pairs that hold an unreadable event (their aggregate exists, though it has no fact),
    known by its pair or, when no event of it could name the pair, by its aggregate's id."""
    ids = {_aggregate_id(pair): pair for pair in pairs}
    t = unreadable_table.c
    query = select(t.pair, t.originator_id).where(t.pair.in_(pairs) | t.originator_id.in_(list(ids))).distinct()
    return {pair or ids[originator_id] for pair, originator_id in connection.execute(query)}


def _aggregate_id(pair: str) -> str:
    first, second = pair.split("-")
    return str(Relationship.create_id(Actor(first), Actor(second)))
