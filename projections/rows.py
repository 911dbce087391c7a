"""The view's table, and how a fact becomes one of its rows and is read back.

A row keeps what the fold filters and orders by in columns (pair, position, type, dates, weight, the two
clocks in microseconds) and the rest (summary, sources, type-specific details) as a JSON body, which an
encrypted store seals with its cipher. Rows go to the driver as tuples in the table's own column order
(`WRITE_COLUMNS`); facts read back keep their body and clocks encoded until first used.
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
from sqlalchemy import BigInteger, Column, Float, Index, Integer, MetaData, String, Table, Text, text

from detente.domain.dates import PartialDate
from detente.domain.errors import DetenteError

from .facts import Fact, stored_fact
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
    Column("record_id", String(200), nullable=False, index=True),
    Column("incident_id", String(200)),
    Column("type", String(32), nullable=False),
    Column("actor", String(8), nullable=False),
    Column("target", String(8), nullable=False),
    Column("occurred_on", String(10), nullable=False),
    Column("status", String(16), nullable=False),
    Column("claimed_by", Text, nullable=False),  # a joint statement may name fifty states
    Column("refers_to", String(200)),
    Column("code", String(8), nullable=False),
    Column("weight", Float, nullable=False),
    Column("quad_class", Integer, nullable=False),
    Column("known_us", BigInteger, nullable=False),
    Column("recorded_us", BigInteger, nullable=False),
    Column("body", Text, nullable=False),
    Index("detente_facts_position", "position", unique=True),
    # Most facts belong to no incident: a partial index leaves their NULLs out (an index of NULLs ordered
    # by the key would take an insert on a random page for every fact), and `incident_id IN (...)` uses it.
    Index("detente_facts_incident", "incident_id", sqlite_where=text("incident_id IS NOT NULL"),
          postgresql_where=text("incident_id IS NOT NULL")),  # fmt: skip
    sqlite_with_rowid=False,
)
LEGACY_INDEXES = ("ix_detente_facts_incident_id",)
"""Indexes of earlier versions of the table, dropped when a store is opened."""
WIDENED_COLUMNS = ("claimed_by",)
"""Columns earlier versions made VARCHAR(200), now TEXT: widened on PostgreSQL when a store is opened
(SQLite does not enforce a VARCHAR's length)."""


def to_micros(moment: datetime) -> int:
    delta = (moment if moment.tzinfo is timezone.utc else moment.astimezone(timezone.utc)) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def from_micros(micros: int) -> datetime:
    return EPOCH + timedelta(microseconds=micros)


def fact_to_row(fact: Fact, cipher: Cipher | None = None) -> tuple[Any, ...]:
    """The fact as a row of `facts_table`, its values in WRITE_COLUMNS order."""
    return (
        fact.pair, fact.position, fact.record_id, fact.incident_id, fact.type, fact.actor, fact.target,
        str(fact.occurred_on), fact.status, ";".join(fact.claimed_by), fact.refers_to, fact.code, fact.weight,
        fact.quad_class, to_micros(fact.known_since), to_micros(fact.recorded_at),
        seal(BODY_ENCODER.encode({"summary": fact.summary, "sources": fact.sources, "details": fact.details}), cipher),
    )  # fmt: skip


BODY_ENCODER = json.JSONEncoder(check_circular=False)
"""A fact's body is plain data made here (never self-referring), so the check for cycles is skipped."""


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
    """An encrypted store keeps its facts' free text (summaries, sources, names) encrypted in the view too."""
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
    facts_table.c.refers_to, facts_table.c.code, facts_table.c.weight, facts_table.c.quad_class,
    facts_table.c.known_us, facts_table.c.recorded_us, facts_table.c.incident_id, facts_table.c.body,
)  # fmt: skip
"""The columns the queries read, in the order `read_fact` unpacks them (plain tuples are the fast path)."""


def read_fact(values: tuple[Any, ...], cipher: Cipher | None) -> Fact:
    (position, pair, record_id, type_, actor, target, occurred_on, status, claimed_by, refers_to, code, weight,
     quad_class, known_us, recorded_us, incident_id, body) = values  # fmt: skip
    if cipher is not None or body.startswith(SEALED):
        body = unseal(body, cipher)  # a sealed body without its key fails here, not later
    return stored_fact({
        "position": position, "pair": pair, "record_id": record_id, "type": type_, "actor": actor, "target": target,
        "occurred_on": _stored_date(occurred_on), "status": status,
        "claimed_by": tuple(claimed_by.split(";")) if claimed_by else (), "refers_to": refers_to, "code": code,
        "weight": weight, "quad_class": quad_class, "incident_id": incident_id, "denied_by": (),
        "_clocks": (_decode_clocks, (known_us, recorded_us)), "_text": (_decode_body, body),
    })  # fmt: skip


def _decode_clocks(micros: tuple[int, int]) -> dict[str, datetime]:
    return {"known_since": from_micros(micros[0]), "recorded_at": from_micros(micros[1])}


def _decode_body(body: str) -> dict[str, Any]:
    decoded = json.loads(body)
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
