"""A dataset row becomes its record directly: the same record the interchange form of that row parses to.

The expected interchange records are written out here from the rows' own columns, not made by the readers.
"""

from __future__ import annotations

from pathlib import Path

from detente.importers import GdeltReader, IcewsReader
from detente.interchange.records import parse_record


def test_a_gdelt_row_is_the_record_its_interchange_form_parses_to(gdelt_excerpt: Path) -> None:
    # The excerpt's last row: GLOBALEVENTID 881992826, UNITED STATES (USA) -> ODESSA (UKR), EventCode 193.
    (number, record), *_ = [(n, r) for n, r in GdeltReader(gdelt_excerpt) if r.id == "gdelt:881992826"]
    url = (
        "https://www.elpasotimes.com/in-depth/news/2019/10/24/"
        "texas-mass-shootings-deaths-el-paso-walmart-odessa-sutherland-springs/4008425002/"
    )
    interchange = {
        "id": "gdelt:881992826",
        "type": "cameo",
        "code": "193",
        "date": "2019-10-24",
        "actor": "USA",
        "target": "UKR",
        "summary": "UNITED STATES → ODESSA: fight with small arms and light weapons",
        "sources": [{"url": url, "published": "2019-10-24T14:30:00+00:00", "publisher": "elpasotimes.com"}],
        "provenance": {
            "dataset": "gdelt", "file": gdelt_excerpt.name, "source_id": "881992826", "dataset_weight": -10.0,
            "num_mentions": 1, "num_sources": 1, "num_articles": 1, "avg_tone": -4.82367988306231,
            "is_root_event": False, "actor1_code": "USA", "actor2_code": "UKR",
        },
    }  # fmt: skip
    assert record == parse_record(interchange)
    assert number == len(gdelt_excerpt.read_text(encoding="utf-8").splitlines())


def test_an_icews_row_is_the_record_its_interchange_form_parses_to(icews_rows: Path) -> None:
    (number, record), *_ = list(IcewsReader(icews_rows))
    interchange = {
        "id": "icews:990000001:2018-06-01",
        "type": "cameo",
        "code": "040",
        "date": "2018-06-01",
        "actor": "USA",
        "target": "PRK",
        "summary": "Mike Pompeo → Kim Yong Chol: Consult",
        "sources": [{"publisher": "Fictional Wire", "published": "2018-06-01"}],
        "provenance": {
            "dataset": "icews", "file": icews_rows.name, "source_id": "990000001", "dataset_weight": 1.0,
            "story_id": 99000001, "sentence_number": 1, "publisher": "Fictional Wire", "source_name": "Mike Pompeo",
            "source_sectors": "Foreign Ministry,Government", "target_name": "Kim Yong Chol",
            "target_sectors": "Government",
        },
    }  # fmt: skip
    assert record == parse_record(interchange)
    assert number == 2  # the line after the header
