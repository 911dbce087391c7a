"""Reading GDELT's masterfilelist.txt and the span of a sync; no network, no database."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from detente.masterlist import BadSpan, exports_between, parse, span

UTC = timezone.utc
LIST = """\
150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20191024234500.export.CSV.zip
318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/20191024234500.mentions.CSV.zip
10768507 ea8dde0beb0ba98810a92db068c0ce99 http://data.gdeltproject.org/gdeltv2/20191024234500.gkg.csv.zip
a line that is not one
149211 2a91041d7e72b0fc6a629e2ff867b240 http://data.gdeltproject.org/gdeltv2/20191025000000.export.CSV.zip
"""


def test_a_line_gives_the_size_the_md5_and_the_name_the_file_is_fetched_by() -> None:
    listed = parse(LIST.splitlines()[0])
    assert listed is not None
    assert (listed.size, listed.md5, listed.name) == (150383, "297a16b493de7cf6ca809a7cc31d0b93", "20191024234500.export.CSV.zip")
    assert listed.moment == datetime(2019, 10, 24, 23, 45, tzinfo=UTC)
    assert parse("a line that is not one") is None


def test_a_date_covers_its_whole_day_and_only_events_exports_are_taken() -> None:
    names = [listed.name for listed in exports_between(LIST.splitlines(), *span("2019-10-24", "2019-10-24"))]
    assert names == ["20191024234500.export.CSV.zip"]


def test_a_date_time_is_utc_unless_it_says_otherwise_and_both_ends_count() -> None:
    assert span("2019-10-25T00:00", "2019-10-25T02:00+02:00") == (
        datetime(2019, 10, 25, tzinfo=UTC),
        datetime(2019, 10, 25, tzinfo=UTC),
    )
    names = [listed.name for listed in exports_between(LIST.splitlines(), *span("2019-10-24T23:45:00Z", "2019-10-25T00:00"))]
    assert names == ["20191024234500.export.CSV.zip", "20191025000000.export.CSV.zip"]


@pytest.mark.parametrize("start, end, says", [("24/10/2019", "2019-10-25", "neither a date"), ("2019-10-25", "2019-10-24", "before --from")])
def test_a_span_that_cannot_be_read_says_why(start: str, end: str, says: str) -> None:
    with pytest.raises(BadSpan, match=says):
        span(start, end)
