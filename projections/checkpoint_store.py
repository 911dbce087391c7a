"""Where the per-pair checkpoints (checkpoints.py) are kept: one row per pair, beside the view.

No numpy here: a reader asks whether a pair has a checkpoint before anything imports numpy, so that the
many small pairs (folded in full) never pay for it. Rows are written best effort, like the score board: a
checkpoint is a cache of the view, and a store this process cannot write, or another process writing the
same pair's row at once, leaves things as they were.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, Column, Integer, LargeBinary, String, Table, Text, bindparam, delete, func, insert, select

from .rows import READ_COLUMNS as FACT_COLUMNS
from .rows import facts_table
from .score_cache import cache_metadata

FORMAT = 1
"""Bumped whenever a checkpoint's content changes meaning: a table of another format is never read."""

checkpoints_table = Table(
    f"detente_checkpoints_v{FORMAT}",
    cache_metadata,  # created, and emptied by a rebuild, with the score board's tables
    Column("pair", String(16), primary_key=True),
    Column("position", BigInteger, nullable=False),
    Column("known_us", BigInteger, nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Column("attested", Integer, nullable=False),
    Column("acts", LargeBinary, nullable=False),
    Column("members", LargeBinary, nullable=False),
    Column("special", LargeBinary, nullable=False),
    Column("spells", Text, nullable=False),
    Column("leaders", Text, nullable=False),
)
COLUMNS = ("pair", "position", "known_us", "recorded_us", "attested", "acts", "members", "special", "spells", "leaders")
"""The order `checkpoints.decode` unpacks a row in."""

_READ = select(*(checkpoints_table.c[name] for name in COLUMNS)).where(checkpoints_table.c.pair == bindparam("pair"))
_LATEST = select(func.max(facts_table.c.position)).where(facts_table.c.pair == bindparam("pair"))
_AT = (
    select(*FACT_COLUMNS)
    .where(facts_table.c.pair == bindparam("pair"), facts_table.c.position.in_(bindparam("positions", expanding=True)))
    .order_by(facts_table.c.position)
)
MIN_FACTS = 500
"""Pairs with fewer facts are folded in full (a few milliseconds): a checkpoint costs about 72 bytes a fact to
keep, and would save little. At or above it, status reads the checkpoint and the score board extends it."""
CHUNK = 2000
"""Positions per `IN (...)` when reading a pair's facts by position (SQLite allows 32,766 parameters)."""


def latest_position(connection: Any, pair: str) -> int | None:
    """The pair's last fact position in the view (its key's last entry: one index seek)."""
    return connection.execute(_LATEST, {"pair": pair}).scalar()


def pairs(connection: Any) -> set[str]:
    """The pairs that have a stored checkpoint."""
    return {row[0] for row in connection.execute(select(checkpoints_table.c.pair))}


_POSITION = select(checkpoints_table.c.position).where(checkpoints_table.c.pair == bindparam("pair"))


def stored_position(connection: Any, pair: str) -> int | None:
    return connection.execute(_POSITION, {"pair": pair}).scalar()


def stored_row(connection: Any, pair: str) -> Any:
    return connection.execute(_READ, {"pair": pair}).first()


def rows_at(connection: Any, pair: str, positions: Sequence[int]) -> list[Any]:
    """The pair's fact rows at these positions, in position order."""
    rows: list[Any] = []
    for start in range(0, len(positions), CHUNK):
        rows.extend(connection.execute(_AT, {"pair": pair, "positions": list(positions[start : start + CHUNK])}).all())
    if len(positions) > CHUNK:
        rows.sort(key=lambda row: row[0])
    return rows


_AFTER = (
    select(*FACT_COLUMNS)
    .where(facts_table.c.pair == bindparam("pair"), facts_table.c.position > bindparam("position"))
    .order_by(facts_table.c.position)
)


def rows_after(connection: Any, pair: str, position: int) -> list[Any]:
    """The pair's fact rows after this position, in position order."""
    return connection.execute(_AFTER, {"pair": pair, "position": position}).all()


def rows_of(connection: Any, pairs: Sequence[str] | None) -> list[Any]:
    """The stored checkpoints of these pairs (None: of every pair), as rows for `checkpoints.decode`."""
    query = select(*(checkpoints_table.c[name] for name in COLUMNS))
    if pairs is None:
        return connection.execute(query).all()
    rows: list[Any] = []
    for start in range(0, len(pairs), 500):
        rows.extend(connection.execute(query.where(checkpoints_table.c.pair.in_(list(pairs[start : start + 500])))).all())
    return rows


def replace(session: Any, row: dict[str, Any]) -> None:
    """Store a pair's checkpoint in place of the one it had (in the caller's transaction)."""
    session.execute(delete(checkpoints_table).where(checkpoints_table.c.pair == row["pair"]))
    session.execute(insert(checkpoints_table), row)


def clear(session: Any) -> None:
    session.execute(delete(checkpoints_table))
