"""The view's table, and how a fact becomes one of its rows and is read back (`StoredFact`).

A row keeps what the fold filters and orders by in columns (pair, position, type, dates, code, status, the
two clocks in microseconds) and the rest (summary, sources, type-specific details) as a body: compact JSON,
compressed with the log's own dictionary (compression.py), which an encrypted store then seals with its
cipher. A code's weight and QuadClass are not stored: they are the CAMEO table's for the code, looked up as
the row is read. Rows go to the driver as tuples in the table's own column order (`WRITE_COLUMNS`).

`LAYOUT` names this layout; a view written in an earlier one (JSON text bodies, weight columns) is rebuilt
once when a writer opens the store (view.py), and until then still read.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from operator import itemgetter
from typing import Any

from eventsourcing.persistence import Cipher
from sqlalchemy import BigInteger, Column, Index, LargeBinary, MetaData, String, Table, Text, text

from detente.domain.cameo import cameo
from detente.domain.dates import PartialDate
from detente.domain.errors import DetenteError

from . import compression
from .facts import LAZY_FIELDS, Fact, fact_fields
from .readable import EventUnreadable, Reader, Unreadable

SEALED = "sealed:"


class ViewSealed(DetenteError):
    pass


EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

metadata = MetaData()
facts_table = Table(
    "detente_facts",
    metadata,
    # Keyed by (pair, position): a pair's rows are stored together (on SQLite, WITHOUT ROWID clusters the
    # table on its key), so reading one pair touches a few pages instead of rows scattered over the file.
    Column("pair", String(16), primary_key=True),
    Column("position", BigInteger, primary_key=True, autoincrement=False),
    Column("record_id", String(200), nullable=False),  # not indexed: the record index (record_index.py) finds ids
    Column("incident_id", String(200)),
    Column("type", String(32), nullable=False),
    Column("actor", String(8), nullable=False),
    Column("target", String(8), nullable=False),
    Column("occurred_on", String(10), nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_by", Text, nullable=False),  # a joint statement may name fifty states
    Column("refers_to", String(200)),
    Column("code", String(8), nullable=False),
    Column("known_us", BigInteger, nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Index("detente_facts_position", "position", unique=True),
    # Most facts belong to no incident: a partial index leaves their NULLs out (an index of NULLs ordered
    # by the key would take an insert on a random page for every fact), and `incident_id IN (...)` uses it.
    Index("detente_facts_incident", "incident_id", sqlite_where=text("incident_id IS NOT NULL"),
          postgresql_where=text("incident_id IS NOT NULL")),  # fmt: skip
    sqlite_with_rowid=False,
)
LAYOUT = "compressed bodies, no weight columns"
LEGACY_COLUMNS = ("weight", "quad_class")
"""Columns of the earlier layout: a view that has them is rebuilt in this one (view.py)."""
LEGACY_INDEXES = ("ix_detente_facts_incident_id", "ix_detente_facts_record_id")
"""Indexes of earlier versions of the table, dropped when a store is opened."""
def to_micros(moment: datetime) -> int:
    delta = (moment if moment.tzinfo is timezone.utc else moment.astimezone(timezone.utc)) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def fact_to_row(fact: Fact, cipher: Cipher | None = None) -> tuple[Any, ...]:
    """The fact as a row of `facts_table`, its values in WRITE_COLUMNS order."""
    body = BODY_ENCODER.encode({"summary": fact.summary, "sources": fact.sources, "details": fact.details})
    return (
        fact.pair, fact.position, fact.record_id, fact.incident_id, fact.type, fact.actor, fact.target,
        str(fact.occurred_on), fact.status, ";".join(fact.claimed_by), fact.refers_to, fact.code,
        to_micros(fact.known_since), to_micros(fact.recorded_at), pack(body.encode("utf-8"), cipher),
    )  # fmt: skip


BODY_ENCODER = json.JSONEncoder(check_circular=False, ensure_ascii=False, separators=(",", ":"))
"""A fact's body is plain data made here (never self-referring), so the check for cycles is skipped; compact,
and in UTF-8 rather than escapes, as the log's events are (so the same dictionary fits both)."""
SEALED_BODY = b"S"
"""The first byte of an encrypted store's body: the cipher's output follows."""


def pack(body: bytes, cipher: Cipher | None) -> bytes:
    """A body as stored: compressed, then (an encrypted store's free text stays encrypted in the view) sealed."""
    packed = compression.compress(body)
    return packed if cipher is None else SEALED_BODY + cipher.encrypt(packed)


def unpack(stored: bytes | str, cipher: Cipher | None) -> str:
    """A stored body as JSON text: this layout's bytes, or the earlier layout's text (see `unseal`)."""
    if isinstance(stored, str):
        return unseal(stored, cipher)
    stored = bytes(stored)  # psycopg gives a memoryview
    if stored[:1] == SEALED_BODY:
        if cipher is None:
            raise ViewSealed("The view is encrypted: set DETENTE_CIPHER_KEY to the key the store was written with.")
        try:
            stored = cipher.decrypt(stored[1:])
        except ValueError:
            raise ViewSealed("The view cannot be decrypted with this key: set DETENTE_CIPHER_KEY to the right key.") from None
    return compression.decompress(stored).decode("utf-8")


WRITE_COLUMNS = tuple(column.name for column in facts_table.columns)
"""The order of a row's values from `fact_to_row`: the table's own."""
PLACEHOLDERS = {"qmark": "?", "format": "%s", "pyformat": "%s"}
KEY_ORDER = itemgetter(0, 1)
"""A row's (pair, position): its key, first in WRITE_COLUMNS."""


