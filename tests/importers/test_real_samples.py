"""The real GDELT and ICEWS samples in ../shared/data (skipped when absent), cross-checked pair by pair."""

from __future__ import annotations

import csv

import pytest

from detente.importers import GdeltReader, IcewsReader, reader_for
from detente.service import Detente

from .conftest import shared_file
from .expectations import assert_same_tallies, gdelt_tallies, goldstein_column_total, icews_tallies, stored_tallies

pytestmark = pytest.mark.shared

GDELT_SAMPLES = ("20191024143000.export.CSV", "20180326044500.export.CSV")


@pytest.mark.parametrize("name", GDELT_SAMPLES)
def test_a_real_gdelt_export_is_stored_pair_by_pair_as_the_file_says(sqlite_store: Detente, name: str) -> None:
    path = shared_file("gdelt", name)
    reader = GdeltReader(path)
    outcome = sqlite_store.import_lines(reader)
    expected = gdelt_tallies(path)
    assert outcome.rejected == [] and reader.weight_mismatches == []
    assert outcome.added == sum(tally.count for tally in expected.values())
    assert_same_tallies(stored_tallies(sqlite_store), expected)
    stored_total = sum(tally.total for tally in stored_tallies(sqlite_store).values())
    assert stored_total == pytest.approx(goldstein_column_total(path), abs=1e-9)


def test_both_real_gdelt_exports_in_one_store_and_again_add_nothing_new(sqlite_store: Detente) -> None:
    paths = [shared_file("gdelt", name) for name in GDELT_SAMPLES]
    added = sum(sqlite_store.import_lines(GdeltReader(path)).added for path in paths)
    again = [sqlite_store.import_lines(reader_for(None, path)) for path in paths]
    assert [outcome.added for outcome in again] == [0, 0]
    assert sum(outcome.duplicates for outcome in again) == added == sqlite_store.view.count()


def test_the_real_icews_sample_is_stored_pair_by_pair_as_the_file_says(sqlite_store: Detente) -> None:
    path = shared_file("icews", "events.2018.sample.tab")
    reader = IcewsReader(path)
    outcome = sqlite_store.import_lines(reader)
    expected = icews_tallies(path)
    assert outcome.rejected == [] and reader.weight_mismatches == []
    # 1,741: before ICEWS's NA was read as "no country", 357 more rows were stored as Namibia's (2,098).
    assert outcome.added == sum(tally.count for tally in expected.values()) == 1741
    assert_same_tallies(stored_tallies(sqlite_store), expected)
    assert sqlite_store.import_lines(IcewsReader(path)).added == 0


def test_icews_na_is_no_country_so_the_sample_invents_no_namibian_pair(sqlite_store: Detente) -> None:
    path = shared_file("icews", "events.2018.sample.tab")
    reader = IcewsReader(path)
    sqlite_store.import_lines(reader)
    with path.open(encoding="utf-8", newline="") as events:
        rows = list(csv.DictReader(events, delimiter="\t", quoting=csv.QUOTE_NONE))
    na_rows = sum(1 for row in rows if "NA" in (row["Source Country"], row["Target Country"]))
    assert na_rows == 368 and reader.left_out["no country"] == na_rows
    assert reader.left_out["same country"] + na_rows == reader.filtered
    # The file names Namibia in one row only, on both sides (domestic): no Namibian pair is stored.
    named = [(row["Source Country"], row["Target Country"]) for row in rows if "Namibia" in (row["Source Country"], row["Target Country"])]
    assert named == [("Namibia", "Namibia")]
    assert [key for key in sqlite_store.view.pairs() if "NAM" in key.split("-")] == []
