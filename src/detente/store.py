"""The event store: the eventsourcing library's Application over SQLAlchemy (SQLite or PostgreSQL).

Over 250 lines: the Application, its snapshots (slim ones, written at the pace of a pair's size), the
lenient load of a pair with an unreadable event and the opening of the engine, which all configure one Ledger.
"""

from __future__ import annotations

import random
import time
from functools import cached_property, partial
from typing import Any
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.persistence import InterfaceError, JSONTranscoder, OperationalError, ProgrammingError, StoredEvent
from sqlalchemy import and_, func, insert, select
from sqlalchemy import event as sqlalchemy_events
from sqlalchemy import exc as sqlalchemy_exc

from detente.domain.actors import Actor
from detente.domain.events import PairEvent
from detente.domain.relationship import Relationship, pair_key
from detente.opening import check_encryption, check_is_store, check_requirements, locate
from detente.projections.readable import EventUnreadable, Reader, probe_first
from detente.retry import is_locked
from detente.projections.compression import COMPRESSOR_TOPIC
from detente.projections.locking import SQLITE_BUSY_TIMEOUT_MS
from detente.projections.schema import create_schema
from detente.projections.transcodings import register_detente_transcodings

CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"
SNAPSHOT_INTERVAL = 16
"""The fewest events between two snapshots of a pair whose aggregate holds little (a pair of dataset rows
holds nothing per row: `Relationship.note`). Loading a pair replays at most this many events after its
snapshot; the snapshots of such a pair take a few hundred bytes per SNAPSHOT_INTERVAL events."""
LOAD_CHUNK = 500
"""Pairs whose latest snapshots one query reads (`Ledger.relationships`)."""
SQLITE_CACHE_KIB = 65_536
"""SQLite's page cache per connection (its default is 2 MiB). A view of a million facts is over a gigabyte,
and a rebuild or an import writes each batch's rows into pages all over it: with 2 MiB most of those page
reads go to the file. Memory is taken only as pages are read, up to this."""


