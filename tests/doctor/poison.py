"""Writing the events that poisoned stores hold, straight into the log, past every check of the write path.

A store made by an earlier detente may hold any of these; the tests make one by inserting the stored event
as that detente (or a hand edit) left it, then read the store with a fresh `Detente`.
"""

from __future__ import annotations

import json
from typing import Any

from eventsourcing.persistence import StoredEvent

from detente.domain.actors import Actor
from detente.domain.relationship import Relationship
from detente.service import Detente

GOOD = [
    {"id": "good-visit", "type": "visit-held", "date": "2020-01-01", "actor": "FRA", "target": "DEU", "place": "Berlin"},
    {"id": "good-cameo", "type": "cameo", "code": "042", "date": "2020-01-05", "actor": "DEU", "target": "FRA"},
    {"id": "good-elsewhere", "type": "sanction-imposed", "date": "2021-03", "actor": "KOR", "target": "PRK"},
]
"""A small healthy history: two records of DEU–FRA (the pair the poison goes into) and one of KOR–PRK."""
GOOD_DEU_FRA = ["good-visit", "good-cameo"]


def event_state(record_id: str, **fields: Any) -> dict[str, Any]:
    """A pair event's stored state (JSON, as the library's transcoder writes it): FRA→DEU on 2020-01-02."""
    state: dict[str, Any] = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2024-03-01T00:00:00+00:00"},
        "record_id": record_id,
        "actor": {"_type_": "actor", "_data_": "FRA"},
        "target": {"_type_": "actor", "_data_": "DEU"},
        "occurred_on": {"_type_": "partial_date", "_data_": "2020-01-02"},
        "incident_id": None,
        "status": "reported",
        "claimed_by": [],
        "sources": [],
        "summary": "",
        "refers_to": None,
        "class_version": 2,
    }
    state.update(fields)
    return state


POISONS: dict[str, tuple[str, bytes]] = {
    "unknown cameo code": ("detente:CameoEventCoded", json.dumps(event_state("bad-code", code="999", provenance=None)).encode()),
    "empty cameo code": ("detente:CameoEventCoded", json.dumps(event_state("bad-empty-code", code="", provenance=None)).encode()),
    "field of the wrong type": ("detente:VisitHeld", json.dumps(event_state("bad-type", summary=5, place="", ended_on=None)).encode()),
    "unknown topic": ("detente:VisitRumoured", json.dumps(event_state("bad-topic")).encode()),
    "json that does not parse": ("detente:VisitHeld", b'{"record_id": "bad-json", "actor": {"_type_": "actor", "_da'),
    "date that does not parse": (
        "detente:VisitHeld",
        json.dumps(event_state("bad-date", occurred_on={"_type_": "partial_date", "_data_": "2020-02-30"})).encode(),
    ),
    "state that is not text": ("detente:VisitHeld", b"\x8f\xff\x00\x13 sealed by another key"),
    "id holding a NUL": ("detente:VisitHeld", json.dumps(event_state("bad\x00nul", summary=5, place="", ended_on=None)).encode()),
    "correction the fold cannot apply": (
        "detente:EventCorrected",
        json.dumps(event_state("bad-correction", refers_to="good-cameo", changes={"code": "999"})).encode(),
    ),
}
"""Each kind of unreadable event: its topic and stored state (all in the pair DEU–FRA)."""


def record_good(url: str) -> None:
    with Detente(url) as store:
        for record in GOOD:
            store.record(record)


def poison(url: str, kind: str, pair: tuple[str, str] = ("FRA", "DEU")) -> int:
    """Append the stored event of this kind to the pair's history; returns its position in the log."""
    topic, state = POISONS[kind]
    with Detente(url) as store:
        pair_id = Relationship.create_id(Actor(pair[0]), Actor(pair[1]))
        [last] = store.ledger.recorder.select_events(pair_id, desc=True, limit=1)
        [position] = store.ledger.recorder.insert_events([StoredEvent(pair_id, last.originator_version + 1, topic, state)])
        return position


def poisoned_store(url: str, *kinds: str) -> list[int]:
    """The good history, then one unreadable event of each kind; returns their positions."""
    record_good(url)
    return [poison(url, kind) for kind in kinds]
