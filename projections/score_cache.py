"""The score board's terms, kept beside the view so that a new process need not fold every fact to rank.

Each pair's terms (`scores.PairTerms`: per direction, the days its acts count from, their base weights
and Goldstein weights; and its spells) are stored as raw float64/int64 bytes (the spells as JSON, whose
floats read back exactly), so a loaded term is the same number that was computed. The format is named by
FORMAT: a board stored in another format (an older detente's) is never read, and is rebuilt. The stored terms are those of the facts up to one view position, kept in a one-row table; a
reader loads them and recomputes only the pairs with facts after that position.

Writes are compare-and-set on that position: a process that computed its terms from position P writes
them only if the stored board is still at the position it started from, so two processes refreshing the
board at once can never leave terms older than the position beside them. (This is a cache of the view,
not history: it is replaced here, and emptied with the view by a rebuild.)
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Column, LargeBinary, MetaData, String, Table, Text, delete, insert, select, update

from .conditions import Spell

if TYPE_CHECKING:  # numpy and the board are imported by those who rank, not by every reader of the view
    from .scores import PairTerms, ScoreBoard

FORMAT = 3
"""Bumped whenever the stored terms change meaning: 2 = acts (base and Goldstein weights) and spells; 3 = the
records that close a condition are no longer acts."""
BOARD = f"scores-v{FORMAT}"
BOARD_WAIT_MS = 200
"""How long storing the board waits for another process's write lock on SQLite (a long import, say):
the board is a cache, so a busy store keeps its old board rather than hold up the ranking it serves."""
cache_metadata = MetaData()
board_table = Table(
    "detente_score_board",
    cache_metadata,
    Column("name", String(32), primary_key=True),
    Column("position", BigInteger, nullable=False),
)
terms_table = Table(
    f"detente_score_terms_v{FORMAT}",
    cache_metadata,
    Column("pair", String(16), primary_key=True),
    Column("lengths", LargeBinary, nullable=False),
    Column("days", LargeBinary, nullable=False),
    Column("bases", LargeBinary, nullable=False),
    Column("weights", LargeBinary, nullable=False),
    Column("spells", Text, nullable=False),
)


def encode_spells(spells: list[Spell]) -> str:
    return json.dumps([
        [s.name, s.record_id, s.start.toordinal(), s.end.toordinal() if s.end else None, s.actor, s.target, s.status, s.weight, s.cap]
        for s in spells
    ])  # fmt: skip


def decode_spells(text: str) -> list[Spell]:
    return [
        Spell(name, record_id, date.fromordinal(start), date.fromordinal(end) if end is not None else None, actor, target, status, weight, cap)
        for name, record_id, start, end, actor, target, status, weight, cap in json.loads(text)
    ]


def encode_terms(terms: PairTerms) -> dict[str, Any]:
    import numpy as np

    lengths = np.array([len(days) for days, _, _ in terms.segments], dtype=np.int64)
    empty = not terms.segments

    def joined(column: int, dtype: Any) -> np.ndarray:
        return np.zeros(0, dtype=dtype) if empty else np.concatenate([segment[column] for segment in terms.segments])

    return {
        "pair": terms.pair,
        "lengths": lengths.astype("<i8").tobytes(),
        "days": joined(0, np.int64).astype("<i8").tobytes(),
        "bases": joined(1, np.float64).astype("<f8").tobytes(),
        "weights": joined(2, np.float64).astype("<f8").tobytes(),
        "spells": encode_spells(terms.spells),
    }


def stored_position(connection: Any) -> int | None:
    return connection.execute(select(board_table.c.position).where(board_table.c.name == BOARD)).scalar()


def load(connection: Any) -> tuple[int, ScoreBoard] | None:
    """The stored board and its position; None if none is stored. The rows' bytes are joined and read as
    four arrays at once, and the board laid out from them, without a numpy call per pair."""
    import numpy as np

    from .scores import ScoreBoard

    position = stored_position(connection)
    if position is None:
        return None
    names: list[str] = []
    counts: list[int] = []
    lengths: list[bytes] = []
    days: list[bytes] = []
    bases: list[bytes] = []
    weights: list[bytes] = []
    spells: dict[str, list[Spell]] = {}
    columns = (terms_table.c.pair, terms_table.c.lengths, terms_table.c.days, terms_table.c.bases, terms_table.c.weights, terms_table.c.spells)
    for pair, pair_lengths, pair_days, pair_bases, pair_weights, pair_spells in connection.execute(select(*columns)):
        names.append(pair)
        counts.append(len(pair_lengths) // 8)
        lengths.append(pair_lengths)
        days.append(pair_days)
        bases.append(pair_bases)
        weights.append(pair_weights)
        if pair_spells != "[]":
            spells[pair] = decode_spells(pair_spells)

    def joined(parts: list[bytes], dtype: str) -> np.ndarray:
        return np.frombuffer(b"".join(parts), dtype=dtype).astype(dtype[1:], copy=False)

    board = ScoreBoard.from_arrays(
        names, counts, joined(lengths, "<i8"), joined(days, "<i8"), joined(bases, "<f8"), joined(weights, "<f8"), spells
    )
    return position, board


def save(session: Any, start: int | None, position: int, changed: Iterable[PairTerms]) -> bool:
    """Store the changed pairs' terms and move the board from `start` (None: no board stored) to
    `position`, in the caller's transaction. False, and nothing to commit, if the board was moved meanwhile."""
    if start is None:
        if stored_position(session) is not None:
            return False
        session.execute(insert(board_table), {"name": BOARD, "position": position})  # a racing insert fails on the key
    else:
        moved = session.execute(
            update(board_table).where(board_table.c.name == BOARD, board_table.c.position == start).values(position=position)
        )
        if moved.rowcount != 1:
            return False
    rows = [encode_terms(terms) for terms in changed]
    pairs = [row["pair"] for row in rows]
    for offset in range(0, len(pairs), 500):
        session.execute(delete(terms_table).where(terms_table.c.pair.in_(pairs[offset : offset + 500])))
    if rows:
        session.execute(insert(terms_table), rows)
    return True


def clear(session: Any) -> None:
    """Empty every cache kept beside the view: the board and its terms, and the pairs' checkpoints
    (checkpoint_store.py, whose table is in `cache_metadata` too)."""
    for table in reversed(cache_metadata.sorted_tables):
        session.execute(delete(table))
