"""The event recorders: eventsourcing-sqlalchemy's, with the insert path on SQLAlchemy Core.

The library's recorders insert through the ORM: an object per stored event, the unit of work's
bookkeeping, then a flush that asks for each new id. Here the same tables take one bulk insert per save
(the driver's `executemany`; on PostgreSQL a multi-row `INSERT ... RETURNING`), in the same session and
transaction as before, so every caller that joins the datastore's transaction (the view, the record index,
the retries) is unchanged. Reads, tracking, subscriptions and table definitions are the library's.

Notification ids are allocated while the store's write lock is held, so that each save's ids are
contiguous and commit in order (what `NonInterleavingNotificationIDsBaseCase` checks):

- PostgreSQL: `LOCK TABLE ... IN EXCLUSIVE MODE` (as the library does), then the insert returns the ids the
  table's sequence gave, in the order of the rows;
- SQLite: the first insert takes the database's write lock, held to the commit; rows without an id get
  the largest id plus one, one after another, so a save of n rows holds the n ids up to the largest id
  afterwards (the table has no AUTOINCREMENT and nothing is ever deleted from it).

`PERSISTENCE_MODULE = "detente.recorder"` selects these (`store.ledger_environment`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import eventsourcing_sqlalchemy.factory as library_factory
import eventsourcing_sqlalchemy.recorders as library_recorders
from eventsourcing.persistence import StoredEvent
from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session


def _rows(stored_events: Sequence[StoredEvent]) -> list[dict[str, Any]]:
    return [
        {"originator_id": e.originator_id, "originator_version": e.originator_version, "topic": e.topic, "state": e.state}
        for e in stored_events
    ]


def insert_numbered(session: Session, table: Table, stored_events: Sequence[StoredEvent]) -> list[int]:
    """Insert the events into a table with an autoincrementing `id`; their ids in the events' order. The
    caller holds the table's write lock (PostgreSQL) or the insert takes it (SQLite)."""
    if not stored_events:
        return []
    connection = session.connection()
    rows = _rows(stored_events)
    if connection.dialect.name == "sqlite":
        connection.execute(insert(table), rows)
        last = connection.execute(select(func.max(table.c.id))).scalar_one()
        return list(range(last - len(rows) + 1, last + 1))
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return [row[0] for row in connection.execute(statement, rows)]


class CoreAggregateRecorder(library_recorders.SQLAlchemyAggregateRecorder):
    """Snapshots (and any aggregate recorder the factory makes): one bulk insert per save."""

    def _insert_stored_events(self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any) -> None:
        table: Table = self.events_record_cls.__table__
        if self._has_autoincrementing_ids:
            self._lock_table(session)
            insert_numbered(session, table, stored_events)
        elif stored_events:
            session.connection().execute(insert(table), _rows(stored_events))
        return None


class CoreApplicationRecorder(library_recorders.SQLAlchemyApplicationRecorder):
    """The log: one bulk insert per save, its notification ids allocated under the write lock."""

    def _insert_stored_events(self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        self._lock_table(session)
        ids = insert_numbered(session, self.events_record_cls.__table__, stored_events)
        self._notify_channel(session)
        return ids


class CoreProcessRecorder(library_recorders.SQLAlchemyProcessRecorder):
    """The log with tracking records (the library's), inserting events as `CoreApplicationRecorder` does."""

    def _insert_stored_events(self, session: Session, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int]:
        self._lock_table(session)
        ids = insert_numbered(session, self.events_record_cls.__table__, stored_events)
        self._notify_channel(session)
        return ids


class Factory(library_factory.SQLAlchemyFactory):
    """eventsourcing-sqlalchemy's factory, making the recorders above (its datastore, tracking recorder
    and environment variables are unchanged)."""

    aggregate_recorder_class = CoreAggregateRecorder
    application_recorder_class = CoreApplicationRecorder
    process_recorder_class = CoreProcessRecorder