class Ledger(Application[UUID]):
    """Append-only: aggregates are saved, never updated in place; nothing here deletes a record."""

    name = "detente"
    snapshotting_intervals = {Relationship: SNAPSHOT_INTERVAL}

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_detente_transcodings(transcoder)

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        """Snapshot each pair whose save crossed a multiple of its `snapshot_interval`, from the aggregate
        just saved, at its saved version. The library's default reads the pair back from the log to rebuild
        the state at the crossing, though that state, or a later one, is in memory already; a snapshot of
        any saved version serves every later read."""
        if self.snapshots is None:
            return
        crossed: dict[UUID, Relationship] = {}
        intervals: dict[UUID, int] = {}
        for event in processing_event.events:
            aggregate = processing_event.aggregates.get(event.originator_id)
            if not isinstance(aggregate, Relationship):
                continue
            if aggregate.id not in intervals:
                intervals[aggregate.id] = snapshot_interval(aggregate)
            if event.originator_version % intervals[aggregate.id] == 0:
                crossed[aggregate.id] = aggregate
        if crossed:
            self.snapshots.put([Relationship.Snapshot.take(aggregate) for aggregate in crossed.values()])

    def close(self) -> None:
        """Close the library's side, then every pooled connection: SQLite folds its write-ahead log back
        into the file when the last connection closes, so a closed store is one file again (one that can be
        copied, or made read-only, as it is)."""
        super().close()
        engine = getattr(self.recorder.datastore, "engine", None)  # type: ignore[attr-defined]
        if engine is not None:
            engine.dispose()

    @cached_property
    def reader(self) -> Reader:
        """Decodes and checks stored events, for the readers that leave the unreadable out."""
        return Reader(self.mapper, probe_first(self.recorder))

    def relationship(self, a: Actor, b: Actor) -> Relationship | None:
        try:
            return self.repository.get(Relationship.create_id(a, b))
        except AggregateNotFoundError:
            return None
        except (OperationalError, ProgrammingError, InterfaceError):
            raise
        except Exception:  # an event of the pair cannot be read or replayed
            return reconstruct_leniently(self, a, b)

    def relationships(self, pairs: list[tuple[Actor, Actor]]) -> dict[str, Relationship]:
        """The aggregates of these pairs (by pair key; those with no event left out), each from its latest
        snapshot and the events after it, as `relationship` gives them, with a query per pair and one per
        LOAD_CHUNK pairs for their snapshots instead of the library's two ORM queries per pair, and each
        stored event mutating the aggregate directly (`event.mutate`) rather than through the repository's
        projection (which checks every event against a runtime protocol). A pair any of whose events
        cannot be read or replayed is read by `relationship` instead (leniently)."""
        ids = {Relationship.create_id(a, b): (a, b) for a, b in pairs}
        found: dict[str, Relationship] = {}
        events = self.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
        with self.recorder.datastore.transaction(commit=False) as session:  # type: ignore[attr-defined]
            connection = session.connection()
            snapshots = self._latest_snapshots(connection, list(ids))
            for pair_id, (a, b) in ids.items():
                snapshot = snapshots.get(pair_id)
                query = select(events.c.originator_version, events.c.topic, events.c.state).where(
                    events.c.originator_id == pair_id,
                    events.c.originator_version > (snapshot.originator_version if snapshot else 0),
                )
                stored = [
                    StoredEvent(pair_id, version, topic, bytes(state))
                    for version, topic, state in connection.execute(query.order_by(events.c.originator_version))
                ]
                aggregate = self._replayed(snapshot, stored)
                if aggregate is None and (snapshot or stored):
                    aggregate = self.relationship(a, b)
                if aggregate is not None:
                    found[pair_key(a, b)] = aggregate
        return found

    def _latest_snapshots(self, connection: Any, ids: list[UUID]) -> dict[UUID, StoredEvent]:
        if self.snapshots is None:
            return {}
        table = self.snapshots.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
        latest: dict[UUID, StoredEvent] = {}
        for start in range(0, len(ids), LOAD_CHUNK):
            newest = (
                select(table.c.originator_id, func.max(table.c.originator_version).label("version"))
                .where(table.c.originator_id.in_(ids[start : start + LOAD_CHUNK]))
                .group_by(table.c.originator_id)
                .subquery()
            )
            query = select(table.c.originator_id, table.c.originator_version, table.c.topic, table.c.state).join(
                newest, and_(table.c.originator_id == newest.c.originator_id, table.c.originator_version == newest.c.version)
            )
            for pair_id, version, topic, state in connection.execute(query):
                latest[pair_id] = StoredEvent(pair_id, version, topic, bytes(state))
        return latest

    def _replayed(self, snapshot: StoredEvent | None, stored: list[StoredEvent]) -> Relationship | None:
        """The aggregate from a snapshot and the events after it; None if any of them cannot be read or
        replayed (or there is nothing)."""
        try:
            aggregate = self.mapper.to_domain_event(snapshot).mutate(None) if snapshot else None
            for item in stored:
                aggregate = self.mapper.to_domain_event(item).mutate(aggregate)
        except (OperationalError, ProgrammingError, InterfaceError):
            raise
        except Exception:
            return None
        return aggregate if isinstance(aggregate, Relationship) else None

    def write_snapshots(self, connection: Any, aggregates: dict[UUID, Relationship | None]) -> int:
        """Snapshot each of these aggregates at its version, on `connection` (in its transaction), unless
        the log holds a later event of it or it has a snapshot at that version already; how many."""
        if self.snapshots is None:
            return 0
        events = self.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
        table = self.snapshots.recorder.events_record_cls.__table__  # type: ignore[attr-defined]
        ready = {pair_id: aggregate for pair_id, aggregate in aggregates.items() if isinstance(aggregate, Relationship)}
        newest = select(events.c.originator_id, func.max(events.c.originator_version)).group_by(events.c.originator_id)
        last = dict(connection.execute(newest).all())
        taken = set(connection.execute(select(table.c.originator_id, table.c.originator_version)).all())
        rows = []
        for pair_id, aggregate in ready.items():
            if last.get(pair_id) != aggregate.version or (pair_id, aggregate.version) in taken:
                continue
            stored = self.mapper.to_stored_event(Relationship.Snapshot.take(aggregate))
            rows.append({"originator_id": stored.originator_id, "originator_version": stored.originator_version,
                         "topic": stored.topic, "state": stored.state})  # fmt: skip
        for start in range(0, len(rows), LOAD_CHUNK):
            connection.execute(insert(table), rows[start : start + LOAD_CHUNK])
        return len(rows)

    def pair_events(self, a: Actor, b: Actor) -> list[PairEvent]:
        """Every readable event recorded for the pair, in recording order (the unreadable left out)."""
        stored = self.recorder.select_events(Relationship.create_id(a, b))
        return [event for event in self.reader.events(stored) if isinstance(event, PairEvent)]


def snapshot_interval(aggregate: Relationship) -> int:
    """Events between two snapshots of this pair: SNAPSHOT_INTERVAL, or, for a pair that holds more records
    than that (curated records, or rows kept by an older version), the power of two at or above the number
    it holds. A snapshot's size grows with what the pair holds, so each one then follows at least as many
    events as it holds records, and a pair's snapshots add up to a size proportional to its events, not to
    their square."""
    held = len(aggregate.kinds)
    interval = SNAPSHOT_INTERVAL
    while interval < held:
        interval *= 2
    return interval


