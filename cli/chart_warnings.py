"""Where a chart's score should not be read at face value: pinned at ±10, or resting on few acts.

The drawing hatches those stretches and the footer names them (`score_chart`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from detente.series import ScoreSeries

FEW_ACTS = 3
"""Under this many acts counted, the score rests on too little to read much into: the chart says so."""
SATURATED = 9.95
"""At or beyond ±this the score is pinned at the scale's end (clipped): it cannot show anything stronger."""


def _runs(days: list[Any], flags: list[bool]) -> list[tuple[Any, Any]]:
    """The first and last day of each stretch of consecutive flagged days."""
    runs, start = [], None
    for i, flag in enumerate(flags):
        if flag and start is None:
            start = i
        if start is not None and (not flag or i == len(flags) - 1):
            runs.append((days[start], days[i if flag else max(i - 1, start)]))
            start = None
    return runs


def mark_runs(axes: Any, days: list[Any], flags: list[bool], number: int, colour: str, kind: str) -> None:
    """A hatched strip along the bottom (thin evidence) or top (saturated) of the plot over the flagged days."""
    strip = 0.03
    base = number * (strip + 0.006) + 0.004
    low, high = (base, base + strip) if kind == "thin" else (1 - base - strip, 1 - base)
    for first, last in _runs(days, flags):
        axes.axvspan(first, last, ymin=low, ymax=high, facecolor="white", edgecolor=colour, hatch="////", linewidth=0.0, alpha=0.9, zorder=2.5)


def warnings_for(all_series: list[ScoreSeries]) -> list[str]:
    """The footer's warning lines: where a score is pinned at ±10, and where it rests on few acts."""
    lines = []
    for series in all_series:
        days = [state.as_of for state in series.states]
        name = "–".join(series.pair)
        for label, flags in (
            ("pinned at the ±10 limit (the scale cannot show more)", [abs(s.score) >= SATURATED for s in series.states]),
            (f"rests on fewer than {FEW_ACTS} acts", [s.evidence.get("events", 0) < FEW_ACTS for s in series.states]),
        ):
            runs = _runs(days, flags)
            if not runs:
                continue
            share = sum(flags) / len(flags)
            if share > 0.98:
                when = "over the whole span"
            elif len(runs) <= 2:
                when = " and ".join(f"{first} – {last}" if first != last else f"on {first}" for first, last in runs)
            else:
                when = f"on {share:.0%} of the days drawn"
            lines.append(f"⚠ {name}: score {label} {when} (hatched strip).")
    return lines
