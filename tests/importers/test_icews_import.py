"""Importing ICEWS .tab files: the fictional ICEWS-format rows in tests/fixtures, cross-checked pair by pair."""

from __future__ import annotations

from pathlib import Path

from detente import api
from detente.importers import IcewsReader
from detente.service import Detente

from .expectations import assert_same_tallies, icews_tallies, stored_tallies


def test_every_pair_holds_the_events_and_weights_the_file_gives_it(store: Detente, icews_rows: Path) -> None:
    reader = IcewsReader(icews_rows)
    outcome = store.import_lines(reader, batch_size=4)
    expected = icews_tallies(icews_rows)
    assert outcome.rejected == [] and reader.weight_mismatches == []
    assert outcome.added == sum(tally.count for tally in expected.values()) == 25
    assert reader.filtered == 3
    assert_same_tallies(stored_tallies(store), expected)


def test_importing_the_same_file_again_adds_no_event(store: Detente, icews_rows: Path) -> None:
    first = store.import_lines(IcewsReader(icews_rows))
    again = store.import_lines(IcewsReader(icews_rows))
    assert (again.added, again.duplicates) == (0, first.added)


def test_an_event_id_used_on_two_dates_makes_two_records(store: Detente, icews_rows: Path) -> None:
    store.import_lines(IcewsReader(icews_rows))
    ids = sorted(fact.record_id for fact in store.view.facts("PRK-USA") if fact.record_id.startswith("icews:990000001"))
    assert ids == ["icews:990000001:2018-06-01", "icews:990000001:2018-06-11"]


def test_icews_spellings_of_country_names_resolve_to_their_states(store: Detente, icews_rows: Path) -> None:
    store.import_lines(IcewsReader(icews_rows))
    assert api.relationship(store, "FRA", "CIV").event_count == 1
    assert api.relationship(store, "GRC", "MKD").event_count == 1


def test_an_event_is_known_from_its_event_date(store: Detente, icews_rows: Path) -> None:
    store.import_lines(IcewsReader(icews_rows))
    on_the_eve = api.relationship(store, "USA", "PRK", as_of="2018-06-30", known_at="2018-06-11")
    on_the_day = api.relationship(store, "USA", "PRK", as_of="2018-06-30", known_at="2018-06-12")
    assert (on_the_eve.event_count, on_the_day.event_count) == (4, 6)


def test_detente_weighs_an_icews_event_by_the_gdelt_table_and_keeps_the_intensity(
    store: Detente, icews_rows: Path
) -> None:
    store.import_lines(IcewsReader(icews_rows))
    (fact,) = [fact for fact in store.view.facts("CHN-USA") if fact.code == "164"]
    assert fact.weight == -7.0
    assert fact.details["provenance"]["dataset_weight"] == -6.5


def test_the_sectors_option_keeps_rows_where_both_sides_have_one_of_the_sectors(
    store: Detente, icews_rows: Path
) -> None:
    reader = IcewsReader(icews_rows, sectors=["military"])
    store.import_lines(reader)
    expected = icews_tallies(icews_rows, sectors=["Military"])
    assert [tally.count for tally in expected.values()] == [1]
    assert_same_tallies(stored_tallies(store), expected)


def test_the_roots_option_keeps_only_those_roots(store: Detente, icews_rows: Path) -> None:
    store.import_lines(IcewsReader(icews_rows, roots=["04"]))
    codes = {fact.code[:2] for key in store.view.pairs() for fact in store.view.facts(key)}
    assert codes == {"04"}


def test_bad_rows_are_reported_with_their_line_numbers_and_the_others_imported(
    tmp_path: Path, store: Detente, icews_rows: Path
) -> None:
    lines = icews_rows.read_text(encoding="utf-8").splitlines(keepends=True)
    spoil = {
        3: ("Target Country", "Atlantis", "Atlantis"),
        5: ("CAMEO Code", "51", "CAMEO Code '51'"),
        7: ("Event Date", "06/03/2018", "Event Date"),
        9: ("Intensity", "strong", "Intensity"),
    }
    header = lines[0].rstrip("\n").split("\t")
    for number, (column, value, _) in spoil.items():
        fields = lines[number - 1].rstrip("\n").split("\t")
        fields[header.index(column)] = value
        lines[number - 1] = "\t".join(fields) + "\n"
    lines[10] = "\t".join(lines[10].split("\t")[:12]) + "\n"
    spoilt = tmp_path / "spoilt.tab"
    spoilt.write_text("".join(lines), encoding="utf-8")
    outcome = store.import_lines(IcewsReader(spoilt))
    assert [number for number, _ in outcome.rejected] == [3, 5, 7, 9, 11]
    messages = dict(outcome.rejected)
    for number, (_, _, reason) in spoil.items():
        assert reason in messages[number]
    assert "expected 20 tab-separated columns" in messages[11]
    assert outcome.added == 25 - 5


def test_an_intensity_unlike_the_icews_table_is_reported(tmp_path: Path, icews_rows: Path) -> None:
    lines = icews_rows.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].split("\t")
    fields[7] = "9"
    lines[1] = "\t".join(fields)
    changed = tmp_path / "changed.tab"
    changed.write_text("".join(lines), encoding="utf-8")
    reader = IcewsReader(changed)
    records = [record for _, record in reader]
    assert len(records) == 25
    assert [number for number, _ in reader.weight_mismatches] == [2]
    assert "Intensity 9 differs from 1" in reader.weight_mismatches[0][1]
