"""Opening a store, on SQLite and PostgreSQL: reading never creates one, and a store is encrypted from its
first event or never."""

from __future__ import annotations

import pytest
from eventsourcing.cryptography import AESCipher
from sqlalchemy import create_engine, inspect

from detente.opening import EncryptionMismatch, StoreNotFound
from detente.service import Detente

RECORD = {"id": "visit", "type": "visit-held", "date": "2024-06-19", "actor": "RUS", "target": "PRK", "summary": "Putin in Pyongyang"}


def detente_tables(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        return sorted(name for name in inspect(engine).get_table_names() if name.startswith("detente_"))
    finally:
        engine.dispose()


def test_opening_for_reading_where_there_is_no_store_creates_nothing(database_url: str) -> None:
    with pytest.raises(StoreNotFound, match="detente import"):
        Detente(database_url, create=False)
    assert detente_tables(database_url) == []


def test_a_store_made_for_writing_opens_for_reading(database_url: str) -> None:
    with Detente(database_url) as store:
        store.record(RECORD)
    with Detente(database_url, create=False) as reading:
        assert [event.record_id for event in reading.events("RUS", "PRK")] == ["visit"]


def test_a_key_on_a_store_written_without_one_is_refused_before_anything_is_written(database_url: str) -> None:
    with Detente(database_url) as plain:
        plain.record(RECORD)
        before = plain.ledger.recorder.max_notification_id()
    for create in (True, False):
        with pytest.raises(EncryptionMismatch, match="store without encryption"):
            Detente(database_url, cipher_key=AESCipher.create_key(32), create=create)
    with Detente(database_url) as plain:
        assert plain.ledger.recorder.max_notification_id() == before
        assert [event.summary for event in plain.events("RUS", "PRK")] == ["Putin in Pyongyang"]


def test_an_empty_store_takes_a_key_and_then_holds_to_it(database_url: str) -> None:
    key = AESCipher.create_key(16)
    with Detente(database_url) as empty:
        assert empty.ledger.recorder.max_notification_id() is None
    with Detente(database_url, cipher_key=key) as secret:
        secret.record(RECORD)
    with pytest.raises(EncryptionMismatch, match="looks encrypted"):
        Detente(database_url, cipher_key="")
    with pytest.raises(EncryptionMismatch, match="cannot be decrypted with this key"):
        Detente(database_url, cipher_key=AESCipher.create_key(16))
    with Detente(database_url, cipher_key=key, create=False) as again:
        assert [event.summary for event in again.events("RUS", "PRK")] == ["Putin in Pyongyang"]
