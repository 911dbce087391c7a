"""The stored view: one row per fact, in SQL tables beside the event store, kept up to date exactly once.

Catch-up reads the application's notification log from the position the view has tracked, converts each
event into its fact, and writes the rows and the new position in one transaction (the library's tracking
recorder). SQLite has no subscriptions, so catch-up is how the view follows the log on every backend.
Queries read a pair's rows (not a replay of the log) and fold them with the same pure fold.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, NamedTuple

from eventsourcing.persistence import Cipher, IntegrityError, Tracking
from sqlalchemy import BigInteger, Column, Float, Integer, MetaData, String, Table, Text, delete, func, insert, or_, select

from detente.domain.dates import PartialDate
from detente.domain.errors import DetenteError
from detente.domain.events import PairEvent

from .facts import Fact, fact_from_event

if TYPE_CHECKING:
    from detente.store import Ledger

VIEW_NAME = "detente_facts_view"
SEALED = "sealed:"


class ViewSealed(DetenteError):
    pass


class Located(NamedTuple):
    pair: str
    record_id: str
    actor: str
    target: str

CATCH_UP_BATCH = 2000
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

metadata = MetaData()
facts_table = Table(
    "detente_facts",
    metadata,
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("pair", String(16), nullable=False, index=True),
    Column("record_id", String(200), nullable=False, index=True),
    Column("incident_id", String(200), index=True),
    Column("type", String(32), nullable=False),
    Column("actor", String(8), nullable=False),
    Column("target", String(8), nullable=False),
    Column("occurred_on", String(10), nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_by", String(200), nullable=False),
    Column("refers_to", String(200)),
    Column("code", String(8), nullable=False),
    Column("weight", Float, nullable=False),
    Column("quad_class", Integer, nullable=False),
    Column("known_us", BigInteger, nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Column("body", Text, nullable=False),
)


def to_micros(moment: datetime) -> int:
    delta = moment.astimezone(timezone.utc) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(micros: int) -> datetime:
    from datetime import timedelta

    return EPOCH + timedelta(microseconds=micros)


def fact_to_row(fact: Fact, cipher: Cipher | None = None) -> dict[str, Any]:
    return {
        "position": fact.position,
        "pair": fact.pair,
        "record_id": fact.record_id,
        "incident_id": fact.incident_id,
        "type": fact.type,
        "actor": fact.actor,
        "target": fact.target,
        "occurred_on": str(fact.occurred_on),
        "status": fact.status,
        "claimed_by": ";".join(fact.claimed_by),
        "refers_to": fact.refers_to,
        "code": fact.code,
        "weight": fact.weight,
        "quad_class": fact.quad_class,
        "known_us": to_micros(fact.known_since),
        "recorded_us": to_micros(fact.recorded_at),
        "body": seal(json.dumps({"summary": fact.summary, "sources": list(fact.sources), "details": fact.details}), cipher),
    }


def seal(body: str, cipher: Cipher | None) -> str:
    """An encrypted store keeps its facts' free text (summaries, sources, names) encrypted in the view too."""
    if cipher is None:
        return body
    return SEALED + base64.b64encode(cipher.encrypt(body.encode("utf-8"))).decode("ascii")


def unseal(body: str, cipher: Cipher | None) -> str:
    if not body.startswith(SEALED):
        return body
    if cipher is None:
        raise ViewSealed("The view is encrypted: set DETENTE_CIPHER_KEY to the key the store was written with.")
    try:
        return cipher.decrypt(base64.b64decode(body[len(SEALED) :])).decode("utf-8")
    except ValueError:
        raise ViewSealed("The view cannot be decrypted with this key: set DETENTE_CIPHER_KEY to the right key.") from None


def row_to_fact(row: Any, cipher: Cipher | None = None) -> Fact:
    body = json.loads(unseal(row.body, cipher))
    return Fact(
        position=row.position,
        pair=row.pair,
        record_id=row.record_id,
        type=row.type,
        actor=row.actor,
        target=row.target,
        occurred_on=PartialDate.parse(row.occurred_on),
        status=row.status,
        claimed_by=tuple(row.claimed_by.split(";")) if row.claimed_by else (),
        refers_to=row.refers_to,
        code=row.code,
        weight=row.weight,
        quad_class=row.quad_class,
        known_since=from_micros(row.known_us),
        recorded_at=from_micros(row.recorded_us),
        incident_id=row.incident_id,
        summary=body["summary"],
        sources=tuple(body["sources"]),
        details=body["details"],
    )


