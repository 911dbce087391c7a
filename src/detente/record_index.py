"""Which record ids are taken, and where each lives: the write side's own index, not the view's.

Ids are unique across the whole store, but each pair aggregate knows only its own. This table, written in
the transaction that saves the events, is what the rule "ids are unique" and the resolution of `refers_to`
read. Its key is the id, so two writers who record the same new id into two different pairs at once cannot
both commit: the second one's transaction fails on the key, and its retry finds the id taken.

One row per pair event (its id; the pair, the two actors; its incident id when it is a part of a
multi-party record; its type and `assertion_digest`), and one row per multi-party record id with no pair,
which takes the name for the record: its parts are found by their incident id. The type and digest are
what the pair's rules need of a dataset row, which the pair aggregate does not keep
(`Relationship.note`): is this id taken, what is it, does a row met again assert the same. The view has the same facts, but it follows the log, so it
may lag; this index never does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, Column, Index, MetaData, String, Table, inspect, insert, or_, select, text

from detente.projections.schema import create_schema, schema_lock

VIEW_TRACKING_NAME = "detente_facts_view"
"""The view's name on the tracking table (projections.view.VIEW_NAME): the index is filled from the view as
far as it had caught up."""
INDEX_NAME = "detente_record_ids"
"""Also the tracking name under which the index notes that it is complete (see `RecordIndex.complete`)."""
KINDS_NAME = "detente_record_kinds"
"""The tracking name under which the index notes that every row has its type and digest (stores written
before the index kept them are filled once: `RecordIndex.complete`)."""
LOOKUP_CHUNK = 500
FILL_CHUNK = 2000

metadata = MetaData()
record_ids = Table(
    INDEX_NAME,
    metadata,
    Column("name", String(200), primary_key=True),
    Column("pair", String(16)),
    Column("actor", String(8)),
    Column("target", String(8)),
    Column("incident", String(200)),
    Column("kind", String(32)),
    Column("digest", BigInteger),
    Index("detente_record_ids_incident", "incident", sqlite_where=text("incident IS NOT NULL"),
          postgresql_where=text("incident IS NOT NULL")),  # fmt: skip
)


class Located(NamedTuple):
    """Where a recorded id lives: its pair, its own id and its two actors (as codes); its type and digest
    (None for a row filled from an older store whose event could not be read)."""

    pair: str
    record_id: str
    actor: str
    target: str
    kind: str | None = None
    digest: int | None = None


Claim = tuple[str, str | None, str | None, str | None, str | None, str | None, int | None]
"""(name, pair, actor, target, incident, kind, digest); a name with no pair is a multi-party record's."""
CLAIM_COLUMNS = ("name", "pair", "actor", "target", "incident", "kind", "digest")


