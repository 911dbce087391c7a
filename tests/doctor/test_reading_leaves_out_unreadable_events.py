"""A store poisoned by an event that cannot be read answers again, on SQLite and PostgreSQL.

Each kind of unreadable event found in poisoned stores is left out of the view, of every answer, of the
events and of the export, after a catch-up and after a rebuild; it is counted and listed with why; and
its pair still takes new records.
"""

from __future__ import annotations

import pytest

from detente import api
from detente.service import Detente

from .poison import GOOD, GOOD_DEU_FRA, poisoned_store


def reads_as_if_absent(url: str, kind: str, record_id: str | None, type_name: str, reason: str) -> None:
    [position] = poisoned_store(url, kind)
    with Detente(url) as store:
        state = api.relationship(store, "FRA", "DEU", as_of="2020-02-01")
        assert state.event_count == 2
        assert [fact.record_id for fact in store.view.facts("DEU-FRA")] == GOOD_DEU_FRA
        assert [event.record_id for event in store.events("FRA", "DEU")] == GOOD_DEU_FRA
        assert [row["id"] for row in store.export_rows()] == [record["id"] for record in GOOD]
        assert [row["id"] for row in store.export_rows(("DEU", "FRA"))] == GOOD_DEU_FRA
        assert store.left_out() == 1
        [entry] = store.view.unreadable_events()
        assert (entry.position, entry.pair, entry.record_id, entry.type) == (position, "DEU-FRA", record_id, type_name)
        assert reason in entry.reason and entry.retracted_by is None

        store.rebuild()
        assert api.relationship(store, "DEU", "FRA", as_of="2020-02-01") == state
        assert store.view.unreadable_events() == [entry]

        # The pair still takes new records, saved after the unreadable one.
        store.record({"id": "good-later", "type": "visit-held", "date": "2020-03-01", "actor": "DEU", "target": "FRA"})
        assert [event.record_id for event in store.events("FRA", "DEU")] == [*GOOD_DEU_FRA, "good-later"]
    with Detente(url) as reopened:
        assert api.relationship(reopened, "FRA", "DEU", as_of="2020-04-01").event_count == 3


def test_a_cameo_event_with_an_unknown_code_is_left_out(database_url: str) -> None:
    reads_as_if_absent(database_url, "unknown cameo code", "bad-code", "cameo", "Unknown CAMEO event code '999'")


def test_a_cameo_event_with_an_empty_code_is_left_out(database_url: str) -> None:
    reads_as_if_absent(database_url, "empty cameo code", "bad-empty-code", "cameo", "Unknown CAMEO event code ''")


def test_an_event_with_a_field_of_the_wrong_type_is_left_out(database_url: str) -> None:
    reads_as_if_absent(database_url, "field of the wrong type", "bad-type", "visit-held", "'summary' holds int 5, not text")


def test_an_event_of_a_type_this_version_does_not_know_is_left_out(database_url: str) -> None:
    reads_as_if_absent(database_url, "unknown topic", "bad-topic", "detente:VisitRumoured", "unknown to this version")


def test_an_event_whose_json_does_not_parse_is_left_out_and_its_id_still_recovered(database_url: str) -> None:
    reads_as_if_absent(database_url, "json that does not parse", "bad-json", "visit-held", "not valid JSON")


def test_an_event_whose_date_cannot_be_parsed_is_left_out(database_url: str) -> None:
    reads_as_if_absent(database_url, "date that does not parse", "bad-date", "visit-held", "Malformed date '2020-02-30'")


def test_an_event_whose_state_is_not_text_is_left_out_without_an_id(database_url: str) -> None:
    reads_as_if_absent(database_url, "state that is not text", None, "visit-held", "not text")


def test_a_correction_the_fold_cannot_apply_is_left_out_and_the_record_reads_uncorrected(database_url: str) -> None:
    reads_as_if_absent(database_url, "correction the fold cannot apply", "bad-correction", "event-corrected", "'999'")


def test_an_event_whose_id_holds_a_nul_is_left_out_and_listed_with_the_nul_shown(database_url: str) -> None:
    reads_as_if_absent(database_url, "id holding a NUL", "bad\\x00nul", "visit-held", "'summary' holds int 5")
    with Detente(database_url) as store:
        [entry] = store.view.unreadable_events()
        assert entry.reference == f"unreadable@{entry.position}"  # the id itself cannot be referred to


def test_in_an_encrypted_store_an_unreadable_event_is_listed_and_its_reason_stays_sealed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from eventsourcing.cryptography import AESCipher
    from eventsourcing.persistence import StoredEvent
    from sqlalchemy import text

    from detente.domain.actors import Actor
    from detente.domain.relationship import Relationship

    url, key = f"sqlite:///{tmp_path / 'secret.db'}", AESCipher.create_key(32)
    with Detente(url, cipher_key=key) as store:
        store.record(GOOD[0])
        cipher = store.ledger.mapper.cipher
        state = b'{"record_id": "bad-secret", "summary": "Baek\'s charge", "actor": '
        store.ledger.recorder.insert_events(
            [StoredEvent(Relationship.create_id(Actor("FRA"), Actor("DEU")), 3, "detente:VisitHeld", cipher.encrypt(state))]
        )
    with Detente(url, cipher_key=key) as store:
        assert store.left_out() == 1
        [entry] = store.view.unreadable_events()
        assert entry.record_id == "bad-secret" and "not valid JSON" in entry.reason
        with store.view.engine.connect() as connection:
            [stored_reason] = connection.execute(text("SELECT reason FROM detente_unreadable")).scalars()
        assert stored_reason.startswith("sealed:") and "JSON" not in stored_reason


def test_a_store_read_with_the_wrong_key_is_still_an_error_of_the_whole_store(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A wrong or missing key is not an unreadable event to leave out: the store is refused as it opens."""
    from eventsourcing.cryptography import AESCipher

    from detente.opening import EncryptionMismatch

    url = f"sqlite:///{tmp_path / 'secret.db'}"
    with Detente(url, cipher_key=AESCipher.create_key(32)) as secret:
        secret.record(GOOD[0])
    for key in ("", AESCipher.create_key(32)):
        with pytest.raises(EncryptionMismatch, match="DETENTE_CIPHER_KEY"):
            Detente(url, cipher_key=key)