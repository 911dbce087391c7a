"""Real-world dates with honest precision: a year, a month, or a day.

'Earlier this year' is a year; 'in February 2022' is a month. Nothing here invents a day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from functools import lru_cache

from .errors import MalformedDate, MalformedDateTime


class Precision(str, Enum):
    YEAR = "year"
    MONTH = "month"
    DAY = "day"


_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, the month or the day. Written YYYY, YYYY-MM or YYYY-MM-DD."""

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        if self.day is not None and self.month is None:
            raise MalformedDate(f"{self.year}-?-{self.day}", "a day needs a month")
        try:  # month 0 and day 0 are not `or 1`: 2024-00-10 is no date
            date(self.year, 1 if self.month is None else self.month, 1 if self.day is None else self.day)
        except (ValueError, TypeError) as error:
            raise MalformedDate(str(self.year), str(error)) from None

    @classmethod
    def parse(cls, text: str | date | PartialDate) -> PartialDate:
        if isinstance(text, PartialDate):
            return text
        if isinstance(text, datetime):
            raise MalformedDate(text.isoformat(), "a real-world date has no time of day")
        if isinstance(text, date):
            return cls(text.year, text.month, text.day)
        match = _PATTERN.match(str(text).strip())
        if not match:
            raise MalformedDate(str(text))
        year, month, day = (int(part) if part else None for part in match.groups())
        assert year is not None
        try:
            return cls(year, month, day)
        except MalformedDate:
            raise MalformedDate(str(text), "no such day") from None

    @classmethod
    def of(cls, day: date) -> PartialDate:
        return cls(day.year, day.month, day.day)

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def first_day(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        if self.day is not None:
            return self.first_day
        if self.month is not None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    def __str__(self) -> str:
        if self.day is not None:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month is not None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


def parse_moment(text: str | date | datetime, *, end_of_period: bool = True) -> datetime:
    """A point on the knowledge or recording clock, as an aware UTC datetime (see `_parse_moment`)."""
    if isinstance(text, str):
        return _parse_text_moment(text, end_of_period)
    return _parse_moment(text, end_of_period=end_of_period)


@lru_cache(maxsize=4096)
def _parse_text_moment(text: str, end_of_period: bool) -> datetime:
    """Imports repeat a handful of publication moments (one per GDELT file) thousands of times."""
    return _parse_moment(text, end_of_period=end_of_period)


def _parse_moment(text: str | date | datetime, *, end_of_period: bool = True) -> datetime:
    """A point on the knowledge or recording clock, as an aware UTC datetime.

    A date (or a month, or a year) stands for the end of that period: 'known at 2024-06-17' includes
    everything learnt during 17 June. A date-time without an offset is read as UTC.
    """
    if isinstance(text, datetime):
        moment = text
    elif isinstance(text, date):
        moment = _period_edge(PartialDate.of(text), end_of_period)
    else:
        raw = str(text).strip()
        if _PATTERN.match(raw):
            return _period_edge(PartialDate.parse(raw), end_of_period)
        try:
            moment = datetime.fromisoformat(raw.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise MalformedDateTime(raw) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:  # 9999-12-31T23:59:59-12:00 or 0001-01-01T00:00:00+14:00: no UTC moment exists
        raise MalformedDateTime(str(text), "it lies outside the years 0001–9999 once converted to UTC", out_of_range=True) from None


def _period_edge(period: PartialDate, end: bool) -> datetime:
    if end:
        if period.last_day == date.max:
            return datetime.max.replace(tzinfo=timezone.utc)
        return datetime.combine(period.last_day + timedelta(days=1), time(), timezone.utc) - timedelta(
            microseconds=1
        )
    return datetime.combine(period.first_day, time(), timezone.utc)
