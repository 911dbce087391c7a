"""Stored history outlives the code, and an encrypted store stays closed without its key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from eventsourcing.cryptography import AESCipher
from eventsourcing.persistence import StoredEvent

from detente.domain.actors import Actor
from detente.domain.dates import Precision
from detente.domain.relationship import Relationship
from detente.opening import EncryptionMismatch
from detente.service import Detente


def test_an_event_written_in_the_older_schema_is_read_in_the_current_one(store: Detente) -> None:
    # Schema v1 kept the date as a plain day plus a separate precision field. Write such a record
    # straight into the recorder, as an older detente would have, and read it back through the app.
    store.record({"id": "opened", "type": "accusation-made", "date": "2023", "actor": "RUS", "target": "PRK"})
    pair_id = Relationship.create_id(Actor("RUS"), Actor("PRK"))
    v1_state = {
        "timestamp": {"_type_": "datetime_iso", "_data_": "2024-03-01T00:00:00+00:00"},
        "record_id": "old",
        "actor": {"_type_": "actor", "_data_": "RUS"},
        "target": {"_type_": "actor", "_data_": "KOR"},
        "occurred_on": "2024-02-01",
        "precision": "month",
        "person": "a missionary",
        "charge": "espionage",
    }
    pair_id = Relationship.create_id(Actor("RUS"), Actor("KOR"))
    created = store.ledger.mapper.to_stored_event(Relationship.open(Actor("RUS"), Actor("KOR")).collect_events()[0])
    store.ledger.recorder.insert_events(
        [created, StoredEvent(originator_id=pair_id, originator_version=2, topic="detente:CitizenDetained", state=json.dumps(v1_state).encode())]
    )
    [event] = store.events("RUS", "KOR")
    assert str(event.occurred_on) == "2024-02" and event.occurred_on.precision is Precision.MONTH
    assert event.person == "a missionary"
    state_now = __import__("detente.api", fromlist=["relationship"]).relationship(store, "KOR", "RUS", as_of="2024-06-20")
    assert [d.id for d in state_now.active_detentions] == ["old"]


def test_a_store_written_with_a_key_cannot_be_opened_without_it_or_with_another(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'secret.db'}"
    key = AESCipher.create_key(32)
    with Detente(url, cipher_key=key) as secret:
        secret.record({"id": "x", "type": "citizen-detained", "date": "2024-01", "actor": "RUS", "target": "KOR", "person": "Baek", "charge": "espionage"})
        assert [e.person for e in secret.events("RUS", "KOR")] == ["Baek"]
    raw = b"".join(path.read_bytes() for path in tmp_path.glob("secret.db*"))
    assert b"Baek" not in raw and b"espionage" not in raw
    # Refused as it opens, so that nothing unencrypted (or under another key) is ever added to it.
    with pytest.raises(EncryptionMismatch, match="looks encrypted. Set DETENTE_CIPHER_KEY"):
        Detente(url, cipher_key="")
    with pytest.raises(EncryptionMismatch, match="cannot be decrypted with this key"):
        Detente(url, cipher_key=AESCipher.create_key(32))
    with Detente(url, cipher_key=key) as again:
        assert [e.person for e in again.events("RUS", "KOR")] == ["Baek"]
