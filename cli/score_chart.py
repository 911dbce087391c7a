"""The drawing behind `detente chart`: score lines with their bands, numbered events, footnotes, a source line.

Layout is computed in pixels: a header (title, subtitle), the axes, and a footer whose height follows what it
holds (legend, footnotes, warnings, sources), so that no text is cut or overlaps. Event labels are numbers in
rows above +10 (rises) and below −10 (falls), each tied to its dot; the text they stand for is a footnote,
wrapped, never truncated. The words are made in `chart_text`, the warnings in `chart_warnings`.
"""

from __future__ import annotations

import textwrap
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .chart_text import Labelled, choose_labels, footnotes, header_lines, source_line
from .chart_warnings import FEW_ACTS, SATURATED, mark_runs, warnings_for

if TYPE_CHECKING:
    from detente.series import ScoreSeries

DPI = 96
LEVEL_COLOURS = {"hostile": "#b2182b", "strained": "#ef8a62", "neutral": "#9e9e9e", "cordial": "#67a9cf", "close": "#2166ac"}
"""ColorBrewer RdBu (colour-blind safe): red for conflict, blue for cooperation."""
LINE_COLOURS = ("#222222", "#d95f02", "#7570b3", "#1b9e77")
"""The main pair, then the pairs given with --vs."""
GUTTER = 5.6
"""Room above +10 and below −10 for the event numbers, so that they never hide the lines."""
NUMBER_ROWS = (12.75, 11.25)
"""Heights of the rows of numbers: above +10 for rises, mirrored below −10 for falls."""
FOOT_FONT, LINE_PX = 8.0, 13.0
CHAR_PX = FOOT_FONT * 0.56 * DPI / 72
"""The average width of a footer character in pixels (DejaVu Sans), for wrapping."""


