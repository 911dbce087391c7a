"""The flat rows every table-shaped answer is written as: one way to name a pair, dates that load.

A row names its pair as `pair` (`A-B`, the codes in alphabetical order) with `a` and `b` beside it, so
that no column name depends on the pair; a date keeps its written precision (`2024`, `2024-06`) in `date`
and gains `date_start`, `date_end` and `precision`, so that a spreadsheet or pandas gets real dates. The
CLI's csv/tsv/ndjson formats and `api.frame` write these rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from detente.domain.dates import PartialDate
from detente.domain.sources import Status

COUNTED = ("conditions", "active_sanctions", "active_detentions", "pending_visits")
"""The standing items a summary row counts rather than lists."""
SUMMARY_COLUMNS = ["as_of", "score", "score_low", "score_high", "level", "trend", "event_count", "a_to_b", "b_to_a", *COUNTED]
PAIR_COLUMNS = ["pair", "a", "b"]
DATE_COLUMNS = ["date", "date_start", "date_end", "precision"]


def pair_columns(pair: tuple[str, str] | list[str] | str) -> dict[str, str]:
    """{"pair": "KOR-RUS", "a": "KOR", "b": "RUS"}, whichever way round the codes come."""
    codes = pair.split("-") if isinstance(pair, str) else list(pair)
    a, b = sorted(codes)
    return {"pair": f"{a}-{b}", "a": a, "b": b}


def date_columns(written: str | None) -> dict[str, Any]:
    """`date` as written, and the first and last day it covers with its precision ('' for no date)."""
    if not written:
        return {"date": "", "date_start": "", "date_end": "", "precision": ""}
    period = PartialDate.parse(written)
    return {
        "date": str(period),
        "date_start": period.first_day.isoformat(),
        "date_end": period.last_day.isoformat(),
        "precision": period.precision.value,
    }


def period_start(day: date, every: str) -> date:
    """The first day of the day, week (Monday), month, quarter or year that ends on or holds `day`."""
    if every == "day":
        return day
    if every == "week":
        return day - timedelta(days=day.weekday())
    if every == "month":
        return day.replace(day=1)
    if every == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def summary_row(state: Mapping[str, Any], every: str | None = None) -> dict[str, Any]:
    """A state (its `to_dict()`) as one row: the pair, the date it stands for, its scalars and the score of
    each side, and how many of each standing item. With `every`, the row stands for the period ending on
    its date (a timeline's step); else for the day."""
    day = date.fromisoformat(state["as_of"])
    start = period_start(day, every) if every else day
    row: dict[str, Any] = {
        **pair_columns(state["pair"]),
        "date_start": start.isoformat(),
        "date_end": day.isoformat(),
        "precision": every or "day",
    }
    row.update({key: state[key] for key in SUMMARY_COLUMNS if key in state})
    row.update(state.get("directed") or {})
    row.update({key: len(state[key]) for key in COUNTED})
    row["events_last_365_days"] = sum((state.get("counts") or {}).values())
    return row


def state_row(state: Mapping[str, Any]) -> dict[str, Any]:
    """A whole state as one row to flatten (status's csv): the pair's columns first, then every field, with
    the score of each side as `a_to_b` and `b_to_a`."""
    rest = {key: value for key, value in state.items() if key not in ("pair", "a", "b", "directed")}
    return {**pair_columns(state["pair"]), **rest, **(state.get("directed") or {})}


def event_row(event: Mapping[str, Any]) -> dict[str, Any]:
    """An event in interchange form (or a fact's summary) as a row: the pair, the dates, the attribution
    written out (`reported` rather than blank), then its other fields."""
    rest = {key: value for key, value in event.items() if key not in ("date", "precision")}
    return {
        **pair_columns((event["actor"], event["target"])),
        **date_columns(event.get("date")),
        **rest,
        "status": event.get("status") or Status.REPORTED.value,
    }


def no_negative_zero(value: Any) -> Any:
    """The value with every -0.0 inside it written 0.0 (a score that rounds to zero has no sign)."""
    if isinstance(value, float):
        return value + 0.0
    if isinstance(value, Mapping):
        return {key: no_negative_zero(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [no_negative_zero(item) for item in value]
    return value