def insert_statement(paramstyle: str) -> str:
    """One positional INSERT of a fact row, in the driver's own placeholders: rows go to the driver's
    executemany as tuples, without SQLAlchemy binding each value of each row (a third of a rebuild)."""
    mark = PLACEHOLDERS[paramstyle]
    return f"INSERT INTO {facts_table.name} ({', '.join(WRITE_COLUMNS)}) VALUES ({', '.join([mark] * len(WRITE_COLUMNS))})"


def seal(body: str, cipher: Cipher | None) -> str:
    """Text kept encrypted in an encrypted store's tables beside the view (unreadable.py's reasons and ids;
    the earlier layout's bodies), as base64 behind SEALED."""
    if cipher is None:
        return body
    return SEALED + base64.b64encode(cipher.encrypt(body.encode("utf-8"))).decode("ascii")


def unseal(body: str, cipher: Cipher | None) -> str:
    if not body.startswith(SEALED):
        return body
    if cipher is None:
        raise ViewSealed("The view is encrypted: set DETENTE_CIPHER_KEY to the key the store was written with.")
    try:
        return cipher.decrypt(base64.b64decode(body[len(SEALED) :])).decode("utf-8")
    except ValueError:
        raise ViewSealed("The view cannot be decrypted with this key: set DETENTE_CIPHER_KEY to the right key.") from None


READ_COLUMNS = (
    facts_table.c.position, facts_table.c.pair, facts_table.c.record_id, facts_table.c.type, facts_table.c.actor,
    facts_table.c.target, facts_table.c.occurred_on, facts_table.c.status, facts_table.c.claimed_by,
    facts_table.c.refers_to, facts_table.c.code, facts_table.c.known_us, facts_table.c.recorded_us,
    facts_table.c.incident_id, facts_table.c.body,
)  # fmt: skip
"""The columns the queries read, in the order `read_fact` unpacks them (plain tuples are the fast path)."""


class StoredFact(Fact):
    """A fact read back from the view. Its free text and its clocks stay encoded until first used: most facts
    are folded for their date, code and status alone, and decoding every body (zlib, JSON) and moment would
    cost more than the rest of the fold. Decoded, it equals the fact that was stored (and compares equal to
    it, as a `Fact`)."""

    def __getattr__(self, name: str) -> Any:
        """Decode a lazy field's group on first use; reached only for fields not yet set (see LAZY_FIELDS)."""
        group = LAZY_FIELDS.get(name)
        stored = self.__dict__
        encoded = stored.get(group) if group else None
        if encoded is None:
            if name in stored:  # decoded meanwhile by another thread
                return stored[name]
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        decode, raw = encoded
        stored.update(decode(raw))
        stored.pop(group, None)
        return stored[name]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fact):
            return NotImplemented
        return fact_fields(self) == fact_fields(other)

    __hash__ = Fact.__hash__


def read_fact(values: tuple[Any, ...], cipher: Cipher | None) -> Fact:
    (position, pair, record_id, type_, actor, target, occurred_on, status, claimed_by, refers_to, code,
     known_us, recorded_us, incident_id, body) = values  # fmt: skip
    if cipher is not None or (body.startswith(SEALED) if isinstance(body, str) else body[:1] == SEALED_BODY):
        body = unpack(body, cipher)  # a sealed body without its key fails here, not later
    weight, quad_class = code_terms(code)
    fact = object.__new__(StoredFact)
    object.__setattr__(fact, "__dict__", {  # a frozen dataclass refuses plain assignment
        "position": position, "pair": pair, "record_id": record_id, "type": type_, "actor": actor, "target": target,
        "occurred_on": _stored_date(occurred_on), "status": status,
        "claimed_by": tuple(claimed_by.split(";")) if claimed_by else (), "refers_to": refers_to, "code": code,
        "weight": weight, "quad_class": quad_class, "incident_id": incident_id, "denied_by": (),
        "_clocks": (_decode_clocks, (known_us, recorded_us)), "_text": (_decode_body, body),
    })  # fmt: skip
    return fact


@lru_cache(maxsize=4096)
def code_terms(code: str) -> tuple[float, int]:
    """A stored code's Goldstein weight and QuadClass (an annotation's code is empty: 0 and 0)."""
    if not code:
        return 0.0, 0
    found = cameo(code)
    return found.goldstein, int(found.quad_class)


def _decode_clocks(micros: tuple[int, int]) -> dict[str, datetime]:
    return {"known_since": from_micros(micros[0]), "recorded_at": from_micros(micros[1])}


def _decode_body(body: bytes | str) -> dict[str, Any]:
    decoded = json.loads(body if isinstance(body, str) else unpack(body, None))
    return {"summary": decoded["summary"], "sources": tuple(decoded["sources"]), "details": decoded["details"]}


@lru_cache(maxsize=65_536)
def _stored_date(text: str) -> PartialDate:
    """Dates as the view wrote them: a few thousand distinct values, each parsed once (PartialDate is immutable)."""
    return PartialDate.parse(text)


def fact_rows(reader: Reader, cipher: Cipher | None, notifications: Sequence[Any]) -> tuple[list[tuple[Any, ...]], list[Unreadable]]:
    """The view's rows of the pair events among these notifications, and the notifications that cannot be
    read (readable.py), which the view leaves out."""
    rows = []
    left_out = []
    for notification in notifications:
        try:
            fact = reader.fact(notification, notification.id)
            if fact is not None:
                rows.append(fact_to_row(fact, cipher))
        except EventUnreadable as error:
            left_out.append(reader.unreadable(notification, notification.id, error))
        except Exception as error:  # a checked fact that still does not fit a row
            left_out.append(reader.unreadable(notification, notification.id, EventUnreadable(f"{type(error).__name__}: {error}")))
    return rows, left_out
