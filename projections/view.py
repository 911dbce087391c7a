"""The stored view: one row per fact, in SQL tables beside the event store, kept up to date exactly once.

Catch-up reads the application's notification log from the position the view has tracked, converts each
event into its fact, and writes the rows and the new position in one transaction, moving the position
only from where the batch was read (tracking.py): of two processes catching up at once, one writes each
batch and the other reads on. SQLite has no subscriptions, so catch-up is how the view follows the log on
every backend.
After its own saves a process hands the saved events straight to the view (`follow`) in the transaction
that saved them, when they are the next positions in the log, and catches up after the commit otherwise.
Queries read a pair's rows (not a replay of the log) and fold them with the same pure fold; a fact read
back keeps its free text and clocks encoded until the fold first asks for them (`rows.StoredFact`).
A stored event that cannot be read is left out, and recorded as such beside the facts (unreadable.py).
A view in an earlier layout (rows.LEGACY_COLUMNS) is emptied and refilled in the current one, once, by the
first process that opens the store (under the schema lock); the log is never touched.

Over 250 lines: schema, catch-up, rebuild and reads of the one table are still together here; splitting
`FactView` by job is left for the write-side redesign (issue 14), not done piecemeal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError, OperationalError, Recording
from sqlalchemy import Connection, Select, bindparam, delete, exc, func, inspect, select

from detente.domain.events import PairEvent
from .locking import SQLITE_BUSY_TIMEOUT_MS, log_locked
from .schema import create_schema

from . import checkpoint_store, refill, score_cache, unreadable
from .facts import Fact
from .readable import EventUnreadable, Reader, Unreadable, probe_first
from .rows import (
    KEY_ORDER, LEGACY_COLUMNS, LEGACY_INDEXES, PLACEHOLDERS, READ_COLUMNS, fact_rows, facts_table, insert_statement, metadata,
    read_fact, row_of, to_micros,
)  # fmt: skip
from .tracking import PositionMoved, Races, busy_or, move_position

if TYPE_CHECKING:
    from detente.store import Ledger

    from .fold import Query
    from .scores import PairTerms, ScoreBoard
    from .state import RelationshipState

VIEW_NAME = "detente_facts_view"


CATCH_UP_BATCH = 2000
REBUILD_BATCH = 50_000
"""Notifications per transaction in a rebuild. Larger batches put more of each pair's new rows side by side
(they are written in key order) and commit less often; two batches are in memory at once."""


def _pair_query(known: bool, recorded: bool) -> Select[Any]:
    query = select(*READ_COLUMNS).where(facts_table.c.pair == bindparam("pair"))
    if known:
        query = query.where(facts_table.c.known_us <= bindparam("known"))
    if recorded:
        query = query.where(facts_table.c.recorded_us <= bindparam("recorded"))
    return query.order_by(facts_table.c.position)


PAIR_QUERIES = {(known, recorded): _pair_query(known, recorded) for known in (False, True) for recorded in (False, True)}
"""A pair's facts, with or without each cut-off: built once, so SQLAlchemy need not rebuild them per query."""


def _raw_pair_query(paramstyle: str, known: bool, recorded: bool) -> str:
    """PAIR_QUERIES[known, recorded] as the driver's own SQL with positional parameters (pair, then the
    cut-offs given): a status query is a few hundred microseconds, and SQLAlchemy's execution was a fifth of it."""
    mark = PLACEHOLDERS[paramstyle]
    conditions = [f"pair = {mark}", *(["known_us <= " + mark] if known else []), *(["recorded_us <= " + mark] if recorded else [])]
    return f"SELECT {', '.join(column.name for column in READ_COLUMNS)} FROM {facts_table.name} WHERE {' AND '.join(conditions)} ORDER BY position"


def _ensure_indexes(connection: Connection) -> None:
    for legacy in LEGACY_INDEXES:
        connection.exec_driver_sql(f"DROP INDEX IF EXISTS {legacy}")
    for index in facts_table.indexes:
        index.create(connection, checkfirst=True)


def _legacy_layout(connection: Connection) -> bool:
    """Whether the view's table is in an earlier layout (rows.LEGACY_COLUMNS)."""
    if not inspect(connection).has_table(facts_table.name):
        return False
    return any(column["name"] in LEGACY_COLUMNS for column in inspect(connection).get_columns(facts_table.name))


