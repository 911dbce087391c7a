"""The view's layout: a row keeps its event's stored bytes, facts read back are plain facts' equals, an
earlier layout is refilled once, and the refill only reads."""

from __future__ import annotations

import dataclasses

from sqlalchemy import inspect, text

from detente.projections import refill
from detente.projections.facts import Fact
from detente.projections.rows import LEGACY_COLUMNS, StoredFact, facts_table
from detente.service import Detente

from .test_view_laws import replayed_facts
from .test_view_rebuild import RECORDS, stored_facts

SOURCED = {"id": "visit", "type": "visit-held", "date": "2024-06-19", "actor": "RUS", "target": "PRK", "place": "Pyongyang",
           "summary": "Putin's state visit", "sources": [{"url": "https://example.org/a", "publisher": "Example", "published": "2024-06-19"}]}  # fmt: skip


def test_a_fact_is_a_plain_frozen_dataclass_and_a_stored_one_equals_it(store: Detente) -> None:
    store.record(SOURCED)
    (stored,) = store.view.facts("PRK-RUS")
    (replayed,) = replayed_facts(store)
    assert dataclasses.is_dataclass(Fact) and Fact.__dataclass_params__.frozen  # type: ignore[attr-defined]
    assert "__getattr__" not in vars(Fact)
    assert type(stored) is StoredFact and type(replayed) is Fact
    assert stored == replayed and replayed == stored
    assert stored.summary == "Putin's state visit" and stored.details == {"place": "Pyongyang"}
    assert stored.sources == ({"url": "https://example.org/a", "publisher": "Example", "published": "2024-06-19"},)


def test_a_row_keeps_its_event_as_the_log_stores_it_and_no_weight(store: Detente) -> None:
    store.record(SOURCED)
    with store.view.engine.connect() as connection:
        body = connection.execute(text("SELECT body FROM detente_facts")).scalar_one()
        state = connection.execute(text("SELECT state FROM detente_events ORDER BY id DESC LIMIT 1")).scalar_one()
    assert bytes(body) == bytes(state)
    assert not {"weight", "quad_class"} & {column.name for column in facts_table.columns}
    (fact,) = store.view.facts("PRK-RUS")
    assert (fact.code, fact.weight, fact.quad_class) == ("042", 1.9, 1)  # the CAMEO table's, for the code


def test_a_view_of_the_earlier_layout_is_refilled_in_this_one_when_the_store_is_opened(database_url: str) -> None:
    with Detente(database_url) as store:
        store.import_lines(list(enumerate(RECORDS, start=1)))
        before = stored_facts(store)
        with store.view.engine.begin() as connection:  # an earlier version's table had a weight column
            connection.execute(text("ALTER TABLE detente_facts ADD COLUMN weight FLOAT"))
    with Detente(database_url) as reopened:
        columns = {column["name"] for column in inspect(reopened.view.engine).get_columns("detente_facts")}
        assert not columns & set(LEGACY_COLUMNS)
        reopened.refresh()
        assert stored_facts(reopened) == before
        assert reopened.view.position() == reopened.ledger.recorder.max_notification_id()


def test_the_refill_yields_converted_batches_and_writes_nothing(store: Detente) -> None:
    store.import_lines(list(enumerate(RECORDS, start=1)))
    count, position = store.view.count(), store.view.position()
    batches = list(refill.batches_here(store.ledger.recorder, store.view.reader, 0, 4))
    assert [(batch.after, batch.position) for batch in batches] == [(start, min(start + 4, position)) for start in range(0, position, 4)]
    assert sum(len(batch.rows) for batch in batches) == len(RECORDS)
    assert (store.view.count(), store.view.position()) == (count, position)
