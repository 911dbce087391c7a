"""Events are stored compressed (projections/compression.py); events stored uncompressed still read."""

from __future__ import annotations

import hashlib
import zlib
from pathlib import Path

import pytest
from eventsourcing.cryptography import AESCipher
from sqlalchemy import create_engine, text

from detente.projections import compression
from detente import api
from detente.service import Detente

VISIT = {"id": "v1", "type": "visit-held", "date": "2024-06-19", "actor": "RUS", "target": "PRK", "place": "Pyongyang",
         "summary": "Putin's state visit to Pyongyang", "sources": [{"publisher": "Example Wire", "published": "2024-06-19"}]}  # fmt: skip
DICTIONARY_V1_SHA256 = "696a260a61b413d2d998e70a871a576a8f85b994129dd0bf6b0aefa7fbca878f"


def test_the_dictionary_never_changes_because_stored_events_need_it_to_be_read() -> None:
    assert hashlib.sha256(compression.DICTIONARY_V1).hexdigest() == DICTIONARY_V1_SHA256


def test_a_compressed_value_reads_back_as_it_was() -> None:
    state = b'{"record_id":"gdelt:1","summary":"USA \xe2\x86\x92 CHN: Make a visit","provenance":{"dataset":"gdelt"}}'
    packed = compression.compress(state)
    assert packed[:1] == compression.MARKER_V1 and len(packed) < len(state)
    assert compression.decompress(packed) == state


def test_a_value_stored_uncompressed_passes_through_as_it_is() -> None:
    assert compression.decompress(b'{"record_id":"x"}') == b'{"record_id":"x"}'
    assert compression.decompress(b"") == b""


def test_a_compressed_value_cut_short_is_an_error_not_a_shorter_value() -> None:
    packed = compression.compress(b'{"summary":"' + b"a long summary of a visit " * 20 + b'"}')
    with pytest.raises(zlib.error):
        compression.decompress(packed[: len(packed) // 2])


def _states(url: str) -> list[bytes]:
    engine = create_engine(url)
    with engine.connect() as connection:
        states = [bytes(row[0]) for row in connection.execute(text("SELECT state FROM detente_events ORDER BY id"))]
    engine.dispose()
    return states


def test_a_new_store_keeps_its_events_compressed(database_url: str) -> None:
    with Detente(database_url) as store:
        store.record(VISIT)
    states = _states(database_url)
    assert states and all(state[:1] == compression.MARKER_V1 for state in states)
    assert b"Pyongyang" not in b"".join(states)


def test_an_encrypted_store_compresses_before_it_encrypts(tmp_path: Path) -> None:
    url, key = f"sqlite:///{tmp_path / 'secret.db'}", AESCipher.create_key(32)
    with Detente(url, cipher_key=key) as store:
        store.record(VISIT)
        assert api.relationship(store, "RUS", "PRK").event_count == 1
    cipher = AESCipher({"CIPHER_KEY": key})
    states = _states(url)
    assert all(cipher.decrypt(state)[:1] == compression.MARKER_V1 for state in states)
    with Detente(url, cipher_key=key) as store:
        store.rebuild()
        assert [fact.summary for fact in store.view.facts("PRK-RUS")] == [VISIT["summary"]]


def test_events_stored_uncompressed_by_an_earlier_version_still_read(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from detente import store as store_module

    plain = store_module.ledger_environment

    def uncompressed(url: str, cipher_key: str | None = None) -> dict[str, str]:
        return {**plain(url, cipher_key), "COMPRESSOR_TOPIC": ""}

    monkeypatch.setattr(store_module, "ledger_environment", uncompressed)
    with Detente(database_url) as old:
        old.record(VISIT)
    assert _states(database_url)[-1][:1] == b"{"
    monkeypatch.setattr(store_module, "ledger_environment", plain)
    with Detente(database_url) as store:
        store.record({**VISIT, "id": "v2", "date": "2024-06-20"})
        assert api.relationship(store, "RUS", "PRK").event_count == 2
        store.rebuild()
        assert sorted(fact.record_id for fact in store.view.facts("PRK-RUS")) == ["v1", "v2"]
    first, *_, last = _states(database_url)
    assert first[:1] == b"{" and last[:1] == compression.MARKER_V1
