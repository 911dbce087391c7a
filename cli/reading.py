"""The reading commands: a pair's events, its state, its history, and every pair ranked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from . import text
from .app import reads_store
from .output import Output, output_options, to_table
from .params import COUNTRY, DATE, MOMENT, check_pair, check_span, knowledge_options, stacked

if TYPE_CHECKING:
    from detente.domain.actors import Actor
    from detente.domain.dates import PartialDate
    from detente.service import Detente

pair_command = stacked(click.argument("a", type=COUNTRY), click.argument("b", type=COUNTRY, callback=check_pair))
"""The two countries A and B of a pair command."""


@click.command()
@pair_command
@output_options
@reads_store
def events(store: Detente, a: Actor, b: Actor) -> Output:
    """The pair's events in date order, with sources and attribution.

    A and B are countries or organisations, by code or name; the order does not matter.

    \b
    Example:
        detente events RUS PRK
        detente events Russia "South Korea" --format json
    """
    from detente import api

    rows = api.events(store, a, b)
    table = [
        {
            "date": row["date"],
            "id": row["id"],
            "type": row["type"],
            "actor→target": text.arrow(row["actor"], row["target"]),
            "attribution": text.attribution(row) or "reported",
            "summary": row.get("summary", ""),
            "sources": "; ".join(text.source_label(s) for s in row.get("sources", [])) or "unsourced",
        }
        for row in rows
    ]
    return Output(
        data=rows,
        rows=rows,
        columns=["date", "id", "type", "actor", "target", "status", "claimed_by", "summary", "sources", "refers_to", "recorded_at"],
        text=to_table(table, list(table[0])) if table else None,
        empty=f"No events recorded between {text.name(a.code)} and {text.name(b.code)}.",
    )


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

    state = api.relationship(store, a, b, as_of=as_of, **clocks).to_dict()
    return Output(data=state, rows=[state], text=text.status_text(state, a.code, b.code))


COUNTED = ("conditions", "active_sanctions", "active_detentions", "pending_visits")
TIMELINE_COLUMNS = ["as_of", "score", "score_low", "score_high", "level", "trend", "event_count", *COUNTED]


def summary_row(state: dict[str, Any]) -> dict[str, Any]:
    """A state as one row: its scalars (the score with its band), and how many of each standing item."""
    row = {key: state[key] for key in TIMELINE_COLUMNS if key in state}
    row.update({key: len(state[key]) for key in COUNTED})
    return row


@click.command()
@pair_command
@click.option("--from", "start", type=DATE, help="First date (default: the pair's first event).")
@click.option("--to", "end", type=DATE, help="Last date (default: today).")
@click.option("--every", type=click.Choice(["month", "quarter", "year"]), default="month", show_default=True, help="Step between dates.")
@knowledge_options
@output_options
@reads_store
def timeline(store: Detente, a: Actor, b: Actor, start: PartialDate | None, end: PartialDate | None, every: str, clocks: dict[str, Any]) -> Output:
    """The pair's state at the end of each month, quarter or year.

    \b
    Example:
        detente timeline RUS PRK --from 2022 --to 2024-12 --every quarter
        detente timeline RUS KOR --format csv > rus-kor.csv
    """
    from detente import api

    check_span(start, end)
    if start is None:
        span = api.event_span(store, a, b, as_of=end, **clocks)
        if span is None:
            return Output(data=[], empty=f"No events recorded between {text.name(a.code)} and {text.name(b.code)}.")
        start = span[0]
    else:
        start = start.first_day
    try:
        states = [state.to_dict() for state in api.timeline(store, a, b, start, end, every, **clocks)]
    except api.TimelineTooLong as error:
        raise click.UsageError(str(error)) from None
    return Output(data=states, rows=[summary_row(state) for state in states], columns=TIMELINE_COLUMNS)


REPLAY_COLUMNS = ["date", "id", "type", "actor", "target", "status", "day_change", "score", "level", "summary"]


@click.command()
@pair_command
@click.option("--to", "end", type=DATE, help="Replay up to this date (default: today).")
@knowledge_options
@output_options
@reads_store
def replay(store: Detente, a: Actor, b: Actor, end: PartialDate | None, clocks: dict[str, Any]) -> Output:
    """Replay the pair's history: each event, and the state after it.

    day_change is how much the score moved on the day the event counts from (shown
    on the day's first event; events of one day move it together).

    \b
    Example:
        detente replay RUS PRK --to 2024-06-30
        detente replay RUS PRK --known-at 2024-06-17 --format json
    """
    from detente import api

    changes = {mover.day: mover.change for mover in api.movers(store, a, b, as_of=end, **clocks)}
    steps, rows = [], []
    for step in api.replay(store, a, b, as_of=end, **clocks):
        fact, state = api.fact_summary(step.fact), step.state.to_dict()
        change = changes.pop(step.fact.counts_from(), None)
        steps.append({"fact": fact, "day_change": change, "state": state})
        rows.append({**fact, "day_change": change, "score": state["score"], "level": state["level"]})
    return Output(
        data=steps,
        rows=rows,
        columns=REPLAY_COLUMNS,
        empty=f"No events recorded between {text.name(a.code)} and {text.name(b.code)}.",
    )


DRIVER_COLUMNS = ["contribution", "date", "type", "actor", "target", "status", "code", "weight", "id", "summary", "sources"]


@click.command()
@pair_command
@click.option("--as-of", type=DATE, help="The real-world date (default: today).")
@knowledge_options
@output_options
@reads_store
def explain(store: Detente, a: Actor, b: Actor, as_of: PartialDate | None, clocks: dict[str, Any]) -> Output:
    """Explain the score: the events that drive it, with sources.

    \b
    Example:
        detente explain RUS PRK --as-of 2024-06-30
        detente explain RUS KOR --format csv
    """
    from detente import api

    state = api.relationship(store, a, b, as_of=as_of, **clocks).to_dict()
    keys = ("pair", "as_of", "known_at", "recorded_by", "score", "level", "level_reason", "drivers")
    return Output(
        data={key: state[key] for key in keys},
        rows=state["drivers"],
        columns=DRIVER_COLUMNS,
        text=text.explain_text(state, a.code, b.code),
    )


@click.command()
@pair_command
@click.option("--from", "start", type=DATE, help="Compare the state on this date ...")
@click.option("--to", "end", type=DATE, help="... with the state on this date.")
@click.option("--as-of", type=DATE, help="With --known-at/--vs-known-at: the one date both are read for (default: today).")
@click.option("--known-at", type=MOMENT, help="Compare what was known at this moment ...")
@click.option("--vs-known-at", type=MOMENT, help="... with what was known at this one.")
@click.option("--confirmed-only", is_flag=True, help="Count reported and confirmed events only, not claims.")
@output_options
@reads_store
def diff(store: Detente, a: Actor, b: Actor, start: Any, end: Any, as_of: Any, known_at: Any, vs_known_at: Any, confirmed_only: bool) -> Output:
    """Compare two dates, or two states of knowledge, for a pair.

    Give --from and --to for two dates, or --known-at and --vs-known-at for how
    one date looked at two moments (--as-of picks the date).

    \b
    Example:
        detente diff RUS PRK --from 2022-01-01 --to 2024-06-30
        detente diff RUS PRK --as-of 2024-06-20 --known-at 2024-06-17 --vs-known-at 2024-06-21
    """
    from detente import api

    given = {option for option, value in (("--from", start), ("--to", end), ("--known-at", known_at), ("--vs-known-at", vs_known_at)) if value}
    if given == {"--from", "--to"}:
        queries = (api.make_query(as_of=start, confirmed_only=confirmed_only), api.make_query(as_of=end, confirmed_only=confirmed_only))
        labels = (f"on {queries[0].as_of}", f"on {queries[1].as_of}")
    elif given == {"--known-at", "--vs-known-at"}:
        queries = tuple(api.make_query(as_of=as_of, known_at=moment, confirmed_only=confirmed_only) for moment in (known_at, vs_known_at))
        labels = (f"known at {text.moment(known_at.isoformat())}", f"known at {text.moment(vs_known_at.isoformat())}")
    else:
        raise click.UsageError("Give --from and --to (two dates), or --known-at and --vs-known-at (two states of knowledge).")
    result = api.diff(store, a, b, *queries).to_dict()
    rows = (
        [{"change": "added", **fact} for fact in result["added"]]
        + [{"change": "removed", **fact} for fact in result["removed"]]
        + [{"change": "changed", **fact} for fact in result["changed"]]
    )
    return Output(
        data=result,
        rows=rows,
        columns=["change", "date", "id", "type", "actor", "target", "status", "weight", "summary"],
        text=text.diff_text(result, a.code, b.code, labels),
    )


PAIRS_COLUMNS = ["pair", "score", "score_low", "score_high", "level", "trend", "event_count", *COUNTED]


@click.command()
@click.option("--as-of", type=DATE, help="The real-world date (default: today).")
@click.option("--country", type=COUNTRY, help="Only the pairs this country or organisation is part of.")
@click.option("--sort", type=click.Choice(["score", "change"]), default="score", show_default=True, help="score: highest first; change: largest 90-day change (either way) first.")
@click.option("--limit", type=click.IntRange(min=1), help="Show at most this many pairs.")
@knowledge_options
@output_options
@reads_store
def pairs(store: Detente, as_of: Any, country: Actor | None, sort: str, limit: int | None, clocks: dict[str, Any]) -> Output:
    """Every pair on a date, ranked by score or by recent change.

    \b
    Example:
        detente pairs --as-of 2024-06-30 --country RUS
        detente pairs --sort change --limit 10 --format csv
    """
    from detente import api

    states = [state.to_dict() for state in api.ranked_pairs(store, country, sort, limit, as_of=as_of, **clocks)]
    rows = [{**summary_row(state), "pair": "-".join(state["pair"])} for state in states]
    data = [{**row, "pair": state["pair"]} for row, state in zip(rows, states)]
    return Output(data=data, rows=rows, columns=PAIRS_COLUMNS, empty="No events recorded: there are no pairs to rank.")
