"""The view's tracked position in the log, moved by compare-and-set so that two processes never both
write the same batch of facts, and never move the position back.

The position lives in the library's tracking table (one row per tracked name). A batch of facts read after
position P is written only if the row still says P (none at all when P is 0) at the moment it is moved, in
the transaction that writes the batch: of two processes catching up from P at once, the second finds the
row moved (on PostgreSQL it first waits for the first's transaction to end) and writes nothing. The
library's own `_insert_tracking` moves the row to whatever it is given, which lets a process that read
an old position put it back after another moved it on.
"""

from __future__ import annotations

from typing import Any

from eventsourcing.persistence import IntegrityError
from sqlalchemy import Table, update
from sqlalchemy.dialects import postgresql, sqlite

from detente.domain.errors import DetenteError
from .locking import StoreBusy, is_locked

CATCH_UP_RACES = 20
"""How many times in a row a catch-up may lose the race to write the batch after one position, the
position not moving in between, before it gives up: a process that wins writes the batch and moves the
position on, so this happens only if something else is wrong (rows beyond the tracked position)."""


class ViewBusy(DetenteError):
    pass


class PositionMoved(IntegrityError):
    """Another process moved the tracked position first: what was read is stale; read on from its position."""


def move_position(session: Any, table: Table, name: str, after: int, position: int) -> bool:
    """Move the tracked position of `name` from `after` (0: no row yet) to `position`, in the session's
    transaction; False if it no longer is at `after`, and then nothing is changed."""
    if after:
        statement = (
            update(table)
            .where(table.c.application_name == name, table.c.notification_id == after)
            .values(notification_id=position)
        )
    else:
        statement = _insert_if_absent(session, table).values(application_name=name, notification_id=position)
    moved = session.execute(statement, execution_options={"preserve_rowcount": True})  # psycopg's insert: -1 without
    return bool(moved.rowcount == 1)


def _insert_if_absent(session: Any, table: Table) -> Any:
    """INSERT ... ON CONFLICT DO NOTHING: a racing insert then changes nothing instead of failing the
    transaction (which, when the view follows a save, is the transaction of the saved events too)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing(index_elements=[table.c.application_name])
    if dialect == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing(index_elements=[table.c.application_name])
    raise NotImplementedError(f"detente's view supports SQLite and PostgreSQL, not {dialect}")


class Races:
    """A catch-up's count of races lost in a row at the same position."""

    def __init__(self) -> None:
        self.lost, self.position = 0, -1

    def lost_at(self, position: int) -> None:
        self.lost = self.lost + 1 if position == self.position else 1
        self.position = position
        if self.lost >= CATCH_UP_RACES:
            raise ViewBusy(
                f"The view could not catch up: {self.lost} times another process wrote first and the position "
                "did not move. Run the command again; if it persists, run `detente rebuild`."
            )


def busy_or(error: Exception) -> Exception:
    """What to raise for a database error met while catching up: a busy store, said so, or the error itself."""
    if is_locked(error):
        return StoreBusy(
            "Another process has held the store's write lock for too long (an import or a rebuild running?), "
            "so the view could not be brought up to date. Run the command again when it is done."
        )
    return error
