"""A pair over time: its state at each step (`timeline`), and each event with the state after it (`replay`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from . import text
from .app import reads_store
from .output import Output, output_options
from .params import DATE, check_span, knowledge_options
from .reading import SUMMARY_COLUMNS, pair_command

if TYPE_CHECKING:
    from detente.domain.actors import Actor
    from detente.domain.dates import PartialDate
    from detente.service import Detente

TIMELINE_TABLE = ["as_of", "score", "score_low", "score_high", "level", "trend", "event_count", "a_to_b", "b_to_a", *SUMMARY_COLUMNS[-4:]]


@click.command()
@pair_command
@click.option("--from", "start", type=DATE, help="First date (default: the pair's first event).")
@click.option("--to", "end", type=DATE, help="Last date (default: today).")
@click.option("--every", type=click.Choice(["day", "week", "month", "quarter", "year"]), default="month", show_default=True, help="Step between dates (a week ends on Sunday).")
@knowledge_options
@output_options
@reads_store
def timeline(store: Detente, a: Actor, b: Actor, start: PartialDate | None, end: PartialDate | None, every: str, clocks: dict[str, Any]) -> Output:
    """The pair's state at the end of each day, week, month, quarter or year.

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
    from detente.tables import summary_row

    return Output(data=states, rows=[summary_row(state, every) for state in states], columns=SUMMARY_COLUMNS, table_columns=TIMELINE_TABLE)


REPLAY_COLUMNS = [
    "pair", "a", "b", "date", "date_start", "date_end", "precision", "id", "type", "code", "actor", "target", "status",
    "day_change", "score", "level", "summary",
]  # fmt: skip


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
    from detente.tables import event_row

    changes = {mover.day: mover.change for mover in api.movers(store, a, b, as_of=end, **clocks)}
    steps, rows = [], []
    for step in api.replay(store, a, b, as_of=end, **clocks):
        fact, state = api.fact_summary(step.fact), step.state.to_dict()
        change = changes.pop(step.fact.counts_from(), None)
        steps.append({"fact": fact, "day_change": change, "state": state})
        rows.append({**event_row(fact), "day_change": change, "score": state["score"], "level": state["level"]})
    return Output(
        data=steps,
        rows=rows,
        columns=REPLAY_COLUMNS,
        table_columns=[column for column in REPLAY_COLUMNS if column not in ("pair", "a", "b", "date_start", "date_end", "precision", "code")],
        empty=f"No events recorded between {text.name(a.code)} and {text.name(b.code)}.",
    )
