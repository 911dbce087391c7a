"""pandas DataFrames of the library's answers, with the dtypes an analyst expects.

    >>> api.frame(store, "events", "RUS", "PRK")           # one row per event
    >>> api.frame(store, "timeline", "RUS", "KOR", start="2023", every="quarter")
    >>> api.frame(store, "pairs", as_of="2024-06-30")
    >>> api.to_frame(api.replay(store, "RUS", "PRK"))      # any list of answers

The rows are those of the CLI's csv (detente.tables): `pair`, `a`, `b`, the dates as `date` (as written),
`date_start` and `date_end` (datetime64) with `precision`. CAMEO codes, ids and codes are text (`string`
dtype: "042" keeps its zero), clocks are UTC datetimes. pandas is optional: without it, a clear error says
how to install it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from detente.domain.errors import DetenteError

DAY_COLUMNS = ("as_of", "date_start", "date_end")
MOMENT_COLUMNS = ("known_since", "recorded_at", "known_at", "recorded_by")
TEXT_COLUMNS = (
    "pair", "a", "b", "id", "type", "code", "actor", "target", "status", "level", "precision", "date", "summary",
    "refers_to", "incident",
)  # fmt: skip
FRAMES = ("events", "timeline", "pairs", "replay", "status")


class PandasMissing(DetenteError):
    def __init__(self) -> None:
        super().__init__("A DataFrame needs pandas, which is not installed: pip install pandas")


def to_frame(results: Iterable[Any], every: str | None = None) -> Any:
    """A DataFrame of states (one summary row each), replay steps, facts, or event rows from `api.events`."""
    pandas = _pandas()
    table = pandas.DataFrame([_row(result, every) for result in results])
    for column in table.columns:
        if column in DAY_COLUMNS:
            table[column] = pandas.to_datetime(table[column].replace("", None), format="%Y-%m-%d", errors="coerce")
        elif column in MOMENT_COLUMNS:
            table[column] = pandas.to_datetime(table[column].replace("", None), format="ISO8601", utc=True, errors="coerce")
        elif column in TEXT_COLUMNS:
            table[column] = table[column].astype("string")
    return table


def _row(result: Any, every: str | None) -> Mapping[str, Any]:
    from detente.projections.facts import Fact
    from detente.projections.state import RelationshipState
    from detente.queries import fact_summary
    from detente.tables import event_row, summary_row

    if isinstance(result, RelationshipState):
        return summary_row(result.to_dict(), every)
    if isinstance(result, Fact):
        return event_row(fact_summary(result))
    if hasattr(result, "fact") and hasattr(result, "state"):  # a replay step
        return {**event_row(fact_summary(result.fact)), "score": result.state.score, "level": result.state.level}
    if isinstance(result, Mapping) and "actor" in result and "target" in result:
        return event_row(result)
    if hasattr(result, "to_dict"):
        return result.to_dict()
    return dict(result)


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise PandasMissing() from None
    return pandas
