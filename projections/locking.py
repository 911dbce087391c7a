"""The store's write lock: what every save of the log takes, waited for rather than failed on.

Writers (an import's batch, a `record`, a rebuild's emptying of the view) take it for the length of one
transaction: `LOCK TABLE ... IN EXCLUSIVE MODE` on PostgreSQL (reads go on beside it), `BEGIN IMMEDIATE` on
SQLite (WAL readers never wait). SQLite connections wait up to SQLITE_BUSY_TIMEOUT_MS for another writer's
lock; past that the writer gets StoreBusy, with what to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from eventsourcing.persistence import OperationalError
from sqlalchemy import exc

from detente.domain.errors import DetenteError

SQLITE_BUSY_TIMEOUT_MS = 60_000
"""How long an SQLite connection waits for another process's write lock before it gives up with "database
is locked" (the driver's default is 5 s). A writer holds the lock for one batch (an import's 5,000
records, a rebuild's 50,000 notifications), a strict import for the whole file."""


class StoreBusy(DetenteError):
    pass


def is_locked(error: BaseException) -> bool:
    """SQLite's answer when another connection kept the write lock past the busy timeout."""
    return isinstance(error, (OperationalError, exc.OperationalError)) and "database is locked" in str(error)


@contextmanager
def log_locked(datastore: Any, events_table: str) -> Iterator[Any]:
    """A transaction that first waits for, then holds until it ends, the lock every save of the log takes;
    the saves and reads made inside it (the library's calls join the open transaction) commit together."""
    with datastore.transaction(commit=True) as session:
        connection = session.connection()
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"LOCK TABLE {events_table} IN EXCLUSIVE MODE")
        elif connection.dialect.name == "sqlite" and not connection.connection.dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # (inside a write transaction the lock is held already)
        yield session
