"""Writing a batch when other processes write to the same store: each batch waits for the log's write
lock, and one that still collides with another writer is tried again, a bounded number of times.

A batch is checked against its pairs' aggregates and saved in one transaction. Run side by side, two
writers would each check against the pairs as they were before the other's save, and the second save would
collide on the log's unique (pair, version) key and store nothing; with batches of thousands of records
over the same busy pairs, that is nearly every batch. So each batch runs in a transaction that first takes
the lock every save of the log takes anyway (`LOCK TABLE ... IN EXCLUSIVE MODE` on PostgreSQL, the
database's write lock on SQLite), and checks and saves under it: writers queue for the lock, and what a
batch reads cannot change before it saves. Readers are not held up (PostgreSQL's lock lets reads through;
SQLite's WAL readers never wait), and files are read and parsed outside the lock.

A collision can still happen (a pair cached from before another writer's save, a view that had not caught
up): then what was read is forgotten, the view catches up, and the batch is checked again from the log, so
records another writer stored meanwhile are duplicates, not errors. Between attempts a writer pauses for a
random time up to a bound that doubles with each attempt ("full jitter"), so that writers that collided do
not collide again in step.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, TypeVar

from eventsourcing.persistence import IntegrityError, OperationalError
from sqlalchemy import exc

from detente.domain.errors import DetenteError
from detente.projections.locking import StoreBusy, is_locked, log_locked  # noqa: F401  (re-exported)

T = TypeVar("T")

WRITE_ATTEMPTS = 6
"""Attempts at one batch before giving up."""
FIRST_PAUSE_S = 0.05
LONGEST_PAUSE_S = 2.0
"""Before attempt n+1 a writer pauses for a random time between 0 and min(LONGEST_PAUSE_S,
FIRST_PAUSE_S × 2^(n-1)) seconds."""
COLLISIONS = (IntegrityError, exc.IntegrityError)
"""What a save that met another writer raises: a unique key (the log's (pair, version), the view's) refused
a row, or the view's position had moved (`tracking.PositionMoved`, raised without a driver error)."""
TRANSIENT_DRIVER_ERRORS = ("DeadlockDetected", "SerializationFailure", "LockNotAvailable")
"""PostgreSQL errors after which the same transaction may well succeed when tried again."""


class WriteConflict(DetenteError):
    pass


class ViewBehind(Exception):
    """The view had not caught up with the log when this process took the log's lock: read again."""


def pause_before(attempt: int) -> float:
    """Seconds to wait before `attempt` (2, 3, ...): random, up to a bound that doubles each attempt."""
    return random.uniform(0, min(LONGEST_PAUSE_S, FIRST_PAUSE_S * 2 ** (attempt - 2)))


def write_with_retries(
    write: Callable[[], T],
    *,
    before_retry: Callable[[], None],
    exclusively: Callable[[], AbstractContextManager[Any]],
    attempts: int = WRITE_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """`write()` inside `exclusively()` (a transaction holding the log's lock); after a collision,
    `before_retry()` (forget what was read), a pause, and again, up to `attempts` in all."""
    for attempt in range(1, attempts + 1):
        try:
            with exclusively():
                return write()
        except Exception as error:
            if is_locked(error):
                raise StoreBusy(
                    "Another process has held the store's write lock for too long (an import or a rebuild "
                    "running?); nothing of this batch was stored. Run the command again when it is done: "
                    "records already stored are skipped."
                ) from None
            if not is_collision(error):
                raise
        if attempt < attempts:
            before_retry()
            sleep(pause_before(attempt + 1))
    raise WriteConflict(
        f"Other processes kept writing to the same pairs: this batch collided with them {attempts} times "
        "and nothing of it was stored. Run the command again: records already stored are skipped."
    )


def is_collision(error: BaseException) -> bool:
    """Whether another writer's work refused this one's (a unique key), or a transient lock problem did;
    not a row this batch got wrong (e.g. a NOT NULL), which would only be refused again."""
    if isinstance(error, ViewBehind):
        return True
    if isinstance(error, COLLISIONS):
        driver = _driver_error_name(error)
        return driver in ("", "UniqueViolation") or (driver == "IntegrityError" and "UNIQUE constraint failed" in str(error))
    return isinstance(error, (OperationalError, exc.OperationalError)) and _driver_error_name(error) in TRANSIENT_DRIVER_ERRORS


def _driver_error_name(error: BaseException) -> str:
    seen: BaseException | None = error
    while seen is not None:
        original = getattr(seen, "orig", None)
        if original is not None:
            return type(original).__name__
        seen = seen.__cause__
    return ""


