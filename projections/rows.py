"""The view's table, and how a fact becomes one of its rows and is read back (`StoredFact`).

A row keeps what the fold filters and orders by in columns (pair, position, type, dates, code, status, the
two clocks in microseconds), and as its body the stored event itself, the bytes the log holds (compressed,
compression.py, and encrypted in an encrypted store): the free text (summary, sources, type-specific details)
is decoded from it, with the store's own mapper settings, when first asked for (`StoredFact`). Nothing is
encoded twice, so a rebuild or a save turns an event into its row without writing any JSON, and the row is
little larger than its compressed event. A code's weight and QuadClass are not stored: they are the CAMEO
table's for the code, looked up as the row is read. Rows go to the driver as tuples in the table's column
order (`WRITE_COLUMNS`).

A view of the earlier layout (LEGACY_COLUMNS: JSON text bodies, weight columns) is refilled in this one when
the store is opened (view.py); until then (a read-only file) its rows still read.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from operator import itemgetter
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Cipher, StoredEvent
from sqlalchemy import BigInteger, Column, Index, LargeBinary, MetaData, String, Table, Text, text

from detente.domain.cameo import cameo
from detente.domain.dates import PartialDate
from detente.domain.errors import DetenteError
from detente.domain.events import EVENT_TYPES

from . import compression
from .facts import LAZY_FIELDS, Fact, fact_fields, fact_text
from .readable import EventUnreadable, Reader, Unreadable
from .transcodings import stored_event_mapper

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
LEGACY_COLUMNS = ("weight", "quad_class")
"""Columns of the earlier layout: a view that has them is rebuilt in this one (view.py)."""
LEGACY_INDEXES = ("ix_detente_facts_incident_id", "ix_detente_facts_record_id")
"""Indexes of earlier versions of the table, dropped when a store is opened."""


def to_micros(moment: datetime) -> int:
    delta = (moment if moment.tzinfo is timezone.utc else moment.astimezone(timezone.utc)) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def row_of(fields: dict[str, Any], state: bytes) -> tuple[Any, ...]:
    """The row of a fact given by its columns (`facts.fact_columns`) and its stored event's state, its values
    in WRITE_COLUMNS order."""
    f = fields
    return (
        f["pair"], f["position"], f["record_id"], f["incident_id"], f["type"], f["actor"], f["target"],
        str(f["occurred_on"]), f["status"], ";".join(f["claimed_by"]), f["refers_to"], f["code"],
        to_micros(f["known_since"]), to_micros(f["recorded_at"]), body_of(state),
    )  # fmt: skip


def body_of(state: bytes) -> bytes:
    """A row's body: the stored state as it is, or compressed if an earlier version stored it plain (JSON)."""
    return compression.compress(state) if state[:1] == b"{" else state


WRITE_COLUMNS = tuple(column.name for column in facts_table.columns)
"""The order of a row's values from `row_of`: the table's own."""
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
    the earlier layout's JSON bodies), as base64 behind SEALED."""
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
    if isinstance(body, str):  # the earlier layout's JSON text, sealed in an encrypted store
        text_of = (_decode_json_body, unseal(body, cipher))  # a sealed body without its key fails here, not later
    else:
        text_of = (_decode_stored_event, (body, type_, cipher))
    weight, quad_class = code_terms(code)
    fact = object.__new__(StoredFact)
    object.__setattr__(fact, "__dict__", {  # a frozen dataclass refuses plain assignment
        "position": position, "pair": pair, "record_id": record_id, "type": type_, "actor": actor, "target": target,
        "occurred_on": _stored_date(occurred_on), "status": status,
        "claimed_by": tuple(claimed_by.split(";")) if claimed_by else (), "refers_to": refers_to, "code": code,
        "weight": weight, "quad_class": quad_class, "incident_id": incident_id, "denied_by": (),
        "_clocks": (_decode_clocks, (known_us, recorded_us)), "_text": text_of,
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


def _decode_json_body(body: str) -> dict[str, Any]:
    decoded = json.loads(body)
    return {"summary": decoded["summary"], "sources": tuple(decoded["sources"]), "details": decoded["details"]}


def _decode_stored_event(stored: tuple[bytes, str, Cipher | None]) -> dict[str, Any]:
    """A fact's free text from the stored event its row keeps: decrypted, decompressed, decoded and upcast as
    the log's own reads do it."""
    state, type_, cipher = stored
    topic = EVENT_TYPES[type_].TOPIC
    event = stored_event_mapper(cipher).to_domain_event(StoredEvent(ANY_ID, 0, topic, bytes(state)))
    return fact_text(event)  # type: ignore[arg-type]


ANY_ID = UUID(int=0)
"""The originator id the mapper is given for a row's event: the free text does not depend on it."""


@lru_cache(maxsize=65_536)
def _stored_date(text: str) -> PartialDate:
    """Dates as the view wrote them: a few thousand distinct values, each parsed once (PartialDate is immutable)."""
    return PartialDate.parse(text)


def fact_rows(reader: Reader, notifications: Sequence[Any]) -> tuple[list[tuple[Any, ...]], list[Unreadable]]:
    """The view's rows of the pair events among these notifications, and the notifications that cannot be
    read (readable.py), which the view leaves out."""
    rows = []
    left_out = []
    for notification in notifications:
        try:
            columns = reader.columns(notification, notification.id)
            if columns is not None:
                rows.append(row_of(columns, notification.state))
        except EventUnreadable as error:
            left_out.append(reader.unreadable(notification, notification.id, error))
        except Exception as error:  # a checked fact that still does not fit a row
            left_out.append(reader.unreadable(notification, notification.id, EventUnreadable(f"{type(error).__name__}: {error}")))
    return rows, left_out
