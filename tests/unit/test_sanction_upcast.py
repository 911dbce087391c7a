"""A sanction stored in the old shape (schema v2: a free-text `scope`) still loads, as a targeted sanction."""

from __future__ import annotations

import json
from uuid import uuid4

from eventsourcing.application import Application
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from detente.domain.events import SanctionImposed
from detente.projections.transcodings import register_detente_transcodings


def mapper() -> Mapper:
    """The store's own mapper and transcodings, without a database."""
    transcoder = JSONTranscoder()
    Application.register_transcodings(None, transcoder)  # type: ignore[arg-type]  # the library's own: datetime, UUID...
    register_detente_transcodings(transcoder)
    return Mapper(transcoder=transcoder)


def test_a_stored_v2_sanction_loads_with_its_free_text_moved_to_measures_and_scope_targeted() -> None:
    state = {
        "originator_id": str(uuid4()),
        "originator_version": 2,
        "timestamp": {"_type_": "datetime_iso", "_data_": "2024-04-02T00:00:00+00:00"},
        "record_id": "kor-rus-sanctions-2024-04",
        "actor": {"_type_": "actor", "_data_": "KOR"},
        "target": {"_type_": "actor", "_data_": "RUS"},
        "occurred_on": {"_type_": "partial_date", "_data_": "2024-04-02"},
        "scope": "individuals, companies and vessels",
        "measures": "Lady R and Angara",
        "class_version": 2,
    }
    stored = StoredEvent(
        originator_id=state["originator_id"],
        originator_version=2,
        topic=SanctionImposed.TOPIC,
        state=json.dumps(state).encode(),
    )
    event = mapper().to_domain_event(stored)
    assert isinstance(event, SanctionImposed)
    assert event.scope == "targeted"
    assert event.measures == "individuals, companies and vessels; Lady R and Angara"
    assert str(event.occurred_on) == "2024-04-02" and event.actor.code == "KOR"
