"""The service layer: record, import and read, over the event store and its view.

`Detente` is what the CLI and notebooks talk to. It turns interchange records into pair events (fanning a
multi-party record out to every pair, in one atomic save), enforces the domain's rules through the
aggregates, and keeps the view caught up before it answers.

Over 250 lines: recording, importing and reading still share `Detente` and its cache of aggregates.
Splitting the recording side (batches, aggregate cache, record index) from the reading side is the next
step of issue 14 §4, not done piecemeal while the import path was being rewritten for speed (issue 15).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, TypeVar

from eventsourcing.persistence import DataError, IntegrityError, MapperDeserialisationError
from sqlalchemy.exc import DataError as SQLAlchemyDataError

from detente import retry
from detente.projections.gc_pace import relaxed_collection
from detente.domain.actors import Actor
from detente.domain.errors import DetenteError, DuplicateEventId
from detente.domain.events import EventRetracted, PairEvent
from detente.domain.digests import assertion_digest
from detente.domain.fanout import Part, fan_out
from detente.domain.relationship import Held, Relationship, ordered_pair, pair_key
from detente.interchange.limits import KEPT_REJECTIONS, clipped_message
from detente.interchange.records import Record, event_to_row, parse_record
from detente.projections.view import FactView
from detente.record_index import Claim, Located, RecordIndex
from detente.retry import WriteConflict  # noqa: F401  (raised here before it had a module)
from detente.repeats import ActIndex
from detente.settings import CIPHER_KEY_VARIABLE, database_url, rebuild_workers
from detente.store import Ledger, open_ledger

_T = TypeVar("_T")

DEFAULT_BATCH = 5000
"""Records per transaction in an import. Larger batches put more of each pair's new facts on the same
pages of the view (it is clustered by pair) and pay the per-batch lookups less often: 200,000 GDELT rows
imported at 5,259 rows/s in batches of 1,000 and 6,073 in batches of 5,000, while the library's bare append
was as fast either way. An interruption loses at most the batch being written; re-running completes it."""
CACHED_PAIRS = 32_768
CACHED_RECORDS = 500_000
"""Pair aggregates kept in memory between batches, least recently used forgotten first, up to this many
pairs (every pair of states fits) and this many record ids held in them (each costs a few hundred
bytes). Reloading a forgotten pair reads its snapshot and the events since from the log."""


class StoreUnreadable(DetenteError):
    pass


@dataclass
class ImportOutcome:
    added: int = 0
    duplicates: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    """The first `KEPT_REJECTIONS` rejected rows (line number, message clipped); `more_rejected` counts the rest."""
    events: int = 0
    committed: bool = True
    more_rejected: int = 0

    @property
    def read(self) -> int:
        return self.added + self.duplicates + self.rejected_count

    @property
    def rejected_count(self) -> int:
        return len(self.rejected) + self.more_rejected

    def reject(self, number: int, message: str) -> None:
        """Note a rejected row; memory stays bounded however many rows a file gets wrong."""
        if len(self.rejected) < KEPT_REJECTIONS:
            self.rejected.append((number, clipped_message(message)))
        else:
            self.more_rejected += 1


class Detente:
    """One store: its event log (SQLite by default, PostgreSQL by URL) and its projections."""

    def __init__(self, url: str | None = None, cipher_key: str | None = None, *, create: bool = True) -> None:
        """Open the store at `url`; without `create`, only an existing store, adding nothing to it."""
        self.url = database_url(url)
        key = cipher_key if cipher_key is not None else os.environ.get(CIPHER_KEY_VARIABLE)
        self.ledger: Ledger = open_ledger(self.url, key or None, create=create)
        self.view = FactView(self.ledger)
        self.index = RecordIndex(self.ledger.recorder.datastore, self.view.tracking)  # type: ignore[attr-defined]
        if create:
            self.index.ensure()  # with the other tables: a writer never finds it missing under the log's lock
        self._index_complete = False
        self._aggregates: dict[str, Relationship] = {}
        self._saved_pairs: set[str] = set()
        self._seen: int | None = None  # the log's end when this process last saved under its lock
        self._acts = ActIndex()
        self.same_acts: list[tuple[str, str]] = []
        """(new id, earlier id) of each curated record stored that asserts an act already recorded under
        another id (`Relationship.same_act`): it is counted twice. Callers warn of them and may clear the list.
        Imported dataset rows (with provenance) are left out: they repeat acts by design."""

    def close(self) -> None:
        self.ledger.close()

    def __enter__(self) -> Detente:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Writing --------------------------------------------------------------------------------------

    def record(self, raw: dict[str, Any] | Record) -> list[str]:
        """Record one interchange record; returns the ids of the events it added (none if already there)."""
        record = raw if isinstance(raw, Record) else parse_record(raw)
        self.refresh()
        self._complete_index()
        added, _ = self._retrying(lambda: self._record_batch([record], raise_errors=True, local={}, follow=True))
        self.refresh()
        return added

    def import_lines(
        self,
        lines: Iterable[tuple[int, dict[str, Any] | DetenteError]],
        *,
        strict: bool = False,
        batch_size: int = DEFAULT_BATCH,
        progress: Callable[[int], None] | None = None,
    ) -> ImportOutcome:
        """Import raw records; each batch is one transaction. With `strict`, one bad record stores nothing."""
        with relaxed_collection():
            return self._import_lines(lines, strict=strict, batch_size=batch_size, progress=progress)

    def _import_lines(
        self,
        lines: Iterable[tuple[int, dict[str, Any] | DetenteError]],
        *,
        strict: bool,
        batch_size: int,
        progress: Callable[[int], None] | None,
    ) -> ImportOutcome:
        outcome = ImportOutcome()
        repeated = len(self.same_acts)
        local: dict[str, list[Located]] = {}
        self.refresh()
        self._complete_index()  # outside the log's lock: filling it catches the view up first
        # A strict import is one transaction; it takes the log's write lock before it reads, so that no
        # other writer's save can come between what it checks and what it saves.
        transaction = self._locked_log() if strict else nullcontext()
        try:
            with transaction:
                for batch in _batches(lines, batch_size):
                    self._import_batch(batch, outcome, local if strict else {}, follow=not strict)
                    if progress:
                        progress(len(batch))
                    if not strict:
                        self.refresh()
                if strict and outcome.rejected_count:
                    raise _RollBack()
        except _RollBack:
            del self.same_acts[repeated:]
            outcome.committed = False
            outcome.added = 0
            outcome.events = 0
            self._aggregates.clear()
        except BaseException:
            # Interrupted (Ctrl-C, a failing progress callback, a lost connection): what was saved stays
            # saved, but cached aggregates may hold events that were never saved or were rolled back.
            self._aggregates.clear()
            raise
        self.refresh()
        return outcome

    def _import_batch(
        self, batch: list[tuple[int, Any]], outcome: ImportOutcome, local: dict[str, list[Located]], *, follow: bool
    ) -> None:
        records: list[tuple[int, Record]] = []
        for number, raw in batch:
            if isinstance(raw, DetenteError):
                outcome.reject(number, str(raw))
                continue
            try:
                records.append((number, raw if isinstance(raw, Record) else parse_record(raw)))
            except DetenteError as error:
                outcome.reject(number, str(error))
        try:
            batch_records = [record for _, record in records]
            if follow:  # each batch its own transactions: one that collided can be tried again
                added, results = self._record_isolating(batch_records)
            else:
                added, results = self._record_batch(batch_records, raise_errors=False, local=local, follow=False)
        except IntegrityError:
            self._aggregates.clear()
            raise WriteConflict(
                "Another process wrote to the same pairs during this import; nothing of this batch was "
                "stored. Run the import again: records already stored are skipped."
            ) from None
        outcome.events += len(added)
        for (number, _), result in zip(records, results):
            if result == "added":
                outcome.added += 1
            elif result == "duplicate":
                outcome.duplicates += 1
            else:
                outcome.reject(number, result)

    def _record_isolating(self, records: list[Record]) -> tuple[list[str], list[str]]:
        """Record a batch in its own transaction, retried if it meets another writer (`_retrying`). A batch
        the database refuses as a whole (a value the domain's checks let through and a column cannot hold)
        is split in halves until the refused records stand alone: each is then reported on its own line
        and the rest are stored. (A strict import's one transaction is rolled back whole by one refusal.)"""
        try:
            return self._retrying(lambda: self._record_batch(records, raise_errors=False, local={}, follow=True))
        except (DataError, SQLAlchemyDataError) as error:
            self._aggregates.clear()
            self._seen = None
            if len(records) == 1:
                detail = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
                return [], [f"the database refused this record ({detail}); check its text fields and ids"]
        half = len(records) // 2
        first_added, first_results = self._record_isolating(records[:half])
        second_added, second_results = self._record_isolating(records[half:])
        return first_added + second_added, first_results + second_results

    def _record_batch(
        self, records: list[Record], *, raise_errors: bool, local: dict[str, list[Located]], follow: bool
    ) -> tuple[list[str], list[str]]:
        """Check and record a batch; returns (event ids added, per record: 'added', 'duplicate' or an error).

        `local` maps the ids recorded earlier in the same import (not yet in the view) to their parts.
        With `follow` (not inside a strict import's transaction), the view takes the saved events as they
        are, rather than reading them back from the log."""
        today = datetime.now(timezone.utc).date()
        known = self.index.locate(sorted({r.id for r in records} | {r.refers_to for r in records if r.refers_to}))
        touched: dict[str, Relationship] = {}
        added: list[str] = []
        results: list[str] = []
        claimed: list[Claim] = []
        repeats: list[tuple[str, str]] = []
        self._open_new_pairs(records)
        for record in records:
            kind = record.event_class.TYPE
            try:
                parts = self._parts(record, known, local)
                asserted = {p.record_id: _fields(record, p, len(parts)) for p in parts}
                digests = {name: assertion_digest(record.event_class, values) for name, values in asserted.items()}
                fresh = self._check_parts(record, parts, asserted, known, local, today)
                for part in fresh:  # each checked again as it is recorded: all or none of a record's parts
                    aggregate = self._aggregate(part.actor, part.target)
                    fields = asserted[part.record_id]
                    elsewhere = _held(record, part, known, local)
                    aggregate.record(record.event_class, today=today, elsewhere=elsewhere, **fields)
                    same = self._acts.same_act(aggregate, record.event_class, fields)
                    if same is not None:
                        repeats.append((part.record_id, same))
                    touched[part.pair] = aggregate
                    added.append(part.record_id)
            except DetenteError as error:
                if raise_errors:
                    raise
                results.append(str(error))
                continue
            if not fresh:
                results.append("duplicate")
                continue
            located = [Located(p.pair, p.record_id, p.actor.code, p.target.code, kind, digests[p.record_id]) for p in parts]
            incident = record.incident or (record.id if len(parts) > 1 else None)
            claimed.extend((p.record_id, p.pair, p.actor.code, p.target.code, incident, kind, digests[p.record_id]) for p in fresh)
            if len(parts) > 1 and len(fresh) == len(parts):
                claimed.append((record.id, None, None, None, None, None, None))
            local[record.id] = located
            for item in located:
                local.setdefault(item.record_id, [item])
            results.append("added")
        if touched:
            try:
                with self.ledger.recorder.datastore.transaction(commit=True):  # type: ignore[attr-defined]
                    recordings = self.ledger.save(*touched.values())
                    self.index.claim(claimed)
                    followed = follow and self.view.follow(recordings)  # one commit for events and view
            except Exception:
                self._aggregates.clear()
                raise
            self._saved_pairs.update(touched)
            self.same_acts.extend(repeats)
            if follow and not followed:
                self.view.catch_up()
        self._trim_cache()
        return added, results

    def _retrying(self, write: Callable[[], _T]) -> _T:
        """Write a batch; if another process wrote the same pairs meanwhile, forget what was read and
        write it again, checked afresh from the log (retry.py)."""
        return retry.write_with_retries(write, before_retry=self._forget_unsaved, exclusively=self._exclusively)

    def _forget_unsaved(self) -> None:
        self._aggregates.clear()
        self._seen = None
        self.refresh()

    @contextmanager
    def _exclusively(self) -> Iterator[None]:
        """A transaction holding the log's write lock, in which the view (read on other connections) is
        as current as the log, and no cached pair is older than the log."""
        with self._locked_log():
            if not self.view.is_current():
                raise retry.ViewBehind()
            if self._seen is None:  # what is cached was read outside this lock (or nothing is)
                self._aggregates.clear()
            elif self.view.position() != self._seen:  # others saved since this one did
                self._bring_forward(self.view.pairs_since(self._seen))
            yield
            self._seen = self.view.position()

    def _bring_forward(self, pairs: set[str]) -> None:
        """Apply to the cached aggregates of these pairs the events saved since they were cached (cheaper
        than loading them again from their snapshots); forget those that hold unsaved events."""
        for pair in pairs & self._aggregates.keys():
            aggregate = self._aggregates[pair]
            if aggregate.pending_events:
                del self._aggregates[pair]
                continue
            for event in self.ledger.events.get(aggregate.id, gt=aggregate.version):
                event.mutate(aggregate)

    def _locked_log(self) -> AbstractContextManager[Any]:
        return retry.log_locked(self.ledger.recorder.datastore, self.ledger.recorder.events_table_name)  # type: ignore[attr-defined]

    def _parts(self, record: Record, known: dict[str, list[Located]], local: dict[str, list[Located]]) -> list[Part]:
        """The pair events a record stands for (`domain.fanout`), its reference looked up in this import
        first, then in the record index."""
        referenced = (local.get(record.refers_to) or known.get(record.refers_to) or []) if record.refers_to else []
        return fan_out(record.id, record.actors, record.targets, record.refers_to, referenced)

    def _check_parts(
        self,
        record: Record,
        parts: list[Part],
        asserted: dict[str, dict[str, Any]],
        known: dict[str, list[Located]],
        local: dict[str, list[Located]],
        today: date,
    ) -> list[Part]:
        """The parts not yet recorded. A record of several parts has each checked against its pair's rules
        here, before any is recorded; a single part is checked by `Relationship.record` as it is recorded."""
        pairs = {p.pair for p in parts}
        elsewhere = [item for item in known.get(record.id, []) + local.get(record.id, []) if item.pair not in pairs]
        if elsewhere:
            raise DuplicateEventId(record.id, f"a record of {elsewhere[0].pair}")
        fresh = []
        for part in parts:
            aggregate = self._aggregate(part.actor, part.target)
            elsewhere = _held(record, part, known, local)
            if aggregate.has(part.record_id, elsewhere):
                aggregate.check_same_assertion(record.event_class, asserted[part.record_id], elsewhere)
            else:
                fresh.append(part)
        if len(fresh) > 1:
            for part in fresh:
                aggregate = self._aggregate(part.actor, part.target)
                elsewhere = _held(record, part, known, local)
                aggregate.check(record.event_class, today=today, elsewhere=elsewhere, **asserted[part.record_id])
        return fresh

    def _complete_index(self) -> None:
        """Fill the record index of a store written before it existed (once, from the caught-up view)."""
        if not self._index_complete:
            self.view.catch_up()
            replayed: dict[Any, Relationship | None] = {}
            self.index.complete(
                self.view,
                lambda: self._described_records(replayed),
                lambda connection: self.ledger.write_snapshots(connection, replayed),
            )
            self._index_complete = True

    def _described_records(self, replayed: dict[Any, Relationship | None]) -> Iterator[tuple[str, str, str, int]]:
        """(pair, record id, type, digest) of every readable pair event in the log, in log order; meanwhile
        each pair replayed whole into `replayed` (None for a pair with an event that could not be read or
        replayed). A store written before dataset rows were left out of the aggregates gets, from these,
        a snapshot of each pair as this version keeps it (`Ledger.write_snapshots`): its old snapshots
        carry every record id the pair held, and would be read whole each time the pair is loaded."""
        start = 0
        try:
            while notifications := self.ledger.recorder.select_notifications(start=start, limit=1000, inclusive_of_start=False):
                for stored in notifications:
                    pair_id = stored.originator_id
                    try:
                        event = self.ledger.reader.event(stored)
                        if pair_id in replayed or isinstance(event, Relationship.Created):
                            aggregate = replayed.get(pair_id)
                            if aggregate is not None or pair_id not in replayed:
                                replayed[pair_id] = event.mutate(aggregate)
                    except Exception:  # unreadable, or not replayable in this order
                        replayed[pair_id] = None
                        continue
                    if isinstance(event, PairEvent):
                        yield pair_key(event.actor, event.target), event.record_id, event.TYPE, assertion_digest(type(event), vars(event))
                start = notifications[-1].id
        except MapperDeserialisationError as error:
            raise StoreUnreadable(_unreadable(self.ledger)) from error

    def _aggregate(self, a: Actor, b: Actor) -> Relationship:
        key = pair_key(a, b)
        aggregate = self._aggregates.pop(key, None)
        if aggregate is None:
            aggregate = self.ledger.relationship(a, b) or Relationship.open(a, b)
        self._keep(key, aggregate)
        return aggregate

    def _keep(self, key: str, aggregate: Relationship) -> None:
        """Cache an aggregate as the most recently used."""
        self._aggregates[key] = aggregate

    def _trim_cache(self) -> None:
        """Forget the least recently used aggregates beyond CACHED_PAIRS and CACHED_RECORDS."""
        held = sum(len(aggregate.kinds) for aggregate in self._aggregates.values())
        while len(self._aggregates) > 1 and (len(self._aggregates) > CACHED_PAIRS or held > CACHED_RECORDS):
            held -= len(self._aggregates.pop(next(iter(self._aggregates))).kinds)
        self._acts.forget_all_but(self._aggregates)

    def _open_new_pairs(self, records: list[Record]) -> None:
        """Open the batch's pairs that the store does not hold yet, without reading the log for each, and
        load those it holds that are not cached, together (`Ledger.relationships`).

        A pair is held if the view (caught up before the batch) has a fact of it, or if this store saved
        it since (within a strict import, before the view catches up)."""
        wanted: dict[str, tuple[Actor, Actor]] = {}
        for record in records:
            for actor, target in record.pairs():
                key = pair_key(actor, target)
                if key not in self._aggregates:
                    wanted[key] = (actor, target)
        if not wanted:
            return
        held = self.view.stored_pairs(list(wanted)) | (self._saved_pairs & wanted.keys())
        for key, (actor, target) in wanted.items():
            if key not in held:
                self._keep(key, Relationship.open(actor, target))
        loaded = self.ledger.relationships([pair for key, pair in wanted.items() if key in held])
        for key, aggregate in loaded.items():
            self._keep(key, aggregate)

    def save_pair(self, aggregate: Relationship) -> None:
        """Save one pair's new events, made outside `record` (the doctor's retractions), with their ids
        claimed in the record index, and catch up."""
        self._aggregates.pop(aggregate.key, None)  # a cached copy would not hold them
        self._complete_index()
        with self.ledger.recorder.datastore.transaction(commit=True):  # type: ignore[attr-defined]
            recordings = self.ledger.save(aggregate)
            self.index.claim(
                (
                    event.record_id, aggregate.key, event.actor.code, event.target.code, event.incident_id,
                    event.TYPE, assertion_digest(type(event), vars(event)),
                )
                for event in (recording.domain_event for recording in recordings)
                if isinstance(event, PairEvent)
            )  # fmt: skip
        self._saved_pairs.add(aggregate.key)
        self.refresh()

    def refresh(self, progress: Callable[[int], None] | None = None) -> int:
        """Bring the view up to date with the log."""
        try:
            return self.view.catch_up(progress)
        except MapperDeserialisationError as error:
            raise StoreUnreadable(_unreadable(self.ledger)) from error

    def rebuild(self, progress: Callable[[int], None] | None = None) -> int:
        try:
            with relaxed_collection():
                return self.view.rebuild(progress, rebuild_workers())
        except MapperDeserialisationError as error:
            raise StoreUnreadable(_unreadable(self.ledger)) from error

    # Reading --------------------------------------------------------------------------------------

    def events(self, a: Actor | str, b: Actor | str) -> list[PairEvent]:
        """The pair's events in real-world date order (then recording order)."""
        first, second = ordered_pair(Actor.resolve(a), Actor.resolve(b))
        try:
            stored = self.ledger.pair_events(first, second)
        except MapperDeserialisationError as error:
            raise StoreUnreadable(_unreadable(self.ledger)) from error
        return sorted(stored, key=lambda event: (event.occurred_on.first_day, event.originator_version))

    def export_rows(self, pair: tuple[Actor | str, Actor | str] | None = None) -> Iterator[dict[str, Any]]:
        """Every readable stored event in the interchange form, in log order (what `import` reads back).

        An unreadable event is left out (see `left_out`), and so is a retraction of one: it would refer to
        a record the export does not hold."""
        self.refresh()
        retracting = {(entry.pair, entry.reference) for entry in self.view.unreadable_events()}
        for event in self._stored_pair_events(pair):
            if isinstance(event, EventRetracted) and (pair_key(event.actor, event.target), event.refers_to) in retracting:
                continue
            yield event_to_row(event)

    def _stored_pair_events(self, pair: tuple[Actor | str, Actor | str] | None) -> Iterator[PairEvent]:
        try:
            if pair is not None:
                yield from self.ledger.pair_events(*ordered_pair(Actor.resolve(pair[0]), Actor.resolve(pair[1])))
                return
            start = 0
            while notifications := self.ledger.recorder.select_notifications(start=start, limit=1000, inclusive_of_start=False):
                for event in self.ledger.reader.events(notifications):
                    if isinstance(event, PairEvent):
                        yield event
                start = notifications[-1].id
        except MapperDeserialisationError as error:
            raise StoreUnreadable(_unreadable(self.ledger)) from error

    def left_out(self) -> int:
        """How many stored events every answer leaves out because they cannot be read (and no retraction
        covers them): `detente doctor` lists them."""
        if not self.view.is_current():
            self.refresh()
        return self.view.left_out()


class _RollBack(Exception):
    pass


def _batches(lines: Iterable[tuple[int, Any]], size: int) -> Iterator[list[tuple[int, Any]]]:
    batch: list[tuple[int, Any]] = []
    for line in lines:
        batch.append(line)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _held(record: Record, part: Part, known: dict[str, list[Located]], local: dict[str, list[Located]]) -> dict[str, Held]:
    """What the record index (and this import, before it is claimed there) holds of the ids a part's checks
    ask about in its pair: its own id and the one it refers to (the aggregate keeps no dataset rows)."""
    held: dict[str, Held] = {}
    for name in (record.id, record.refers_to):
        if name is None:
            continue
        for item in [*known.get(name, ()), *local.get(name, ())]:
            if item.pair == part.pair and item.record_id in (part.record_id, part.refers_to):
                held[item.record_id] = Held(item.kind or "unreadable", item.digest)
    return held


def _fields(record: Record, part: Part, part_count: int) -> dict[str, Any]:
    return {
        "record_id": part.record_id,
        "actor": part.actor,
        "target": part.target,
        "occurred_on": record.occurred_on,
        "incident_id": record.incident or (record.id if part_count > 1 else None),
        "status": record.status,
        "claimed_by": record.claimed_by,
        "sources": record.sources,
        "summary": record.summary,
        "refers_to": part.refers_to,
        **record.specific,
    }


def _unreadable(ledger: Ledger) -> str:
    if ledger.mapper.cipher is None:
        return (
            "The stored events cannot be read: the store looks encrypted. Set DETENTE_CIPHER_KEY to the key "
            "it was written with."
        )
    return (
        "The stored events cannot be decrypted with this key: set DETENTE_CIPHER_KEY to the key the store "
        "was written with."
    )