class RecordIndex:
    def __init__(self, datastore: Any, tracking: Any) -> None:
        self.datastore = datastore
        self.engine = datastore.engine
        self.tracking = tracking
        self._created = False

    def ensure(self) -> None:
        """Create the table if the store has none yet (under the schema lock: several processes may open a
        new store at once). Called by writers only, so that reading never adds a table to a store."""
        if not self._created:
            create_schema(self.engine, partial(metadata.create_all, checkfirst=True), present=list(metadata.tables.values()))
            self._add_missing_columns()
            self._created = True

    def _add_missing_columns(self) -> None:
        """Give an index made before it kept types and digests its two columns (empty until `complete`
        fills them), under the schema lock."""
        wanted = {"kind": "VARCHAR(32)", "digest": "BIGINT"}
        if set(wanted) <= self._columns(self.engine):
            return
        with schema_lock(self.engine) as connection:
            for name, sql_type in wanted.items():
                if name not in self._columns(connection):
                    connection.exec_driver_sql(f"ALTER TABLE {INDEX_NAME} ADD COLUMN {name} {sql_type}")

    @staticmethod
    def _columns(bind: Any) -> set[str]:
        return {column["name"] for column in inspect(bind).get_columns(INDEX_NAME)}

    def locate(self, identifiers: Sequence[str]) -> dict[str, list[Located]]:
        """For each id: the record with that id, or every part of the multi-party record with that id."""
        found: dict[str, list[Located]] = {}
        wanted = set(identifiers)
        table = record_ids.c
        with self.engine.connect() as connection:
            for start in range(0, len(identifiers), LOOKUP_CHUNK):
                chunk = list(identifiers[start : start + LOOKUP_CHUNK])
                query = select(
                    table.name, table.pair, table.actor, table.target, table.incident, table.kind, table.digest
                ).where(or_(table.name.in_(chunk), table.incident.in_(chunk)))
                for name, pair, actor, target, incident, kind, digest in connection.execute(query.order_by(table.name)):
                    if pair is None:
                        found.setdefault(name, [])  # a multi-party record's name: its parts come by incident
                        continue
                    located = Located(pair, name, actor, target, kind, digest)
                    if name in wanted:
                        found.setdefault(name, []).append(located)
                    if incident in wanted and incident != name:
                        found.setdefault(incident, []).append(located)
        return found

    def claim(self, entries: Iterable[Claim]) -> None:
        """Take names, in the caller's transaction (`Claim` each). A name already taken fails the
        transaction (IntegrityError)."""
        rows = [dict(zip(CLAIM_COLUMNS, entry)) for entry in entries]
        if rows:
            with self.datastore.transaction(commit=True) as session:
                session.connection().execute(insert(record_ids), rows)

    def complete(
        self,
        facts: Any,
        described: Callable[[], Iterable[tuple[str, str, str, int]]],
        then: Callable[[Any], None] | None = None,
    ) -> None:
        """Fill the index of a store written before it existed, once, from the view (caught up by the
        caller): every fact's id, and each incident's name. A store opened new has nothing to fill. Under the
        schema lock, so that two processes opening such a store at once fill it once. Then, once, the type
        and digest of every row that lacks them, from `described` ((pair, record id, type, digest) of each
        readable event in the log), and `then` called with the connection that holds the lock, when that
        fill read the log."""
        self.ensure()
        if self.tracking.max_tracking_id(INDEX_NAME) is None:
            self._fill_from_view()
        if self.tracking.max_tracking_id(KINDS_NAME) is None:
            self._fill_kinds(described, then)

    def _fill_kinds(
        self, described: Callable[[], Iterable[tuple[str, str, str, int]]], then: Callable[[Any], None] | None
    ) -> None:
        tracking = self.tracking.tracking_table.name
        table = record_ids.c
        with schema_lock(self.engine) as connection:
            done = connection.execute(
                text(f"SELECT 1 FROM {tracking} WHERE application_name = :name"), {"name": KINDS_NAME}
            ).first()
            if done:
                return
            lacking = connection.execute(
                select(table.name).where(table.pair.is_not(None), table.kind.is_(None)).limit(1)
            ).first()
            if lacking:
                update = text(
                    f"UPDATE {INDEX_NAME} SET kind = :kind, digest = :digest "
                    "WHERE name = :name AND pair = :pair AND kind IS NULL"
                )
                rows: list[dict[str, Any]] = []
                for pair, name, kind, digest in described():
                    rows.append({"pair": pair, "name": name, "kind": kind, "digest": digest})
                    if len(rows) >= FILL_CHUNK:
                        connection.execute(update, rows)
                        rows = []
                if rows:
                    connection.execute(update, rows)
                if then is not None:
                    then(connection)
            connection.execute(
                text(f"INSERT INTO {tracking} (application_name, notification_id) VALUES (:name, :position)"),
                {"name": KINDS_NAME, "position": 0},
            )

    def _fill_from_view(self) -> None:
        tracking = self.tracking.tracking_table.name
        with schema_lock(self.engine) as connection:
            done = connection.execute(
                text(f"SELECT 1 FROM {tracking} WHERE application_name = :name"), {"name": INDEX_NAME}
            ).first()
            if done:
                return  # another process filled it while this one waited for the lock
            position = connection.execute(
                text(f"SELECT notification_id FROM {tracking} WHERE application_name = :name"), {"name": VIEW_TRACKING_NAME}
            ).scalar() or 0
            # The first fact of each id (a store poisoned before ids were checked across pairs may hold one
            # id twice), leaving out ids a writer of this version has claimed already.
            connection.exec_driver_sql(
                f"INSERT INTO {INDEX_NAME} (name, pair, actor, target, incident) "
                "SELECT f.record_id, f.pair, f.actor, f.target, f.incident_id FROM detente_facts f "
                "JOIN (SELECT MIN(position) AS first FROM detente_facts GROUP BY record_id) g ON f.position = g.first "
                f"WHERE f.record_id NOT IN (SELECT name FROM {INDEX_NAME})"  # grouped: the view has no index on record_id
            )
            connection.exec_driver_sql(
                f"INSERT INTO {INDEX_NAME} (name) SELECT DISTINCT incident_id FROM detente_facts "
                f"WHERE incident_id IS NOT NULL AND incident_id NOT IN (SELECT name FROM {INDEX_NAME})"
            )
            connection.execute(
                text(f"INSERT INTO {tracking} (application_name, notification_id) VALUES (:name, :position)"),
                {"name": INDEX_NAME, "position": position},
            )
            # The rows just filled have no type or digest yet: the next step fills them from the log.
            connection.execute(text(f"DELETE FROM {tracking} WHERE application_name = :name"), {"name": KINDS_NAME})
