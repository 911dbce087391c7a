"""The score board's terms, kept beside the view so that a new process need not fold every fact to rank.

Each pair's terms (`scores.PairTerms`: per direction, the days its facts count from and their weight ×
claim factor) are stored as raw float64/int64 bytes, so a loaded term is the same number that was
computed. The stored terms are those of the facts up to one view position, kept in a one-row table; a
reader loads them and recomputes only the pairs with facts after that position.

Writes are compare-and-set on that position: a process that computed its terms from position P writes
them only if the stored board is still at the position it started from, so two processes refreshing the
board at once can never leave terms older than the position beside them. (This is a cache of the view,
not history: it is replaced here, and emptied with the view by a rebuild.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, Column, LargeBinary, MetaData, String, Table, delete, insert, select, update

if TYPE_CHECKING:  # numpy and the board are imported by those who rank, not by every reader of the view
    from .scores import PairTerms, ScoreBoard

BOARD = "scores"
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
    "detente_score_terms",
    cache_metadata,
    Column("pair", String(16), primary_key=True),
    Column("lengths", LargeBinary, nullable=False),
    Column("days", LargeBinary, nullable=False),
    Column("weights", LargeBinary, nullable=False),
)


def encode_terms(terms: PairTerms) -> dict[str, Any]:
    import numpy as np

    lengths = np.array([len(days) for days, _ in terms.segments], dtype=np.int64)
    days = np.concatenate([days for days, _ in terms.segments]) if terms.segments else np.zeros(0, dtype=np.int64)
    weights = np.concatenate([weights for _, weights in terms.segments]) if terms.segments else np.zeros(0)
    return {
        "pair": terms.pair,
        "lengths": lengths.astype("<i8").tobytes(),
        "days": days.astype("<i8").tobytes(),
        "weights": weights.astype("<f8").tobytes(),
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
    weights: list[bytes] = []
    columns = (terms_table.c.pair, terms_table.c.lengths, terms_table.c.days, terms_table.c.weights)
    for pair, pair_lengths, pair_days, pair_weights in connection.execute(select(*columns)):
        names.append(pair)
        counts.append(len(pair_lengths) // 8)
        lengths.append(pair_lengths)
        days.append(pair_days)
        weights.append(pair_weights)

    def joined(parts: list[bytes], dtype: str) -> np.ndarray:
        return np.frombuffer(b"".join(parts), dtype=dtype).astype(dtype[1:], copy=False)

    board = ScoreBoard.from_arrays(names, counts, joined(lengths, "<i8"), joined(days, "<i8"), joined(weights, "<f8"))
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
    session.execute(delete(terms_table))
    session.execute(delete(board_table))
