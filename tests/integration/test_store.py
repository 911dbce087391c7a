"""The store on a real database: recording, fan-out, idempotent import, round trips, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from detente.domain import errors
from detente.domain.events import EVENT_TYPES
from detente.interchange.formats import dumps, read_file
from detente.service import Detente

SOURCE = {"title": "Wire report", "publisher": "Example Wire", "language": "en", "published": "2024-06-17"}

ONE_OF_EACH = [
    {"id": "ann", "type": "visit-announced", "date": "2024-06-17", "actor": "RUS", "target": "PRK", "planned": "2024-06-18", "place": "Pyongyang"},
    {"id": "held", "type": "visit-held", "date": "2024-06-19", "actor": "RUS", "target": "PRK", "refers_to": "ann", "place": "Pyongyang"},
    {"id": "ann2", "type": "visit-announced", "date": "2024-06-17", "actor": "RUS", "target": "VNM", "planned": "2024-06-20"},
    {"id": "cancel", "type": "visit-cancelled", "date": "2024-06-18", "actor": "RUS", "target": "VNM", "refers_to": "ann2", "reason": "test"},
    {"id": "gift", "type": "weapons-gifted", "date": "2023-09-13", "actor": "PRK", "target": "RUS", "items": "rifles"},
    {"id": "arms", "type": "arms-transferred", "date": "2023", "actor": "PRK", "target": "RUS", "status": "alleged", "claimed_by": ["USA", "KOR"]},
    {"id": "sanc", "type": "sanction-imposed", "date": "2024-02", "actor": "KOR", "target": "RUS", "scope": "targeted", "measures": "companies"},
    {"id": "lift", "type": "sanction-lifted", "date": "2024-05", "actor": "KOR", "target": "RUS", "refers_to": "sanc"},
    {"id": "det", "type": "citizen-detained", "date": "2024-01", "actor": "RUS", "target": "KOR", "person": "a missionary", "charge": "espionage"},
    {"id": "rel", "type": "citizen-released", "date": "2024-10", "actor": "RUS", "target": "KOR", "refers_to": "det"},
    {"id": "acc", "type": "accusation-made", "date": "2024-06", "actor": "UKR", "target": "PRK", "allegation": "shells"},
    {"id": "deny", "type": "allegation-denied", "date": "2024-06", "actor": "PRK", "target": "UKR", "refers_to": "acc"},
    {"id": "treaty", "type": "agreement-signed", "date": "2024-06-19", "actor": "RUS", "target": "PRK", "title": "Comprehensive Strategic Partnership"},
    {"id": "food", "type": "aid-provided", "date": "2024", "actor": "RUS", "target": "PRK", "kind": "food", "status": "alleged", "claimed_by": ["USA"]},
    {"id": "pledge", "type": "cooperation-pledged", "date": "2023-09-13", "actor": "PRK", "target": "RUS", "domain": "military"},
    {"id": "praise", "type": "cameo", "date": "2023-09-13", "actor": "PRK", "target": "RUS", "code": "051"},
    {"id": "war", "type": "armed-conflict-began", "date": "2022-02-24", "actor": "RUS", "target": "UKR", "intensity": "war"},
    {"id": "truce", "type": "armed-conflict-ended", "date": "2023", "refers_to": "war", "how": "ceasefire"},
    {"id": "peace", "type": "peace-concluded", "date": "2024", "refers_to": "truce", "title": "A treaty"},
    {"id": "peace-end", "type": "treaty-ended", "date": "2024-06", "refers_to": "peace", "reason": "denounced"},
    {"id": "crimea", "type": "territory-occupied", "date": "2014-03-18", "actor": "RUS", "target": "UKR", "territory": "Crimea", "annexed": True},
    {"id": "crimea-end", "type": "occupation-ended", "date": "2024-06", "refers_to": "crimea"},
    {"id": "cut", "type": "relations-severed", "date": "2022-02-24", "actor": "UKR", "target": "RUS"},
    {"id": "uncut", "type": "relations-restored", "date": "2024-06", "refers_to": "cut"},
    {"id": "recall", "type": "relations-downgraded", "date": "2024-06", "actor": "UKR", "target": "RUS", "measure": "ambassador-recalled"},
    {"id": "ally", "type": "alliance-formed", "date": "2024-06-19", "actor": "RUS", "target": "PRK", "title": "Treaty", "obligations": ["defense"]},
    {"id": "fix", "type": "event-corrected", "date": "2024-06-20", "refers_to": "ann", "changes": {"planned": "2024-06-19"}},
    {"id": "oops", "type": "event-retracted", "date": "2024-06-21", "refers_to": "praise", "reason": "misattributed"},
]


def with_source(record: dict) -> dict:
    return {**record, "sources": [SOURCE]}


def test_every_event_type_is_recorded_and_read_back(store: Detente) -> None:
    for record in ONE_OF_EACH:
        assert store.record(with_source(record)) == [record["id"]]
    recorded = {row["type"] for row in store.export_rows()}
    assert recorded == set(EVENT_TYPES)
    assert {row["id"]: row for row in store.export_rows()}["arms"]["claimed_by"] == ["USA", "KOR"]
    events = store.events("North Korea", "Russia")
    assert [e.record_id for e in events][:2] == ["arms", "gift"]
    assert events[0].occurred_on.precision.value == "year"


def test_a_multi_party_record_fans_out_to_every_pair_with_one_incident_id(store: Detente) -> None:
    ids = store.record({"id": "acc", "type": "accusation-made", "date": "2024-06", "actor": ["USA", "KOR", "UKR"], "target": "PRK"})
    assert ids == ["acc/USA-PRK", "acc/KOR-PRK", "acc/UKR-PRK"]
    assert {e.incident_id for p in ("USA", "KOR", "UKR") for e in store.events(p, "PRK")} == {"acc"}


def test_a_fanned_out_record_is_stored_whole_or_not_at_all(store: Detente) -> None:
    store.record({"id": "s", "type": "sanction-imposed", "date": "2024-02", "actor": ["USA", "KOR"], "target": "RUS"})
    store.record({"id": "l1", "type": "sanction-lifted", "date": "2024-05", "refers_to": "s/KOR-RUS", "actor": "KOR", "target": "RUS"})
    with pytest.raises(errors.SanctionNotActive):
        store.record({"id": "l", "type": "sanction-lifted", "date": "2024-06", "refers_to": "s"})
    assert [e.record_id for e in store.events("USA", "RUS")] == ["s/USA-RUS"]


def test_importing_the_same_file_twice_adds_nothing(store: Detente, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(dumps([with_source(r) for r in ONE_OF_EACH], "jsonl"))
    first = store.import_lines(read_file(path, "jsonl"))
    second = store.import_lines(read_file(path, "jsonl"))
    assert (first.added, first.duplicates, first.rejected) == (len(ONE_OF_EACH), 0, [])
    assert (second.added, second.duplicates, second.events) == (0, len(ONE_OF_EACH), 0)
    assert store.view.count() == len(ONE_OF_EACH)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "yaml"])
def test_import_export_import_is_a_round_trip(store: Detente, tmp_path: Path, fmt: str) -> None:
    original = tmp_path / f"original.{fmt}"
    original.write_text(dumps([with_source(r) for r in ONE_OF_EACH] + [{"id": "multi", "type": "accusation-made", "date": "2024", "actor": ["USA", "KOR"], "target": "PRK"}], fmt))
    assert store.import_lines(read_file(original, fmt)).rejected == []
    exported = tmp_path / f"exported.{fmt}"
    exported.write_text(dumps(store.export_rows(), fmt))
    with Detente(f"sqlite:///{tmp_path / 'copy.db'}") as copy:
        assert copy.import_lines(read_file(exported, fmt)).rejected == []
        assert list(copy.export_rows()) == list(store.export_rows())


def test_bad_rows_are_reported_by_line_and_the_good_ones_kept(store: Detente, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        "\n".join(
            [
                json.dumps({"id": "a", "type": "accusation-made", "date": "2024", "actor": "USA", "target": "PRK"}),
                json.dumps({"id": "b", "type": "accusation-made", "date": "2024", "actor": "Atlantis", "target": "PRK"}),
                '{"id": "c", "type": "accusation-made", "date": "20',
                json.dumps({"id": "d", "type": "accusation-made", "date": "2024-13", "actor": "USA", "target": "PRK"}),
                json.dumps({"id": "e", "type": "sanction-lifted", "date": "2024", "actor": "USA", "target": "PRK", "refers_to": "zzz"}),
                json.dumps({"id": "f", "type": "accusation-made", "date": "2024", "actor": "KOR", "target": "PRK"}),
            ]
        )
        + "\n"
    )
    outcome = store.import_lines(read_file(path, "jsonl"))
    assert outcome.added == 2
    lines = {line: message for line, message in outcome.rejected}
    assert sorted(lines) == [2, 3, 4, 5]
    assert "Atlantis" in lines[2] and "truncated" in lines[3] and "YYYY-MM-DD" in lines[4] and "zzz" in lines[5]


def test_a_line_in_the_wrong_encoding_is_reported_and_skipped(store: Detente, tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    good = json.dumps({"id": "a", "type": "accusation-made", "date": "2024", "actor": "USA", "target": "PRK"})
    bad = json.dumps({"id": "b", "type": "accusation-made", "date": "2024", "actor": "USA", "target": "PRK", "summary": "Pyongyang café"}, ensure_ascii=False)
    path.write_bytes(good.encode() + b"\n" + bad.encode("latin-1") + b"\n")
    outcome = store.import_lines(read_file(path, "jsonl"))
    assert outcome.added == 1 and outcome.rejected[0][0] == 2 and "UTF-8" in outcome.rejected[0][1]


def test_strict_import_stores_nothing_when_any_row_is_bad(store: Detente, tmp_path: Path) -> None:
    path = tmp_path / "strict.jsonl"
    rows = [{"id": f"a{n}", "type": "accusation-made", "date": "2024", "actor": "USA", "target": "PRK"} for n in range(5)]
    rows.append({"id": "bad", "type": "accusation-made", "date": "2024", "actor": "USA", "target": "USA"})
    path.write_text(dumps(rows, "jsonl"))
    outcome = store.import_lines(read_file(path, "jsonl"), strict=True, batch_size=2)
    assert not outcome.committed and outcome.added == 0
    assert outcome.rejected[0][0] == 6
    assert list(store.export_rows()) == [] and store.view.count() == 0


def test_a_reused_id_in_another_pair_is_refused(store: Detente) -> None:
    store.record({"id": "x", "type": "accusation-made", "date": "2024", "actor": "USA", "target": "PRK"})
    with pytest.raises(errors.DuplicateEventId):
        store.record({"id": "x", "type": "accusation-made", "date": "2024", "actor": "KOR", "target": "PRK"})


def test_stored_topics_are_explicit_and_do_not_name_modules(store: Detente) -> None:
    store.record({"id": "x", "type": "accusation-made", "date": "2024", "actor": "USA", "target": "PRK"})
    topics = {n.topic for n in store.ledger.recorder.select_notifications(start=1, limit=10)}
    assert topics == {"detente:Relationship.Created", "detente:AccusationMade"}