def reconstruct_leniently(ledger: Ledger, a: Actor, b: Actor) -> Relationship | None:
    """The pair's aggregate from the events of it that can be read: each unreadable one is stepped over
    (the aggregate's version still counts it, so the next event is saved after it) and its record id, when
    it can be recovered, stays taken. Without this, one unreadable event would make the pair unwritable."""
    pair_id = Relationship.create_id(a, b)
    aggregate, since = _from_snapshot(ledger, pair_id)
    for stored in ledger.recorder.select_events(pair_id, gt=since):
        try:
            event = ledger.reader.event(stored)
            aggregate = event.mutate(aggregate)
            continue
        except EventUnreadable:
            pass
        except (OperationalError, ProgrammingError, InterfaceError):
            raise
        except Exception:  # read, but not replayable (`apply` refused it)
            pass
        if aggregate is None:  # its creation itself is unreadable: the pair is known all the same
            aggregate = Relationship.open(a, b)
            aggregate.collect_events()
        aggregate.version = stored.originator_version
        record_id = ledger.reader.record_id(stored)
        if record_id:
            aggregate.kinds.setdefault(record_id, "unreadable")
    return aggregate


def _from_snapshot(ledger: Ledger, pair_id: UUID) -> tuple[Relationship | None, int | None]:
    """The pair's latest snapshot and its version, if it has one that can be read."""
    if ledger.snapshots is None:
        return None, None
    try:
        found = list(ledger.snapshots.get(pair_id, desc=True, limit=1))
        if not found:
            return None, None
        return found[0].mutate(None), found[0].originator_version
    except (OperationalError, ProgrammingError, InterfaceError):
        raise
    except Exception:  # not readable either: replay the pair from its first event
        return None, None


def ledger_environment(url: str, cipher_key: str | None = None) -> dict[str, Any]:
    """The library's settings for the store at `url`. Events are compressed before they are encrypted
    (compression.py); events stored uncompressed by earlier versions read as they are."""
    env: dict[str, Any] = {
        "PERSISTENCE_MODULE": "detente.recorder",  # eventsourcing-sqlalchemy, inserting on SQLAlchemy Core
        "SQLALCHEMY_URL": url,
        "COMPRESSOR_TOPIC": COMPRESSOR_TOPIC,
        "CIPHER_TOPIC": "",
        "CIPHER_KEY": "",
        "CREATE_TABLE": "no",  # open_ledger creates the tables, under a lock (schema.py)
    }
    if cipher_key:
        env["CIPHER_TOPIC"] = CIPHER_TOPIC
        env["CIPHER_KEY"] = cipher_key
    return env


def open_ledger(url: str, cipher_key: str | None = None, *, create: bool = True) -> Ledger:
    """The store at `url`. With `create` (writing commands) a new store is made there, its tables created
    under a lock (schema.py); without it (reading commands) there must be one already, and nothing is added
    to the database (see opening.py)."""
    check_requirements(url, cipher_key)
    ledger = Ledger(env=ledger_environment(locate(url, create), cipher_key))
    try:
        engine = ledger.recorder.datastore.engine  # type: ignore[attr-defined]
        tune_sqlite(engine)
        if create:
            recorders = [ledger.recorder] + ([ledger.snapshots.recorder] if ledger.snapshots else [])
            tables = [table for recorder in recorders for table in recorder.tables]  # type: ignore[attr-defined]
            create_schema(engine, *(partial(_create_tables, recorder) for recorder in recorders), present=tables)
            if ledger.recorder.datastore.is_sqlite_filedb:  # type: ignore[attr-defined]
                _use_wal(ledger.recorder.datastore)  # type: ignore[attr-defined]
        else:
            check_is_store(ledger, url)
        check_encryption(ledger, url)
    except BaseException:
        ledger.close()
        raise
    return ledger


def _use_wal(datastore: Any) -> None:
    """Switch an SQLite file to WAL journaling (readers beside a writer), as the library does on first use,
    but patiently: the switch of a new file needs a moment when no other connection is in a transaction,
    and SQLite answers "database is locked" at once instead of waiting for one. (A file in WAL mode
    already stays so without a lock.)"""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            datastore.init_sqlite_wal_mode()
            return
        except sqlalchemy_exc.OperationalError as error:
            if not is_locked(error) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.01, 0.1))


def _create_tables(recorder: Any, connection: Any) -> None:
    """The library's tables of one recorder (what its `create_table` does), on the connection that holds
    the schema lock."""
    for table in recorder.tables:
        table.create(connection, checkfirst=True)


def tune_sqlite(engine: Any) -> None:
    """Give an SQLite engine's connections SQLITE_CACHE_KIB of page cache and SQLITE_BUSY_TIMEOUT_MS of
    patience with other writers (no-op for other databases)."""
    if engine.dialect.name == "sqlite":
        sqlalchemy_events.listen(engine, "connect", _tune_sqlite_connection)
        engine.dispose()  # connections opened before (to create the tables) are reopened with the setting


def _tune_sqlite_connection(connection: Any, _: Any) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()
