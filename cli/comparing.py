"""`detente diff`: two states of a pair side by side, and the facts counted in one and not the other."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from . import state_text, text
from .app import reads_store
from .output import Output, output_options
from .params import DATE, MOMENT, check_span
from .reading import pair_command

if TYPE_CHECKING:
    from detente.domain.actors import Actor
    from detente.service import Detente


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

    Give --from and --to for two dates (--from alone: from then to today), or
    --known-at and --vs-known-at for how one date looked at two moments (--as-of
    picks the date).

    \b
    Example:
        detente diff RUS PRK --from 2022-01-01 --to 2024-06-30
        detente diff RUS PRK --from 2024-01-01
        detente diff RUS PRK --as-of 2024-06-20 --known-at 2024-06-17 --vs-known-at 2024-06-21
    """
    from detente import api

    given = {option for option, value in (("--from", start), ("--to", end), ("--known-at", known_at), ("--vs-known-at", vs_known_at)) if value}
    if given == {"--from"}:
        check_span(start, None)
        given = {"--from", "--to"}  # from then to today
    if given == {"--from", "--to"}:
        queries = (api.make_query(as_of=start, confirmed_only=confirmed_only), api.make_query(as_of=end, confirmed_only=confirmed_only))
        labels = (f"on {queries[0].as_of}", f"on {queries[1].as_of}")
    elif given == {"--known-at", "--vs-known-at"}:
        queries = tuple(api.make_query(as_of=as_of, known_at=moment, confirmed_only=confirmed_only) for moment in (known_at, vs_known_at))
        labels = (f"known at {text.moment(known_at.isoformat())}", f"known at {text.moment(vs_known_at.isoformat())}")
    else:
        raise click.UsageError(
            "Give --from and --to (two dates; --from alone: from then to today), or --known-at and --vs-known-at (two states of knowledge)."
        )
    result = api.diff(store, a, b, *queries).to_dict()
    return Output(
        data=result,
        rows=diff_rows(result),
        columns=DIFF_COLUMNS,
        text=state_text.diff_text(result, a.code, b.code, labels),
    )


DIFF_COLUMNS = [
    "change", "pair", "a", "b", "date", "date_start", "date_end", "precision", "id", "type", "code", "actor", "target",
    "status", "weight", "changes", "score_before", "score_after", "level_before", "level_after", "summary",
]  # fmt: skip


def diff_rows(result: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per fact added, removed or read differently (`changes`: field -> [before, after] as JSON), each
    with the scores and levels before and after; a diff where no fact changed is one row of change `none`."""
    import json

    from detente.tables import event_row, pair_columns

    before, after = result["before"], result["after"]
    scores = {"score_before": before["score"], "score_after": after["score"], "level_before": before["level"], "level_after": after["level"]}
    rows = [
        {"change": change, **event_row({key: value for key, value in fact.items() if key != "fields"}), **scores,
         "changes": json.dumps(fact["fields"], ensure_ascii=False) if "fields" in fact else ""}
        for change, key in (("added", "added"), ("removed", "removed"), ("changed", "changed"))
        for fact in result[key]
    ]  # fmt: skip
    return rows or [{"change": "none", **pair_columns(before["pair"]), **scores}]
