"""Reading and converting the log into the view's rows, batch by batch, for a rebuild: in this process, or
spread over worker processes. Nothing here writes: each batch is yielded, converted, to the view (view.py),
which writes the batches one at a time in log order, each with its tracked position.

- `batches_here`: this process reads and converts each batch;
- `batches_in_parallel`: worker processes (`python -m detente.projections.refill`) read and convert batches
  side by side, each from its own connection to the same database, and send back the rows, so the process
  that writes does nothing else. Reading and converting is pure Python (zlib, JSON, the library's mapper,
  the facts' columns), so threads could not share it out. Worth it for a large log on a machine with more than one
  core: starting a worker takes about half a second (it imports detente afresh), so smaller rebuilds stay
  in one process (`parallel_workers`).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from typing import Any, NamedTuple

from eventsourcing.persistence import MapperDeserialisationError

from detente.domain.errors import DetenteError

from .readable import Reader, Unreadable, probe_first
from .rows import fact_rows

PARALLEL_MINIMUM = 200_000
"""Notifications to process below which a rebuild stays in this process."""


class Batch(NamedTuple):
    """The view's rows of the notifications after position `after` up to `position`, those of them left out
    as unreadable, and how many notifications were read."""

    after: int
    position: int
    rows: list[tuple[Any, ...]]
    left_out: list[Unreadable]
    read: int


def parallel_workers(pending: int, url: str, wanted: int | None) -> int:
    """How many worker processes to refill `pending` notifications of the store at `url` with, given the
    number `wanted` (None: one per core); 0 for this process alone."""
    if pending < PARALLEL_MINIMUM or _in_memory(url):
        return 0
    workers = (os.cpu_count() or 1) if wanted is None else wanted
    return workers if workers > 1 else 0


def _in_memory(url: str) -> bool:
    """An in-memory SQLite database, which another process cannot open."""
    return url.startswith("sqlite") and (":memory:" in url or url.rstrip("/") in ("sqlite:", "sqlite+pysqlite:") or "mode=memory" in url)


def batches_here(recorder: Any, reader: Reader, start: int, size: int) -> Iterator[Batch]:
    """Batches of at most `size` notifications after `start`, to the end of the log."""
    while notifications := recorder.select_notifications(start=start, limit=size, inclusive_of_start=False):
        rows, left_out = fact_rows(reader, notifications)
        yield Batch(start, notifications[-1].id, rows, left_out, len(notifications))
        start = notifications[-1].id


def batches_in_parallel(ledger_class: type, env: dict[str, str], start: int, latest: int, size: int, workers: int) -> Iterator[Batch]:
    """Batches of at most `size` notifications from `start` up to `latest`, converted by `workers`
    processes, batch k by worker k mod `workers`. A worker holds at most the batch it is sending and the
    one it is converting; the workers stop when the iteration ends, however it ends."""
    bounds = [*range(start, latest, size), latest]
    spans = list(zip(bounds, bounds[1:]))
    if not spans:
        return
    pool = [_Worker(ledger_class, env) for _ in range(min(workers, len(spans)))]
    ahead = 2 * len(pool)  # batches asked for and not yet answered: each worker's next one is queued
    try:
        for number, span in enumerate(spans[:ahead]):
            pool[number % len(pool)].ask(*span)
        for number, (after, stop) in enumerate(spans):
            worker = pool[number % len(pool)]
            rows, read, left_out = worker.answer()
            if number + ahead < len(spans):
                worker.ask(*spans[number + ahead])
            yield Batch(after, stop, rows, left_out, read)
    finally:
        for worker in pool:
            worker.stop()


class RefillFailed(DetenteError):
    pass


class _Worker:
    """A Python process running this module: it opens the ledger, then answers each (start, stop) asked on
    its stdin with the rows of those notifications on its stdout, as pickles. A fresh interpreter (not
    multiprocessing's spawn, which would run the caller's own unguarded script again; not fork, which
    would copy the caller's threads and connections)."""

    def __init__(self, ledger_class: type, env: dict[str, str]) -> None:
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
    ledger: Any = None
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
            rows, left_out = fact_rows(reader, notifications)
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
