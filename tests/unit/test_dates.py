from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from detente.domain.dates import PartialDate, Precision, parse_moment
from detente.domain.errors import MalformedDate, MalformedDateTime


def test_a_year_keeps_year_precision_and_invents_no_day() -> None:
    year = PartialDate.parse("2024")
    assert year.precision is Precision.YEAR
    assert str(year) == "2024"
    assert (year.first_day, year.last_day) == (date(2024, 1, 1), date(2024, 12, 31))


def test_a_month_keeps_month_precision() -> None:
    month = PartialDate.parse("2024-02")
    assert month.precision is Precision.MONTH
    assert month.last_day == date(2024, 2, 29)


def test_a_day_is_a_day() -> None:
    day = PartialDate.parse("2024-06-19")
    assert day.precision is Precision.DAY
    assert day.first_day == day.last_day == date(2024, 6, 19)


@pytest.mark.parametrize("text", ["2024-13", "2024-02-30", "24-06-19", "19/06/2024", "", "2024-6-1"])
def test_malformed_dates_are_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(MalformedDate) as raised:
        PartialDate.parse(text)
    assert "YYYY-MM-DD" in str(raised.value)


def test_a_date_as_a_moment_means_the_end_of_that_day() -> None:
    assert parse_moment("2024-06-17") == datetime(2024, 6, 17, 23, 59, 59, 999999, tzinfo=timezone.utc)


def test_moments_accept_offsets_and_z() -> None:
    expected = datetime(2024, 6, 17, 9, 30, tzinfo=timezone.utc)
    assert parse_moment("2024-06-17T09:30:00+00:00") == expected
    assert parse_moment("2024-06-17T09:30:00Z") == expected
    assert parse_moment("2024-06-17T11:30:00+02:00") == expected
    assert parse_moment("2024-06-17T09:30:00") == expected


def test_a_malformed_moment_is_refused() -> None:
    with pytest.raises(MalformedDateTime):
        parse_moment("yesterday")
