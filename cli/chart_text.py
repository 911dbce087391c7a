"""The words of a score chart: its title lines, which moves get numbers, their footnotes, the source line.

`score_chart` draws them; here they are text of a given width in characters, so that what a chart says can
be read and tested apart from where it stands.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

from detente.domain.sources import CLAIM_STATUSES

from . import text

if TYPE_CHECKING:
    from detente.series import Mover, ScoreSeries

LABELLED = (6, 4)
"""How many of the largest moves are numbered: of the main pair, and of each other pair."""


@dataclass(frozen=True)
class Labelled:
    number: int
    series: int
    mover: Mover
    score: float


def header_lines(all_series: list[ScoreSeries], title_columns: int, subtitle_columns: int) -> tuple[list[str], list[str]]:
    """The title names every pair drawn; the subtitle the span, the as-of date and the knowledge time; each
    wrapped to its number of characters."""
    from datetime import UTC, datetime

    pairs = [text.pair_title(*series.pair) for series in all_series]
    title = (pairs[0] if len(pairs) == 1 else ", ".join(pairs[:-1]) + " and " + pairs[-1]) + ": relationship score"
    last = all_series[0].states[-1]
    if last.known_at:
        known = f"as known at {text.moment(last.known_at.isoformat())}"
    else:
        known = f"as known at {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (everything on record)"
    if last.recorded_by:
        known += f", as recorded by {text.moment(last.recorded_by.isoformat())}"
    first = min(series.states[0].as_of for series in all_series)
    subtitle = f"{first} to {last.as_of}, as of {last.as_of} · {known}" + (" · confirmed events only" if last.confirmed_only else "")
    return textwrap.wrap(title, title_columns), textwrap.wrap(subtitle, subtitle_columns)


def choose_labels(all_series: list[ScoreSeries]) -> list[Labelled]:
    """The largest moves of each series, numbered in date order across the chart."""
    chosen: list[tuple[int, Mover, float]] = []
    for number, series in enumerate(all_series):
        after = {state.as_of: state.score for state in series.states}
        limit = LABELLED[min(number, 1)]
        for mover in sorted(series.movers, key=lambda mover: -abs(mover.change))[:limit]:
            if abs(mover.change) >= 0.05:
                chosen.append((number, mover, after[mover.day]))
    chosen.sort(key=lambda item: (item[1].day, item[0]))
    return [Labelled(i + 1, number, mover, score) for i, (number, mover, score) in enumerate(chosen)]


def footnotes(labelled: list[Labelled], all_series: list[ScoreSeries], columns: int) -> list[str]:
    """One wrapped footnote per numbered move: day, pair (when several are drawn), what happened, the move."""
    lines: list[str] = []
    for item in labelled:
        facts = item.mover.facts
        fact = max(facts, key=lambda fact: (fact.status not in CLAIM_STATUSES, abs(fact.weight)))
        what = fact.summary or f"{fact.type} {fact.actor}→{fact.target}"
        if fact.status in CLAIM_STATUSES and fact.status not in what:
            what += f" ({fact.status})"
        more = f" (+{len(facts) - 1} more that day)" if len(facts) > 1 else ""
        pair = f"{'–'.join(all_series[item.series].pair)} " if len(all_series) > 1 else ""
        note = f"{item.number}. {item.mover.day.day} {item.mover.day:%b %Y} {pair}{item.mover.change:+.1f}: {what}{more}"
        lines.extend(textwrap.wrap(note, columns, subsequent_indent="     "))
    return lines


def source_line(all_series: list[ScoreSeries]) -> str:
    """Where the events come from and how they are weighed, and what the dots and numbers mean."""
    names = {"curated": "hand-curated records", "icews": "ICEWS", "gdelt": "GDELT 2.0"}
    counted: dict[str, int] = {}
    for series in all_series:
        for dataset, count in series.datasets.items():
            counted[dataset] = counted.get(dataset, 0) + count
    sources = ", ".join(f"{names.get(d, d)} ({n:,} events)" for d, n in counted.items()) or "no events"
    last = all_series[0].states[-1]
    known = f"known at {text.moment(last.known_at.isoformat())}" if last.known_at else "known at: everything on record"
    return (f"Sources: {sources} · half-life {last.half_life_days:g} days · {known} · CAMEO/Goldstein weights · "
            f"dots: event days (blue up, red down), numbered: the largest moves")  # fmt: skip
