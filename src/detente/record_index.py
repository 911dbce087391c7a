"""Which record ids are taken, and where each lives: the write side's own index, not the view's.

Ids are unique across the whole store, but each pair aggregate knows only its own. This table, written in
the transaction that saves the events, is what the rule "ids are unique" and the resolution of `refers_to`
read. Its key is the id, so two writers who record the same new id into two different pairs at once cannot
both commit: the second one's transaction fails on the key, and its retry finds the id taken.

One row per pair event (its id; the pair, the two actors; its incident id when it is a part of a
multi-party record), and one row per multi-party record id with no pair, which takes the name for the
record: its parts are found by their incident id. The view has the same facts, but it follows the log, so it
may lag; this index never does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any, NamedTuple

from sqlalchemy import Column, Index, MetaData, String, Table, insert, or_, select, text

from detente.projections.schema import create_schema, schema_lock

VIEW_TRACKING_NAME = "detente_facts_view"
"""The view's name on the tracking table (projections.view.VIEW_NAME): the index is filled from the view as
far as it had caught up."""
INDEX_NAME = "detente_record_ids"
"""Also the tracking name under which the index notes that it is complete (see `RecordIndex.complete`)."""
LOOKUP_CHUNK = 500

metadata = MetaData()
record_ids = Table(
    INDEX_NAME,
    metadata,
    Column("name", String(200), primary_key=True),
    Column("pair", String(16)),
    Column("actor", String(8)),
    Column("target", String(8)),
    Column("incident", String(200)),
    Index("detente_record_ids_incident", "incident", sqlite_where=text("incident IS NOT NULL"),
          postgresql_where=text("incident IS NOT NULL")),  # fmt: skip
)


class Located(NamedTuple):
    """Where a recorded id lives: its pair, its own id and its two actors (as codes)."""

    pair: str
    record_id: str
    actor: str
    target: str


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
            self._created = True

    def locate(self, identifiers: Sequence[str]) -> dict[str, list[Located]]:
        """For each id: the record with that id, or every part of the multi-party record with that id."""
        found: dict[str, list[Located]] = {}
        wanted = set(identifiers)
        table = record_ids.c
        with self.engine.connect() as connection:
            for start in range(0, len(identifiers), LOOKUP_CHUNK):
                chunk = list(identifiers[start : start + LOOKUP_CHUNK])
                query = select(table.name, table.pair, table.actor, table.target, table.incident).where(
                    or_(table.name.in_(chunk), table.incident.in_(chunk))
                )
                for name, pair, actor, target, incident in connection.execute(query.order_by(table.name)):
                    if pair is None:
                        found.setdefault(name, [])  # a multi-party record's name: its parts come by incident
                        continue
                    located = Located(pair, name, actor, target)
                    if name in wanted:
                        found.setdefault(name, []).append(located)
                    if incident in wanted and incident != name:
                        found.setdefault(incident, []).append(located)
        return found

    def claim(self, entries: Iterable[tuple[str, str | None, str | None, str | None, str | None]]) -> None:
        """Take names, in the caller's transaction: (name, pair, actor, target, incident) each; a name with
        no pair is a multi-party record's. A name already taken fails the transaction (IntegrityError)."""
        rows = [dict(zip(("name", "pair", "actor", "target", "incident"), entry)) for entry in entries]
        if rows:
            with self.datastore.transaction(commit=True) as session:
                session.connection().execute(insert(record_ids), rows)

    def complete(self, facts: Any) -> None:
        """Fill the index of a store written before it existed, once, from the view (caught up by the
        caller): every fact's id, and each incident's name. A store opened new has nothing to fill. Under the
        schema lock, so that two processes opening such a store at once fill it once."""
        self.ensure()
        if self.tracking.max_tracking_id(INDEX_NAME) is not None:
            return
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
