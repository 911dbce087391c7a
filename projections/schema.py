"""Creating a store's tables when several processes may open the same new store at the same moment.

`CREATE TABLE` after a check that the table is missing is a race: two processes both find it missing, and
the second's create fails ("table ... already exists", or on PostgreSQL a duplicate key in its catalogue).
Here every creator first takes a lock that only one process holds at a time, and checks and creates
inside it, in one transaction on the connection that holds the lock:

- PostgreSQL: a transaction-level advisory lock, released when the transaction ends (DDL is transactional
  there, so the next creator sees the finished tables);
- SQLite: `BEGIN IMMEDIATE`, the database's write lock, waited for up to the busy timeout.

Creating what already exists is a check and nothing else, so every process may run this on every open;
a store that has everything already is only looked at, without the lock (which on SQLite is a write:
a read-only file can still be read).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, inspect, select

SCHEMA_LOCK_KEY = 0x64_65_74_65_6E_74_65  # "detente" in ASCII: the advisory lock every detente creator takes


@contextmanager
def schema_lock(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that no other process's `schema_lock` runs beside; committed on exit."""
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock(SCHEMA_LOCK_KEY)))
        try:
            yield connection
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


def create_schema(engine: Engine, *steps: Callable[[Connection], Any], present: Iterable[Table] = ()) -> None:
    """Run each creation step (e.g. `metadata.create_all(connection, checkfirst=True)`) under the lock,
    unless the tables (and their indexes) the steps create, given as `present`, are all there already."""
    wanted = list(present)
    if wanted:
        with engine.connect() as connection:
            if has_all(connection, wanted):
                return
    with schema_lock(engine) as connection:
        for step in steps:
            step(connection)


def has_all(connection: Connection, tables: Iterable[Table]) -> bool:
    """Whether every one of these tables exists, with every index it declares."""
    inspector = inspect(connection)
    existing = set(inspector.get_table_names())
    for table in tables:
        if table.name not in existing:
            return False
        if {index.name for index in table.indexes} - {index["name"] for index in inspector.get_indexes(table.name)}:
            return False
    return True