class FactView:
    """The facts table of one ledger, and its tracked position in the ledger's notification log."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.datastore = ledger.recorder.datastore  # type: ignore[attr-defined]
        self.engine = self.datastore.engine
        self.tracking = ledger.factory.tracking_recorder()
        self.cipher = ledger.mapper.cipher
        metadata.create_all(self.engine, checkfirst=True)

    def position(self) -> int:
        return self.tracking.max_tracking_id(VIEW_NAME) or 0

    def pending(self) -> int:
        """How many notifications the view has not processed yet (an upper bound on PostgreSQL)."""
        latest = self.ledger.recorder.max_notification_id() or 0
        return max(0, latest - self.position())

    def catch_up(self, progress: Callable[[int], None] | None = None) -> int:
        """Process every notification after the tracked position; returns how many were read."""
        processed = 0
        while True:
            start = self.position()
            notifications = self.ledger.recorder.select_notifications(
                start=start, limit=CATCH_UP_BATCH, inclusive_of_start=False
            )
            if not notifications:
                return processed
            rows = []
            for notification in notifications:
                event = self.ledger.mapper.to_domain_event(notification)
                if isinstance(event, PairEvent):
                    rows.append(fact_to_row(fact_from_event(event, notification.id), self.cipher))
            try:
                with self.datastore.transaction(commit=True) as session:
                    if rows:
                        session.execute(insert(facts_table), rows)
                    self.tracking._insert_tracking(session, Tracking(VIEW_NAME, notifications[-1].id))
            except IntegrityError:
                continue  # another process wrote this batch first; read on from its position
            processed += len(notifications)
            if progress:
                progress(len(notifications))

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        """Empty the view (never the log) and rebuild it from the first notification."""
        tracking_table = self.tracking.tracking_table
        with self.datastore.transaction(commit=True) as session:
            session.execute(delete(facts_table))
            session.execute(delete(tracking_table).where(tracking_table.c.application_name == VIEW_NAME))
        return self.catch_up(progress)

    # Reads ----------------------------------------------------------------------------------------

    def facts(self, pair: str, known_at: datetime | None = None, recorded_by: datetime | None = None) -> list[Fact]:
        query = select(facts_table).where(facts_table.c.pair == pair)
        if known_at is not None:
            query = query.where(facts_table.c.known_us <= to_micros(known_at))
        if recorded_by is not None:
            query = query.where(facts_table.c.recorded_us <= to_micros(recorded_by))
        with self.engine.connect() as connection:
            return [row_to_fact(row, self.cipher) for row in connection.execute(query.order_by(facts_table.c.position))]

    def all_facts(self, pairs: list[str] | None = None) -> Iterator[tuple[str, list[Fact]]]:
        """Every pair's facts, pair by pair."""
        query = select(facts_table)
        if pairs is not None:
            query = query.where(facts_table.c.pair.in_(pairs))
        query = query.order_by(facts_table.c.pair, facts_table.c.position)
        current: str | None = None
        batch: list[Fact] = []
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=5000).execute(query):
                if row.pair != current and batch:
                    yield current, batch  # type: ignore[misc]
                    batch = []
                current = row.pair
                batch.append(row_to_fact(row, self.cipher))
        if batch:
            yield current, batch  # type: ignore[misc]

    def pairs(self) -> list[str]:
        with self.engine.connect() as connection:
            return [row[0] for row in connection.execute(select(facts_table.c.pair).distinct().order_by(facts_table.c.pair))]

    def locate(self, identifiers: list[str]) -> dict[str, list[Located]]:
        """For each id: the record with that id, or every part of the incident with that id."""
        found: dict[str, list[Located]] = {}
        columns = (facts_table.c.pair, facts_table.c.record_id, facts_table.c.incident_id, facts_table.c.actor, facts_table.c.target)
        wanted = set(identifiers)
        with self.engine.connect() as connection:
            for start in range(0, len(identifiers), 500):
                chunk = identifiers[start : start + 500]
                query = select(*columns).where(or_(facts_table.c.record_id.in_(chunk), facts_table.c.incident_id.in_(chunk)))
                for row in connection.execute(query.order_by(facts_table.c.position)):
                    located = Located(row.pair, row.record_id, row.actor, row.target)
                    if row.record_id in wanted:
                        found.setdefault(row.record_id, []).append(located)
                    if row.incident_id in wanted and row.incident_id != row.record_id:
                        found.setdefault(row.incident_id, []).append(located)
        return found

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(facts_table)).scalar_one()