def draw_scores(figure: Any, all_series: list[ScoreSeries], names: list[tuple[str, str]], clocks: dict[str, Any]) -> None:
    """Every series as a line (the first solid, the others dashed) over the level bands, with its 80 % band.

    `names` are the pairs as the user wrote them (a series' own pair is in alphabetical order)."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    from . import text

    width, height = (size * DPI for size in figure.get_size_inches())
    all_series = [replace(series, pair=pair) for series, pair in zip(all_series, names)]
    labelled = choose_labels(all_series)
    warnings = warnings_for(all_series)
    columns = int((width - 30) / CHAR_PX)
    source = textwrap.wrap(source_line(all_series), columns)
    header = header_lines(all_series, int((width - 24) / (12 * 0.62 * DPI / 72)), int((width - 24) / (9 * 0.56 * DPI / 72)))
    top_px = 14 + 18 * len(header[0]) + 14 * len(header[1]) + 8
    chosen = len(labelled)
    while True:  # fewer numbered events on a small canvas, rather than footnotes that run off it
        left_out = chosen - len(labelled)
        more = [f"({left_out} more of the largest moves are not numbered: give a taller image with --height.)"] if left_out else []
        notes = footnotes(labelled, all_series, columns) + more
        footer_lines = [*notes, *warnings, *source]
        bottom_px = 44 + 18 * _legend_rows(all_series, width) + LINE_PX * len(footer_lines) + 8
        if not labelled or top_px + bottom_px <= 0.6 * height:
            break
        smallest = min(labelled, key=lambda item: abs(item.mover.change))
        labelled = [replace(item, number=number) for number, item in enumerate((i for i in labelled if i is not smallest), 1)]
    bottom = min(bottom_px / height, 0.6)
    figure.subplots_adjust(left=64 / width, right=1 - 62 / width, top=max(1 - top_px / height, bottom + 0.15), bottom=bottom)

    axes = figure.add_subplot()
    _level_bands(axes)
    for number, series in enumerate(all_series):
        colour, main = LINE_COLOURS[number % len(LINE_COLOURS)], number == 0
        days = [state.as_of for state in series.states]
        axes.fill_between(days, [s.score_low for s in series.states], [s.score_high for s in series.states],
                          color=colour, alpha=0.16 if main else 0.10, linewidth=0, zorder=2)  # fmt: skip
        axes.plot(days, [s.score for s in series.states], color=colour, linewidth=1.9 if main else 1.5,
                  linestyle="-" if main else "--", label=text.pair_title(*series.pair), zorder=3)
        after = {state.as_of: state.score for state in series.states}
        axes.scatter([m.day for m in series.movers], [after[m.day] for m in series.movers],
                     s=[16 + 12 * min(abs(m.change), 6) for m in series.movers],
                     color=[LEVEL_COLOURS["close" if m.change >= 0 else "hostile"] for m in series.movers],
                     edgecolors="white", linewidths=0.6, zorder=4)  # fmt: skip
        mark_runs(axes, days, [s.evidence.get("events", 0) < FEW_ACTS for s in series.states], number, colour, "thin")
        mark_runs(axes, days, [abs(s.score) >= SATURATED for s in series.states], number, LEVEL_COLOURS["hostile"], "saturated")
    _end_labels(axes, all_series)
    axes.set_ylim(-10 - GUTTER, 10 + GUTTER)
    axes.set_yticks([-10, -5, 0, 5, 10])
    axes.set_xlim(min(s.states[0].as_of for s in all_series), max(s.states[-1].as_of for s in all_series))
    axes.set_ylabel("score (−10 … +10)")
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.grid(axis="y", color="white", linewidth=0.8)
    _number_movers(axes, labelled, width)
    if not any(state.event_count for series in all_series for state in series.states):
        axes.text(0.5, 0.62, "no events recorded", transform=axes.transAxes, ha="center", va="center", color="#555555", fontsize=14,
                  bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})  # fmt: skip

    titles, subtitles = header
    y = height - 12
    for line in titles:
        figure.text(12 / width, y / height, line, ha="left", va="top", fontsize=12, fontweight="bold")
        y -= 18
    for line in subtitles:
        figure.text(12 / width, y / height, line, ha="left", va="top", fontsize=9, color="#444444")
        y -= 14
    _footer(figure, axes, footer_lines, len(notes), len(warnings), width, height)


def _footer(figure: Any, axes: Any, lines: list[str], notes: int, warnings: int, width: float, height: float) -> None:
    from matplotlib.patches import Patch

    handles, labels = axes.get_legend_handles_labels()
    handles += [Patch(facecolor="#222222", alpha=0.16, linewidth=0), Patch(facecolor="white", edgecolor="#555555", hatch="////", linewidth=0)]
    labels += LEGEND_EXTRAS
    figure.legend(handles, labels, loc="lower left", bbox_to_anchor=(8 / width, (LINE_PX * len(lines) + 6) / height),
                  ncol=_legend_columns(labels, width), frameon=False, fontsize=8.5, handlelength=2.2, columnspacing=1.4)  # fmt: skip
    y = 8 + LINE_PX * (len(lines) - 1)
    for index, line in enumerate(lines):
        colour = "#222222" if index < notes else "#8b0000" if index < notes + warnings else "#666666"
        figure.text(14 / width, y / height, line, ha="left", va="bottom", fontsize=FOOT_FONT, color=colour)
        y -= LINE_PX


LEGEND_EXTRAS = ["80 % band", "hatched: few acts (bottom), pinned at ±10 (top)"]


def _legend_columns(labels: list[str], width: float) -> int:
    """As many columns as fit the width (matplotlib's columns are as wide as their widest entry)."""
    entry = [len(label) * 8.5 * 0.56 * DPI / 72 + 50 for label in labels]
    for columns in range(len(labels), 1, -1):
        rows = -(-len(labels) // columns)
        widest = [max(entry[c * rows : (c + 1) * rows], default=0) for c in range(columns)]
        if sum(widest) <= width - 20:
            return columns
    return 1


def _legend_rows(all_series: list[ScoreSeries], width: float) -> int:
    from . import text

    labels = [text.pair_title(*series.pair) for series in all_series] + LEGEND_EXTRAS
    return -(-len(labels) // _legend_columns(labels, width))


def _level_bands(axes: Any) -> None:
    from detente.projections.scoring import LEVEL_BANDS, TOP_LEVEL

    lower = -10.0
    for upper, level in [*LEVEL_BANDS, (10.0, TOP_LEVEL)]:
        axes.axhspan(lower, upper, color=LEVEL_COLOURS[level], alpha=0.12, linewidth=0, zorder=0)
        axes.text(1.006, (lower + upper) / 2, level, transform=axes.get_yaxis_transform(), va="center", fontsize=8, color=LEVEL_COLOURS[level])
        lower = upper


def _end_labels(axes: Any, all_series: list[ScoreSeries]) -> None:
    """Each line's pair and last score at its right end, moved apart when two ends are close."""
    ends = sorted(((s.states[-1].score, i, s) for i, s in enumerate(all_series)), key=lambda end: end[0])
    placed: list[float] = []
    for score, number, series in ends:
        y = score + 0.9
        while any(abs(y - other) < 1.3 for other in placed):
            y += 1.3
        placed.append(y)
        axes.text(series.states[-1].as_of, min(y, 10.8), f"{'–'.join(series.pair)} {score:+.1f}", ha="right", va="center", fontsize=8,
                  color=LINE_COLOURS[number % len(LINE_COLOURS)], fontweight="bold", zorder=6,
                  bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75})  # fmt: skip


def _number_movers(axes: Any, labelled: list[Labelled], width_pixels: float) -> None:
    """Each numbered move as a small box in a row above +10 (rise) or below −10 (fall), tied to its dot.

    Boxes are packed left to right in rows; one that fits in no row moves right until it does, so none overlap."""
    from matplotlib.dates import date2num, num2date

    left, right = axes.get_xlim()
    plot_px = width_pixels * (axes.get_position().x1 - axes.get_position().x0)
    row_ends: dict[bool, list[float]] = {True: [-1.0] * len(NUMBER_ROWS), False: [-1.0] * len(NUMBER_ROWS)}
    for item in labelled:
        box = (len(str(item.number)) * 6.5 + 10) / plot_px
        where = (date2num(item.mover.day) - left) / max(right - left, 1)
        rising = item.mover.change >= 0
        ends = row_ends[rising]
        start = min(max(where - box / 2, 0.0), 1 - box)
        row = next((i for i, end in enumerate(ends) if end <= start), None)
        if row is None:
            row = min(range(len(ends)), key=lambda i: ends[i])
            start = ends[row]
        ends[row] = start + box + 0.004
        centre = left + (start + box / 2) * (right - left)
        height = NUMBER_ROWS[row] if rising else -NUMBER_ROWS[row]
        axes.annotate(
            str(item.number), (item.mover.day, item.score), xytext=(num2date(centre), height), textcoords="data",
            ha="center", va="center", fontsize=8, fontweight="bold", color=LINE_COLOURS[item.series % len(LINE_COLOURS)],
            arrowprops={"arrowstyle": "-", "color": "#999999", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 3},
            bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": LINE_COLOURS[item.series % len(LINE_COLOURS)], "linewidth": 0.8},
            zorder=7,
        )
