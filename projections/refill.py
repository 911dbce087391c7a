"""Refilling the view from the log, for a rebuild: in this process, or spread over every core.

Either way the batches are written one at a time, in log order, each with its tracked position, by this
process (`FactView._write`); if another process wrote a batch first, the rest is an ordinary catch-up from
its position. What differs is who reads and converts the events:

- `refill_here`: this process reads and converts each batch while a second thread writes the one before
  (the write is mostly the database's own work, during which the driver lets Python run);
- `refill_in_parallel`: worker processes (`python -m detente.projections.refill`) read and convert
  batches side by side, each from its own connection to the same database, and send back the rows;
  this process only writes. Reading and converting is pure Python (JSON, the library's mapper, the
  facts), so threads could not share it out.
  Worth it for a large log on a machine with more than one core: starting a worker takes about half a
  second (it imports detente afresh), so smaller rebuilds stay in this process (`parallel_workers`).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import IntegrityError, MapperDeserialisationError

from detente.domain.errors import DetenteError

from .readable import Reader, Unreadable, probe_first
from .rows import fact_rows

if TYPE_CHECKING:
    from eventsourcing.application import Application

    from .view import FactView

PARALLEL_MINIMUM = 200_000
"""Notifications to process below which a rebuild stays in this process."""
WORKERS_VARIABLE = "DETENTE_REBUILD_WORKERS"
"""How many worker processes a large rebuild may use; 0 or 1 keeps it in this process. Default: one per core."""

Progress = Callable[[int], None] | None


def parallel_workers(view: FactView, pending: int) -> int:
    """How many worker processes to refill `pending` notifications with; 0 for this process alone."""
    if pending < PARALLEL_MINIMUM or _in_memory(view.ledger.env.get("SQLALCHEMY_URL", "")):
        return 0
    wanted = os.environ.get(WORKERS_VARIABLE, "")
    workers = int(wanted) if wanted.strip().isdigit() else (os.cpu_count() or 1)
    return workers if workers > 1 else 0


def _in_memory(url: str) -> bool:
    """An in-memory SQLite database, which another process cannot open."""
    return url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") in ("sqlite:", "sqlite+pysqlite:") or "mode=memory" in url)


def refill_here(view: FactView, progress: Progress, batch: int) -> int:
    processed, start = 0, view.position()
    recorder = view.ledger.recorder
    written: tuple[Future[None], int] | None = None
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="detente-view-writer") as writer:
        while True:
            notifications = recorder.select_notifications(start=start, limit=batch, inclusive_of_start=False)
            rows, left_out = fact_rows(view.reader, view.cipher, notifications)
            if written is not None:
                try:
                    written[0].result()
                except IntegrityError:
                    return processed + view.catch_up(progress, batch)
                processed += written[1]
                if progress:
                    progress(written[1])
            if not notifications:
                return processed
            written = (writer.submit(view._write, rows, notifications[-1].id, start, left_out), len(notifications))
            start = notifications[-1].id


def refill_in_parallel(view: FactView, progress: Progress, batch: int, workers: int) -> int:
    """Batches of at most `batch` notifications up to the log's end as it is now, converted by `workers`
    processes, batch k by worker k mod `workers`; then a catch-up for whatever came meanwhile. A worker
    holds at most the batch it is sending and the one it is converting."""
    start, latest = view.position(), view.ledger.recorder.max_notification_id() or 0
    bounds = [*range(start, latest, batch), latest]
    spans = list(zip(bounds, bounds[1:]))
    processed = 0
    pool = [_Worker(type(view.ledger), dict(view.ledger.env)) for _ in range(min(workers, len(spans)))]
    ahead = 2 * len(pool)  # batches asked for and not yet answered: each worker's next one is queued
    try:
        for number, span in enumerate(spans[:ahead]):
            pool[number % len(pool)].ask(*span)
        for number, (after, stop) in enumerate(spans):
            worker = pool[number % len(pool)]
            rows, read, left_out = worker.answer()
            if number + ahead < len(spans):
                worker.ask(*spans[number + ahead])
            try:
                view._write(rows, stop, after, left_out)
            except IntegrityError:
                return processed + view.catch_up(progress, batch)
            processed += read
            if progress and read:
                progress(read)
    finally:
        for worker in pool:
            worker.stop()
    return processed + view.catch_up(progress, batch)


class RefillFailed(DetenteError):
    pass


class _Worker:
    """A Python process running this module: it opens the ledger, then answers each (start, stop) asked on
    its stdin with the rows of those notifications on its stdout, as pickles. A fresh interpreter (not
    multiprocessing's spawn, which would run the caller's own unguarded script again; not fork, which
    would copy the caller's threads and connections)."""

    def __init__(self, ledger_class: type[Application[Any]], env: dict[str, str]) -> None:
        child_env = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=child_env
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests, self.answers = self.process.stdin, self.process.stdout
        self._send((ledger_class, env))

    def ask(self, start: int, stop: int) -> None:
        self._send((start, stop))

    def answer(self) -> tuple[list[tuple[Any, ...]], int, list[Unreadable]]:
        """The rows of the batch asked for, how many notifications it read, and those it left out."""
        try:
            outcome = pickle.load(self.answers)
        except EOFError:
            raise RefillFailed(f"A rebuild worker stopped (exit status {self.process.wait()}); run the rebuild again.") from None
        if isinstance(outcome, str):
            raise RefillFailed(f"A rebuild worker failed; run the rebuild again. Its error:\n{outcome}")
        if isinstance(outcome, MapperDeserialisationError):
            raise outcome  # the store cannot be decrypted with this key: the caller says so
        return outcome  # type: ignore[no-any-return]

    def _send(self, message: Any) -> None:
        pickle.dump(message, self.requests, protocol=pickle.HIGHEST_PROTOCOL)
        self.requests.flush()

    def stop(self) -> None:
        """End of requests, and of answers: a worker still sending one (the rebuild stopped early) is not
        left blocked on a full pipe; either way it exits."""
        for stream in (self.requests, self.answers):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# In each worker process ---------------------------------------------------------------------------------


def _serve() -> None:
    """Answer (start, stop) requests until stdin ends; an error is sent back as its traceback."""
    import gc
    import traceback

    from detente.projections.gc_pace import BULK_THRESHOLDS

    requests, answers = sys.stdin.buffer, os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    sys.stdout = sys.stderr  # nothing printed may reach the stream of answers
    gc.set_threshold(*BULK_THRESHOLDS)  # the pace the rebuild keeps in the process that started it
    ledger: Application[Any] | None = None
    reader: Reader | None = None
    while True:
        try:
            request = pickle.load(requests)
        except EOFError:
            return
        try:
            if ledger is None:
                ledger_class, env = request
                ledger = ledger_class(env=env)
                reader = Reader(ledger.mapper, probe_first(ledger.recorder))
                continue
            assert reader is not None
            start, stop = request
            notifications = ledger.recorder.select_notifications(start=start, stop=stop, limit=stop - start, inclusive_of_start=False)
            rows, left_out = fact_rows(reader, ledger.mapper.cipher, notifications)
            outcome: Any = (rows, len(notifications), left_out)
        except MapperDeserialisationError as error:
            outcome = MapperDeserialisationError(str(error))
        except Exception:
            outcome = traceback.format_exc()
        try:
            pickle.dump(outcome, answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
        except BrokenPipeError:
            return  # the rebuild stopped and no longer reads: nothing to report


if __name__ == "__main__":
    _serve()