def _relayout(tracking_table: Any, connection: Connection) -> None:
    """Empty a view of an earlier layout (and everything derived from it: its position, the score board, its
    account of the unreadable) and create its table anew; the next catch-up refills it from the log."""
    if not _legacy_layout(connection):
        return  # another process did it while this one waited for the lock
    facts_table.drop(connection)
    connection.execute(delete(tracking_table).where(tracking_table.c.application_name == VIEW_NAME))
    score_cache.clear(connection)
    unreadable.clear(connection)  # type: ignore[arg-type]
    metadata.create_all(connection)


DECODED_CHECKPOINTS = 64


def _position_of(row: Any) -> int:
    """A checkpoint's position, from its stored row or from the checkpoint decoded."""
    return row.position if hasattr(row, "position") else row[1]


def _micros_or_none(moment: datetime | None) -> int | None:
    return None if moment is None else to_micros(moment)


class FactView:
    """The facts table of one ledger, and its tracked position in the ledger's notification log."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.datastore = ledger.recorder.datastore  # type: ignore[attr-defined]
        self.engine = self.datastore.engine
        self.tracking = ledger.factory.tracking_recorder()
        self.cipher = ledger.mapper.cipher
        self.reader = Reader(ledger.mapper, probe_first(ledger.recorder))
        self._board: tuple[int, ScoreBoard] | None = None
        self._checkpointed: set[str] | None = None
        self._decoded: dict[str, Any] = {}
        """Checkpoints decoded by this process, by pair (at most DECODED_CHECKPOINTS, the oldest dropped first)."""
        """The pairs with a stored checkpoint, read once per process (a small pair need not ask for its row):
        one stored since by another process is missed, and the pair folded in full, which is still exact."""
        create_schema(
            self.engine,
            partial(self.tracking.tracking_table.create, checkfirst=True),
            partial(metadata.create_all, checkfirst=True),
            partial(score_cache.cache_metadata.create_all, checkfirst=True),
            partial(unreadable.unreadable_metadata.create_all, checkfirst=True),
            _ensure_indexes,  # a rebuild drops them while it refills the table; an interrupted one left none
            present=[self.tracking.tracking_table, *metadata.tables.values(), *score_cache.cache_metadata.tables.values(),
                     *unreadable.unreadable_metadata.tables.values()],
        )
        with self.engine.connect() as connection:
            legacy = _legacy_layout(connection)
        if legacy:
            try:
                create_schema(self.engine, partial(_relayout, self.tracking.tracking_table))
            except exc.OperationalError as error:
                if "readonly" not in str(error).replace(" ", "").lower():
                    raise  # a read-only file keeps its earlier layout, which rows.read_fact still reads
        self._insert = insert_statement(self.engine.dialect.paramstyle)
        events, tracking = ledger.recorder.events_record_cls.__table__, self.tracking.tracking_table  # type: ignore[attr-defined]
        self._currency = select(
            select(func.max(events.c.id)).scalar_subquery(),
            select(func.max(tracking.c.notification_id)).where(tracking.c.application_name == VIEW_NAME).scalar_subquery(),
        )
        dialect = self.engine.dialect
        self._raw_currency = str(self._currency.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        self._raw_pair = {cuts: _raw_pair_query(dialect.paramstyle, *cuts) for cuts in PAIR_QUERIES}

    def position(self) -> int:
        return self.tracking.max_tracking_id(VIEW_NAME) or 0

    def pending(self) -> int:
        """How many notifications the view has not processed yet (an upper bound on PostgreSQL)."""
        latest = self.ledger.recorder.max_notification_id() or 0
        return max(0, latest - self.position())

    def catch_up(self, progress: Callable[[int], None] | None = None, batch: int = CATCH_UP_BATCH) -> int:
        """Process every notification after the tracked position; returns how many were read."""
        processed, races = 0, Races()
        while True:
            start = self.position()
            notifications = self.ledger.recorder.select_notifications(
                start=start, limit=batch, inclusive_of_start=False
            )
            if not notifications:
                return processed
            rows, left_out = fact_rows(self.reader, notifications)
            try:
                self._write(rows, notifications[-1].id, start, left_out)
            except (IntegrityError, exc.IntegrityError):
                # Another process wrote this batch first (it moved the position, or its rows are there):
                # what it wrote is what this one would have; read on from the position it left.
                races.lost_at(start)
                continue
            except (OperationalError, exc.OperationalError) as error:
                raise busy_or(error) from None
            processed += len(notifications)
            if progress:
                progress(len(notifications))

    def follow(self, recordings: Sequence[Recording[Any]]) -> bool:
        """Take events just saved into the view, in the caller's transaction (the one that saved them, so
        the events, their facts and the tracked position commit together), when they are the next
        notifications after the tracked position. Otherwise (another writer came in between) write
        nothing and say so: the caller catches up once its transaction is committed."""
        if not recordings:
            return True
        start = self.position()
        positions = [recording.notification.id for recording in recordings]
        if positions != list(range(start + 1, start + 1 + len(positions))):
            return False
        try:
            rows = [
                row_of(self.reader.checked_columns(recording.domain_event, recording.notification), recording.notification.state)
                for recording in recordings
                if isinstance(recording.domain_event, PairEvent)
            ]
        except EventUnreadable:
            return False  # the catch-up after the commit reads it back, and leaves it out as a rebuild would
        try:
            self._write(rows, positions[-1], start)
        except PositionMoved:
            return False  # a catch-up in another process moved it meanwhile: nothing written
        return True

    def _write(self, rows: list[tuple[Any, ...]], position: int, after: int, left_out: Sequence[Unreadable] = ()) -> None:
        """Move the tracked position from `after` to `position` and insert the fact rows of the
        notifications between (and those of the events left out, unreadable), in one transaction;
        `PositionMoved` (and nothing written) if the position is no longer `after`."""
        rows.sort(key=KEY_ORDER)  # written in key order, a batch touches each page of a pair once
        unreadable_rows = unreadable.rows(left_out, self.reader, self.ledger.recorder, self.cipher)
        with self.datastore.transaction(commit=True) as session:
            if not move_position(session, self.tracking.tracking_table, VIEW_NAME, after, position):
                raise PositionMoved(f"The view's position moved from {after} before this process wrote")
            if rows:
                session.connection().exec_driver_sql(self._insert, rows)
            unreadable.insert(session, unreadable_rows)

    def rebuild(self, progress: Callable[[int], None] | None = None, workers: int | None = None) -> int:
        """Empty the view (never the log) and rebuild it from the first notification.

        The secondary indexes are dropped while the table refills and built once at the end, which is
        cheaper than keeping them sorted row by row; the key (pair, position) stays, and with the tracked
        position it still refuses a row written twice. A large log is read and converted by `workers`
        processes (None: one per core; refill.py), a smaller one in this process."""
        tracking_table = self.tracking.tracking_table
        # Under the log's write lock, so that no save (whose view follows it in its own transaction) is
        # half-way through: on PostgreSQL its facts would outlive the delete, and the refill collide with them.
        with log_locked(self.datastore, self.ledger.recorder.events_table_name) as session:  # type: ignore[attr-defined]
            session.execute(delete(facts_table))
            session.execute(delete(tracking_table).where(tracking_table.c.application_name == VIEW_NAME))
            score_cache.clear(session)  # the board is derived from the facts: a rebuild recomputes it too
            unreadable.clear(session)  # and the account of the events it left out
            for index in facts_table.indexes:
                index.drop(session.connection(), checkfirst=True)
        self._board = None
        self._checkpointed = None
        self._decoded = {}
        start, latest = self.position(), self.ledger.recorder.max_notification_id() or 0
        processes = refill.parallel_workers(latest - start, self.ledger.env.get("SQLALCHEMY_URL", ""), workers)
        if processes:
            batches = refill.batches_in_parallel(type(self.ledger), dict(self.ledger.env), start, latest, REBUILD_BATCH, processes)
        else:
            batches = refill.batches_here(self.ledger.recorder, self.reader, start, REBUILD_BATCH)
        processed = self._write_batches(batches, progress)
        processed += self.catch_up(progress, REBUILD_BATCH)  # what came meanwhile, or after a batch another process wrote
        self._ensure_indexes()
        return processed

    def _write_batches(self, batches: Iterable[refill.Batch], progress: Callable[[int], None] | None) -> int:
        """Write each batch in turn, in a second thread while the next is read and converted (the write is
        mostly the database's own work, during which the driver lets Python run); stop at the first batch
        another process wrote first, and say how many notifications were written."""
        processed = 0
        written: tuple[Future[None], int] | None = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="detente-view-writer") as writer:
            iterator = iter(batches)
            try:
                for batch in iterator:
                    if written is not None and not self._written(written, progress):
                        return processed
                    processed += written[1] if written is not None else 0
                    written = (writer.submit(self._write, batch.rows, batch.position, batch.after, batch.left_out), batch.read)
                if written is not None and self._written(written, progress):
                    processed += written[1]
            finally:
                close = getattr(iterator, "close", None)
                if close is not None:
                    close()  # a generator of workers stops them
        return processed

    @staticmethod
    def _written(written: tuple[Future[None], int], progress: Callable[[int], None] | None) -> bool:
        """Whether the batch was written; False if another process wrote it first."""
        try:
            written[0].result()
        except IntegrityError:
            return False
        if progress:
            progress(written[1])
        return True

    def _ensure_indexes(self) -> None:
        create_schema(self.engine, _ensure_indexes)

    # Reads ----------------------------------------------------------------------------------------

    def facts(self, pair: str, known_at: datetime | None = None, recorded_by: datetime | None = None) -> list[Fact]:
        parameters = {"pair": pair, "known": _micros_or_none(known_at), "recorded": _micros_or_none(recorded_by)}
        with self.engine.connect() as connection:
            rows = connection.execute(PAIR_QUERIES[known_at is not None, recorded_by is not None], parameters).all()
        return [read_fact(row, self.cipher) for row in rows]

    def pair_state(
        self, pair: tuple[str, str], query: Query, driver_count: int, catch_up: Callable[[], Any] | None = None
    ) -> RelationshipState:
        """`fold.relationship_state` of the pair's facts: from the pair's checkpoint (checkpoints.py) when it
        has a current one that serves the query, else by the full fold, after which a pair of at least
        `checkpoint_store.MIN_FACTS` facts gets a checkpoint for the next query (made from the facts just read,
        when the query cut none of them off). With `catch_up`, first checks on the same connection that the
        view is current (`is_current`), and calls `catch_up` if it is not."""
        from .fold import resolved_visible_facts, state_of_resolved

        key = f"{pair[0]}-{pair[1]}"
        with self.engine.connect() as connection:
            cursor = connection.connection.cursor()  # the driver's own: plain tuples, no statement compiled
            if catch_up is not None:
                cursor.execute(self._raw_currency)
                latest, tracked = cursor.fetchone()
                if latest != tracked:
                    connection.close()
                    catch_up()
                    return self.pair_state(pair, query, driver_count)
            if self._checkpointed is None:
                self._checkpointed = checkpoint_store.pairs(connection)
            row = self._checkpoint_row(connection, key) if key in self._checkpointed else None
            if row is not None:
                from . import checkpoints  # numpy: imported only for pairs large enough to have a checkpoint

                checkpoint = row if isinstance(row, checkpoints.Checkpoint) else self._remember(checkpoints.decode(row))
                latest = checkpoint_store.latest_position(connection, key)
                if latest is not None and latest > checkpoint.position:  # stale: take in the pair's new rows if it can
                    extended = checkpoints.extend(checkpoint, self._facts_after(connection, key, checkpoint.position), partial(self._facts_at, connection, key))
                    if extended is not None and extended.position == latest:
                        self._store_checkpoints([extended])
                        checkpoint = self._remember(extended)
                if checkpoint.serves(query, latest):
                    found = checkpoints.state(checkpoint, partial(self._facts_at, connection, key), query, driver_count)
                    if found is not None:
                        return found
            cut_offs = [micros for micros in (_micros_or_none(query.known_at), _micros_or_none(query.recorded_by)) if micros is not None]
            cursor.execute(self._raw_pair[query.known_at is not None, query.recorded_by is not None], (key, *cut_offs))
            rows = cursor.fetchall()
            cursor.close()
        facts = [read_fact(values, self.cipher) for values in rows]
        # The rows are read cut off as the query says (the same comparison, in microseconds) and in log order.
        state = state_of_resolved(pair, resolved_visible_facts(facts, query), query, driver_count)
        uncut = query.known_at is None and query.recorded_by is None
        if uncut and len(facts) >= checkpoint_store.MIN_FACTS and (row is None or _position_of(row) != facts[-1].position):
            self._store_checkpoint(key, facts)
        return state

    def _checkpoint_row(self, connection: Connection, pair: str) -> Any:
        """The pair's checkpoint as decoded earlier in this process when the stored one is still that one (same
        position: the same facts, so the same checkpoint), else its stored row (or None)."""
        known = self._decoded.get(pair)
        if known is not None and checkpoint_store.stored_position(connection, pair) == known.position:
            return known
        return checkpoint_store.stored_row(connection, pair)

    def _remember(self, checkpoint: Any) -> Any:
        if len(self._decoded) >= DECODED_CHECKPOINTS:
            self._decoded.pop(next(iter(self._decoded)))
        self._decoded[checkpoint.pair] = checkpoint
        return checkpoint

    def _facts_at(self, connection: Connection, pair: str, positions: Sequence[int]) -> list[Fact]:
        return [read_fact(values, self.cipher) for values in checkpoint_store.rows_at(connection, pair, positions)]

    def _store_checkpoint(self, pair: str, facts: list[Fact]) -> None:
        """Make and keep the pair's checkpoint."""
        from . import checkpoints

        checkpoint = checkpoints.make(pair, facts)
        if checkpoint is not None:
            self._store_checkpoints([checkpoint])

    def _store_checkpoints(self, made: Sequence[Any]) -> None:
        """Keep these checkpoints (checkpoints.Checkpoint); best effort, like the stored board (`_store_board`)."""
        if not made:
            return
        from . import checkpoints

        if self._checkpointed is not None:
            self._checkpointed.update(checkpoint.pair for checkpoint in made)
        try:
            with self.datastore.transaction(commit=True) as session:
                connection = session.connection()
                sqlite = connection.dialect.name == "sqlite"
                if sqlite:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout = {score_cache.BOARD_WAIT_MS}")
                try:
                    for checkpoint in made:
                        checkpoint_store.replace(session, checkpoints.encode(checkpoint))
                finally:
                    if sqlite:
                        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        except (IntegrityError, OperationalError, exc.IntegrityError, exc.OperationalError):
            pass

    def score_board(self) -> ScoreBoard:
        """Every pair's score terms (scores.py): kept in memory, stored beside the view (score_cache.py) for
        the next process, and recomputed only for the pairs with facts added since either was made."""
        from .scores import PairTerms, ScoreBoard  # numpy, imported only by those who rank

        with self.engine.connect() as connection:
            latest = connection.execute(select(func.max(facts_table.c.position))).scalar() or 0
            if self._board is not None and self._board[0] == latest:
                return self._board[1]
            start, board = self._board or score_cache.load(connection) or (None, None)
            changed: list[str] | None = None  # None: every pair
            if start == latest:
                changed = []
            elif start is not None and start < latest:
                # Without DISTINCT: with it, SQLite scans the whole table in key order instead of the
                # few rows after `start` by the position index.
                query = select(facts_table.c.pair).where(facts_table.c.position > start)
                changed = sorted({row[0] for row in connection.execute(query)})
        fresh = self._fresh_terms(changed) if changed != [] else []
        if board is None or fresh or changed is None:
            terms = board.terms() if board is not None and changed is not None else {}
            terms.update((pair_terms.pair, pair_terms) for pair_terms in fresh)
            board = ScoreBoard(terms.values())
        if start != latest:
            self._store_board(start, latest, fresh)
        self._board = (latest, board)
        return board

    def _fresh_terms(self, changed: list[str] | None) -> list[PairTerms]:
        """The terms of these pairs (None: every pair) from their facts now. A pair with a checkpoint whose
        later facts are plain rows gets them from the checkpoint extended (checkpoints.extend: only its new
        rows are read); the others are folded in full, and those of at least `checkpoint_store.MIN_FACTS`
        facts keep a checkpoint for the next time. Every checkpoint made or extended is stored."""
        from . import checkpoints
        from .scores import PairTerms

        found: list[PairTerms] = []
        made: list[checkpoints.Checkpoint] = []
        with self.engine.connect() as connection:
            for row in checkpoint_store.rows_of(connection, changed):
                checkpoint = checkpoints.decode(row)
                later = self._facts_after(connection, checkpoint.pair, checkpoint.position)
                extended = checkpoints.extend(checkpoint, later, partial(self._facts_at, connection, checkpoint.pair))
                if extended is not None:
                    found.append(PairTerms.from_segments(checkpoint.pair, checkpoints.segments(extended), extended.spells))
                    if extended is not checkpoint:
                        made.append(extended)
        done = {terms.pair for terms in found}
        remaining = [pair for pair in changed if pair not in done] if changed is not None else None
        if remaining != []:
            for pair, facts in self.all_facts(remaining):
                if pair in done:
                    continue
                checkpoint = checkpoints.make(pair, facts) if len(facts) >= checkpoint_store.MIN_FACTS else None
                if checkpoint is None:
                    found.append(PairTerms(pair, facts))
                else:
                    found.append(PairTerms.from_segments(pair, checkpoints.segments(checkpoint), checkpoint.spells))
                    made.append(checkpoint)
        self._store_checkpoints(made)
        return found

    def _facts_after(self, connection: Connection, pair: str, position: int) -> list[Fact]:
        return [read_fact(values, self.cipher) for values in checkpoint_store.rows_after(connection, pair, position)]

    def _store_board(self, start: int | None, position: int, fresh: list[PairTerms]) -> None:
        """Keep the terms for the next process. A store this process cannot write, or another process
        storing its board at the same moment, leaves the stored board as it was: it is only a cache, and
        on SQLite it waits at most BOARD_WAIT_MS for another process's write lock."""
        try:
            with self.datastore.transaction(commit=True) as session:
                connection = session.connection()
                sqlite = connection.dialect.name == "sqlite"
                if sqlite:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout = {score_cache.BOARD_WAIT_MS}")
                try:
                    score_cache.save(session, start, position, fresh)
                finally:
                    if sqlite:
                        connection.exec_driver_sql(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        except (IntegrityError, OperationalError, exc.IntegrityError, exc.OperationalError):
            pass

    def is_current(self) -> bool:
        """Whether the view has processed the whole log: one light query, for readers to skip catching up."""
        with self.engine.connect() as connection:
            latest, tracked = connection.execute(self._currency).one()
        return latest == tracked

    def all_facts(self, pairs: list[str] | None = None) -> Iterator[tuple[str, list[Fact]]]:
        """Every pair's facts, pair by pair."""
        query = select(*READ_COLUMNS)
        if pairs is not None:
            query = query.where(facts_table.c.pair.in_(pairs))
        query = query.order_by(facts_table.c.pair, facts_table.c.position)
        current: str | None = None
        batch: list[Fact] = []
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=5000).execute(query):
                if row[1] != current and batch:
                    yield current, batch  # type: ignore[misc]
                    batch = []
                current = row[1]
                batch.append(read_fact(row, self.cipher))
        if batch:
            yield current, batch  # type: ignore[misc]

    def pairs(self) -> list[str]:
        with self.engine.connect() as connection:
            return [row[0] for row in connection.execute(select(facts_table.c.pair).distinct().order_by(facts_table.c.pair))]

    def pairs_since(self, position: int) -> set[str]:
        """The pairs with facts after `position`."""
        with self.engine.connect() as connection:
            return {row[0] for row in connection.execute(select(facts_table.c.pair).where(facts_table.c.position > position))}

    def stored_pairs(self, pairs: list[str]) -> set[str]:
        """Those of the given pair keys that have at least one fact."""
        found: set[str] = set()
        with self.engine.connect() as connection:
            for start in range(0, len(pairs), 500):
                query = select(facts_table.c.pair).where(facts_table.c.pair.in_(pairs[start : start + 500])).distinct()
                found.update(row[0] for row in connection.execute(query))
            missing = [pair for pair in pairs if pair not in found]
            for start in range(0, len(missing), 500):  # a pair whose every event is unreadable exists too
                found |= unreadable.pairs_with_unreadable(connection, missing[start : start + 500])
        return found

    def left_out(self) -> int:
        """How many stored events the view leaves out as unreadable and no retraction covers."""
        with self.engine.connect() as connection:
            return unreadable.count_left_out(connection)

    def unreadable_events(self) -> list[unreadable.Entry]:
        """Every stored event the view leaves out as unreadable, in log order (see unreadable.py)."""
        with self.engine.connect() as connection:
            return unreadable.entries(connection, self.cipher)

    def count(self) -> int:
        with self.engine.connect() as connection:
            return connection.execute(select(func.count()).select_from(facts_table)).scalar_one()
