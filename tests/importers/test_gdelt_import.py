"""Importing GDELT 2.0 events exports: the excerpt in tests/fixtures, cross-checked pair by pair."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from detente import api
from detente.importers import GdeltReader
from detente.interchange.records import Record
from detente.service import Detente

from .expectations import assert_same_tallies, gdelt_tallies, stored_tallies


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def fields_of(line: str) -> list[str]:
    return line.rstrip("\n").split("\t")


def test_every_pair_holds_the_events_and_weights_the_file_gives_it(store: Detente, gdelt_excerpt: Path) -> None:
    reader = GdeltReader(gdelt_excerpt)
    outcome = store.import_lines(reader, batch_size=10)
    expected = gdelt_tallies(gdelt_excerpt)
    assert outcome.rejected == []
    assert outcome.added == outcome.events == sum(tally.count for tally in expected.values())
    assert reader.rows == len(lines_of(gdelt_excerpt))
    assert reader.filtered == reader.rows - outcome.added
    assert_same_tallies(stored_tallies(store), expected)


def test_importing_the_same_file_again_adds_no_event(store: Detente, gdelt_excerpt: Path) -> None:
    first = store.import_lines(GdeltReader(gdelt_excerpt))
    again = store.import_lines(GdeltReader(gdelt_excerpt))
    assert (again.added, again.events, again.duplicates) == (0, 0, first.added)
    assert store.view.count() == first.events


def test_a_second_store_on_the_same_database_also_finds_everything_already_there(
    database_url: str, gdelt_excerpt: Path
) -> None:
    with Detente(database_url) as first:
        added = first.import_lines(GdeltReader(gdelt_excerpt)).added
    with Detente(database_url) as second:
        again = second.import_lines(GdeltReader(gdelt_excerpt), batch_size=7)
    assert (again.added, again.duplicates) == (0, added)


def test_an_imported_row_keeps_its_code_as_text_its_dates_and_where_it_came_from(
    store: Detente, gdelt_excerpt: Path
) -> None:
    store.import_lines(GdeltReader(gdelt_excerpt))
    row = next(line for line in map(fields_of, lines_of(gdelt_excerpt)) if line[26] == "044")
    (fact,) = [fact for fact in store.view.facts("NOR-RUS") if fact.record_id == f"gdelt:{row[0]}"]
    assert fact.code == "044" and fact.type == "cameo"
    assert str(fact.occurred_on) == f"{row[1][:4]}-{row[1][4:6]}-{row[1][6:]}"
    assert fact.known_since.isoformat() == "2019-10-24T14:30:00+00:00"
    assert fact.sources[0]["url"] == row[60]
    assert fact.details["provenance"]["dataset"] == "gdelt"
    assert fact.details["provenance"]["num_mentions"] == int(row[31])
    assert fact.details["provenance"]["dataset_weight"] == float(row[30])


def test_an_event_is_not_known_before_gdelt_added_it(store: Detente, gdelt_excerpt: Path) -> None:
    store.import_lines(GdeltReader(gdelt_excerpt))
    before = api.relationship(store, "RUS", "NOR", known_at="2019-10-24T14:29:59Z")
    after = api.relationship(store, "RUS", "NOR", known_at="2019-10-24T14:30:00Z")
    assert (before.event_count, after.event_count) == (0, 17)


def test_domestic_regional_and_stateless_rows_are_filtered_not_rejected(gdelt_excerpt: Path) -> None:
    reader = GdeltReader(gdelt_excerpt)
    records = dict(reader)
    assert all(isinstance(record, Record) for record in records.values())
    assert not {record.actors[0].code for record in records.values()} & {"EUR", "AFR", "UNO", "EEC"}
    assert all(record.actors != record.targets for record in records.values())
    assert reader.filtered == 14


@pytest.mark.parametrize(
    "given, meant",
    [
        ({"min_mentions": 4}, {"min_mentions": 4}),
        ({"roots": ["04", "5"]}, {"roots": ["04", "05"]}),
        ({"actor_types": "gov,MIL"}, {"actor_types": ["GOV", "MIL"]}),
    ],
)
def test_the_options_narrow_the_import_exactly_as_the_columns_say(
    store: Detente, gdelt_excerpt: Path, given: dict[str, Any], meant: dict[str, Any]
) -> None:
    store.import_lines(GdeltReader(gdelt_excerpt, **given))
    expected = gdelt_tallies(gdelt_excerpt, **meant)
    assert expected, f"the excerpt should have rows for {given}"
    assert_same_tallies(stored_tallies(store), expected)


def test_with_organisations_the_eu_and_the_un_are_imported_too(store: Detente, gdelt_excerpt: Path) -> None:
    store.import_lines(GdeltReader(gdelt_excerpt, organisations=True))
    assert api.relationship(store, "EU", "TUR").event_count == 1
    assert api.relationship(store, "UN", "ARE").event_count == 3


def test_a_zipped_export_imports_like_the_plain_file(tmp_path: Path, store: Detente, gdelt_excerpt: Path) -> None:
    archive = tmp_path / "20191024143000.export.CSV.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(gdelt_excerpt, "20191024143000.export.CSV")
    outcome = store.import_lines(GdeltReader(archive))
    assert outcome.rejected == []
    assert_same_tallies(stored_tallies(store), gdelt_tallies(gdelt_excerpt))
