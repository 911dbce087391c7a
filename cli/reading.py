"""The reading commands at one date: a pair's events, its state, what drives its score, and every pair
ranked. A pair over time (timeline, replay) is in `histories.py`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from . import state_text, text
from .app import reads_store
from .output import Output, output_options, to_table
from .params import COUNTRY, DATE, check_pair, check_span, knowledge_options, stacked

if TYPE_CHECKING:
    from detente.domain.actors import Actor
    from detente.domain.dates import PartialDate
    from detente.service import Detente

pair_command = stacked(click.argument("a", type=COUNTRY), click.argument("b", type=COUNTRY, callback=check_pair))
"""The two countries A and B of a pair command."""


EVENT_COLUMNS = [
    "pair", "a", "b", "date", "date_start", "date_end", "precision", "id", "type", "code", "actor", "target", "status",
    "claimed_by", "summary", "sources", "refers_to", "recorded_at",
]  # fmt: skip


@click.command()
@pair_command
@click.option("--from", "start", type=DATE, help="Only events that may fall on or after this date (an event dated 2024 is in --from 2024-06).")
@click.option("--to", "end", type=DATE, help="Only events that may fall on or before this date.")
@output_options
@reads_store
def events(store: Detente, a: Actor, b: Actor, start: PartialDate | None, end: PartialDate | None) -> Output:
    """The pair's events in date order, with sources and attribution.

    A and B are countries or organisations, by code or name; the order does not matter.

    \b
    Example:
        detente events RUS PRK
        detente events RUS PRK --from 2023 --to 2024-06
        detente events Russia "South Korea" --format json
    """
    from detente import api
    from detente.domain.sources import Status
    from detente.tables import event_row

    check_span(start, end)
    rows = api.events(store, a, b, start, end)
    table = [
        {
            "date": row["date"],
            "id": row["id"],
            "type": row["type"],
            "actor→target": text.arrow(row["actor"], row["target"]),
            "attribution": text.attribution(row) or Status.REPORTED.value,
            "summary": row.get("summary", ""),
            "sources": "; ".join(text.source_label(s) for s in row.get("sources", [])) or "unsourced",
        }
        for row in rows
    ]
    return Output(
        data=rows,
        rows=[event_row(row) for row in rows],
        columns=EVENT_COLUMNS,
        text=to_table(table, list(table[0])) if table else None,
        empty=f"No events recorded between {text.name(a.code)} and {text.name(b.code)}{_span(start, end)}.",
    )


def _span(start: PartialDate | None, end: PartialDate | None) -> str:
    if start is None and end is None:
        return ""
    return f" from {start or 'the first'} to {end or 'the last'}"


@click.command()
@pair_command
@click.option("--as-of", type=DATE, help="The real-world date (default: today); a month or year means its last day.")
@knowledge_options
@output_options
@reads_store
def status(store: Detente, a: Actor, b: Actor, as_of: PartialDate | None, clocks: dict[str, Any]) -> Output:
    """The relationship between A and B on a date, as known at a time.

    Shows the score (−10 hostile … +10 close) and its level, active sanctions and
    detentions, pending and last visits, agreements, transfers, claims and the
    events that drive the score.

    \b
    Example:
        detente status RUS PRK
        detente status Russia "North Korea" --as-of 2024-06-20 --known-at 2024-06-17
        detente status RUS KOR --as-of 2024 --format json
    """
    from detente import api

    from detente.tables import state_row

    state = api.relationship(store, a, b, as_of=as_of, **clocks).to_dict()
    return Output(data=state, rows=[state_row(state)], text=state_text.status_text(state, a.code, b.code))


SUMMARY_COLUMNS = [
    "pair", "a", "b", "date_start", "date_end", "precision", "as_of", "score", "score_low", "score_high", "level", "trend",
    "event_count", "events_last_365_days", "a_to_b", "b_to_a", "conditions", "active_sanctions", "active_detentions",
    "pending_visits",
]  # fmt: skip
"""The columns of a state's summary row (timeline, pairs): `date_start`..`date_end` is the period it stands for."""
PAIRS_TABLE = ["pair", "score", "score_low", "score_high", "level", "trend", "event_count", "events_last_365_days", *SUMMARY_COLUMNS[-4:]]


DRIVER_COLUMNS = [
    "kind", "contribution", "date", "type", "actor", "target", "status", "code", "weight", "id", "events", "summary", "sources",
]  # fmt: skip


@click.command()
@pair_command
@click.option("--as-of", type=DATE, help="The real-world date (default: today).")
@click.option("--limit", type=click.IntRange(min=1), default=5, show_default=True, help="Name this many drivers; the rest are summed in one line.")
@knowledge_options
@output_options
@reads_store
def explain(store: Detente, a: Actor, b: Actor, as_of: PartialDate | None, limit: int, clocks: dict[str, Any]) -> Output:
    """Explain the score: the events that drive it, with sources.

    The drivers shown and the line "N other events: ±X" add up to the score
    (in csv, the last row, of kind `others`).

    \b
    Example:
        detente explain RUS PRK --as-of 2024-06-30
        detente explain RUS KOR --limit 10 --format csv
    """
    from detente import api

    state = api.relationship(store, a, b, as_of=as_of, drivers=limit, **clocks).to_dict()
    keys = ("pair", "a", "b", "as_of", "known_at", "recorded_by", "score", "level", "level_reason", "drivers", "other_drivers")
    others = state["other_drivers"]
    rest = [{"kind": "others", "contribution": others["contribution"], "events": others["count"], "summary": f"{others['count']} other events"}]
    return Output(
        data={key: state[key] for key in keys},
        rows=state["drivers"] + (rest if others["count"] else []),
        columns=DRIVER_COLUMNS,
        text=state_text.explain_text(state, a.code, b.code),
    )


@click.command()
@click.option("--as-of", type=DATE, help="The real-world date (default: today).")
@click.option("--country", type=COUNTRY, help="Only the pairs this country or organisation is part of.")
@click.option(
    "--sort",
    type=click.Choice(["score", "warming", "cooling", "activity", "change"]),
    default="score",
    show_default=True,
    help="score: highest first; warming / cooling: largest 90-day rise / fall first; activity: most events in the last 365 days first; change: largest 90-day change either way first.",
)
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many pairs.")
@knowledge_options
@output_options
@reads_store
def pairs(store: Detente, as_of: Any, country: Actor | None, sort: str, limit: int | None, clocks: dict[str, Any]) -> Output:
    """Every pair on a date, ranked by score, by recent change or by activity.

    \b
    Example:
        detente pairs --as-of 2024-06-30 --country RUS
        detente pairs --sort cooling --limit 10 --format csv
    """
    from detente import api
    from detente.tables import summary_row

    states = [state.to_dict() for state in api.ranked_pairs(store, country, sort, limit, as_of=as_of, **clocks)]
    rows = [summary_row(state) for state in states]
    data = [{**row, "pair": state["pair"]} for row, state in zip(rows, states)]
    return Output(
        data=data, rows=rows, columns=SUMMARY_COLUMNS, table_columns=PAIRS_TABLE, empty="No events recorded: there are no pairs to rank."
    )
