"""A dataset's country column is read strictly: a missing-value marker is no country, never a guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.domain.actors import Actor
from detente.domain.errors import UnknownActor
from detente.importers import GdeltReader, IcewsReader
from detente.interchange.records import Record


@pytest.mark.parametrize("code", ["NA", "RU", "Russia", "rus", ""])
def test_a_code_column_takes_three_letter_codes_only(code: str) -> None:
    with pytest.raises(UnknownActor):
        Actor.from_alpha3(code)


@pytest.mark.parametrize("code, meant", [("RUS", "RUS"), ("ROM", "ROU"), ("XKX", "XKX"), ("UNO", "UNO")])
def test_a_code_column_knows_iso_and_cameo_codes(code: str, meant: str) -> None:
    assert Actor.from_alpha3(code).code == meant


@pytest.mark.parametrize("name", ["NA", "RUS", "US", "Namibi"])
def test_a_name_column_takes_names_only_and_never_guesses(name: str) -> None:
    with pytest.raises(UnknownActor):
        Actor.from_name(name)


@pytest.mark.parametrize(
    "name, meant",
    [("Russian Federation", "RUS"), ("Namibia", "NAM"), ("Moldova, Republic of", "MDA"), ("Holy See", "VAT")],
)
def test_a_name_column_knows_full_names_and_common_ones(name: str, meant: str) -> None:
    assert Actor.from_name(name).code == meant


def test_the_gdelt_excerpt_says_why_each_row_was_left_out(gdelt_excerpt: Path) -> None:
    reader = GdeltReader(gdelt_excerpt, roots=["04"])
    kept = sum(1 for _ in reader)
    # Six rows have an actor without a country, four name a region or an organisation, four are domestic.
    assert {"no country": 6, "not a state": 4, "same country": 4} == {
        reason: count for reason, count in reader.left_out.items() if reason != "filter"
    }
    assert reader.left_out["filter"] == reader.rows - kept - 14 > 0
    assert sum(reader.left_out.values()) == reader.filtered


def test_an_icews_na_country_is_left_out_as_no_country_not_read_as_namibia(icews_rows: Path, tmp_path: Path) -> None:
    header, first, *_ = icews_rows.read_text(encoding="utf-8").splitlines()
    columns = header.split("\t")
    fields = first.split("\t")
    fields[columns.index("Target Country")] = "NA"
    empty = first.split("\t")
    empty[columns.index("Source Country")] = ""
    edited = tmp_path / "events.tab"
    edited.write_text("\n".join([header, "\t".join(fields), "\t".join(empty), first]) + "\n", encoding="utf-8")
    reader = IcewsReader(edited)
    kept = [record for _, record in reader]
    assert len(kept) == 1 and isinstance(kept[0], Record)
    assert {kept[0].actors[0].code, kept[0].targets[0].code} == {"USA", "PRK"}
    assert dict(reader.left_out) == {"no country": 2}


def test_an_icews_country_it_cannot_name_is_a_bad_row_with_suggestions(icews_rows: Path, tmp_path: Path) -> None:
    header, first, *_ = icews_rows.read_text(encoding="utf-8").splitlines()
    fields = first.split("\t")
    fields[header.split("\t").index("Target Country")] = "Nort Korea"
    edited = tmp_path / "events.tab"
    edited.write_text("\n".join([header, "\t".join(fields)]) + "\n", encoding="utf-8")
    ((number, error),) = list(IcewsReader(edited))
    assert number == 2 and "North Korea" in str(error)


def test_gdelt_provenance_keeps_its_counts_as_numbers_and_its_source_url(gdelt_excerpt: Path) -> None:
    rows = {fields[0]: fields for fields in (line.split("\t") for line in gdelt_excerpt.read_text(encoding="utf-8").splitlines())}
    record = next(record for _, record in GdeltReader(gdelt_excerpt) if isinstance(record, Record))
    provenance = record.specific["provenance"]
    row = rows[provenance["source_id"]]
    assert [provenance[name] for name in ("num_mentions", "num_sources", "num_articles")] == [int(row[i]) for i in (31, 32, 33)]
    assert provenance["is_root_event"] is (row[25] == "1") and provenance["dataset_weight"] == float(row[30])
    assert record.sources[0].url == row[60]
