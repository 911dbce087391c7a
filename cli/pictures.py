"""Charts: a pair's score over time with the events that moved it, and every pair at a date as a network.

matplotlib is imported inside the commands (Agg backend, no display needed). Sizes are in pixels at 96 per
inch, so a PNG has exactly the size asked for and an SVG the same size in CSS pixels (width in pt × 4/3).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .app import reads_store
from .files import atomic_output
from .params import COUNTRY, DATE, check_other_pair, check_span, knowledge_options, stacked
from .reading import pair_command

if TYPE_CHECKING:
    from detente.api import ScoreSeries
    from detente.domain.actors import Actor
    from detente.service import Detente

DPI = 96
IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
LEVEL_COLOURS = {"hostile": "#b2182b", "strained": "#ef8a62", "neutral": "#9e9e9e", "cordial": "#67a9cf", "close": "#2166ac"}
"""ColorBrewer RdBu (colour-blind safe): red for conflict, blue for cooperation."""
LINE_COLOURS = ("#222222", "#d95f02")
"""The main pair, and the pair given with --vs."""
LABELLED_MOVERS = 6


def _image_path(ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    if value.suffix.lower() not in IMAGE_SUFFIXES:
        raise click.BadParameter(f"name a .png, .svg or .pdf file, not {value.name!r}.", ctx, param)
    return value


def image_options(width: int, height: int) -> Any:
    """-o FILE.png|.svg|.pdf, --width and --height (pixels), with a command's default size."""
    return stacked(
        click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, callback=_image_path, help="The image file: .png, .svg or .pdf."),
        click.option("--width", type=click.IntRange(200, 8000), default=width, show_default=True, help="Width in pixels."),
        click.option("--height", type=click.IntRange(150, 8000), default=height, show_default=True, help="Height in pixels."),
    )


def _figure(width: int, height: int) -> Any:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    return Figure(figsize=(width / DPI, height / DPI), dpi=DPI)


def _save(figure: Any, output: Path) -> None:
    with atomic_output(output) as temporary:
        figure.savefig(temporary, dpi=DPI, format=output.suffix.lstrip(".").lower())
    click.echo(f"Wrote {output}", err=True)


@click.command()
@pair_command
@click.option("--from", "start", type=DATE, help="First date (default: a month before the first event).")
@click.option("--to", "end", type=DATE, help="Last date (default: today).")
@click.option("--vs", nargs=2, type=COUNTRY, metavar="C D", callback=check_other_pair, help="Draw a second pair for comparison.")
@image_options(1200, 600)
@knowledge_options
@reads_store
def chart(store: Detente, a: Actor, b: Actor, start: Any, end: Any, vs: tuple[Actor, Actor] | None, output: Path, width: int, height: int, clocks: dict[str, Any]) -> None:
    """Chart the score over time, marking the events that moved it.

    \b
    Example:
        detente chart RUS PRK --from 2023 --to 2024-12 -o rus-prk.png
        detente chart RUS PRK --vs RUS KOR -o koreas.svg --width 1600 --height 700
    """
    from detente import api

    check_span(start, end, one_day=False)
    series = [api.score_series(store, a, b, start.first_day if start else None, end, **clocks)]
    if vs:
        series.append(api.score_series(store, vs[0], vs[1], series[0].states[0].as_of, end, **clocks))
    figure = _figure(width, height)
    draw_scores(figure, series, (a.code, b.code), [(vs[0].code, vs[1].code)] if vs else [])
    _save(figure, output)


def draw_scores(figure: Any, all_series: list[ScoreSeries], main: tuple[str, str], others: list[tuple[str, str]]) -> None:
    """The main pair's score as a solid line, others dashed; each event day a dot; the largest moves named."""
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    from . import text

    axes = figure.add_subplot()
    _level_bands(axes)
    for number, (series, names) in enumerate(zip(all_series, [main, *others])):
        after = {state.as_of: state.score for state in series.states}
        # The 80 % band as a ribbon behind the line (docs/methodology.md): wide where evidence is thin.
        axes.fill_between([state.as_of for state in series.states], [state.score_low for state in series.states],
                          [state.score_high for state in series.states], color=LINE_COLOURS[number], alpha=0.16 if number == 0 else 0.09,
                          linewidth=0, zorder=2)  # fmt: skip
        axes.plot(list(after), list(after.values()), color=LINE_COLOURS[number], linewidth=1.8 if number == 0 else 1.4,
                  linestyle="-" if number == 0 else "--", label=text.pair_title(*names), zorder=3)
        axes.scatter(
            [mover.day for mover in series.movers], [after[mover.day] for mover in series.movers],
            s=[18 + 14 * min(abs(mover.change), 6) for mover in series.movers],
            color=[LEVEL_COLOURS["close" if mover.change >= 0 else "hostile"] for mover in series.movers],
            edgecolors="white", linewidths=0.6, zorder=4,
        )
    main_series = all_series[0]
    main_after = {state.as_of: state.score for state in main_series.states}
    labelled = sorted(main_series.movers, key=lambda mover: -abs(mover.change))[:LABELLED_MOVERS]
    rises, falls = any(m.change >= 0 for m in labelled), any(m.change < 0 for m in labelled)
    axes.set_ylim(-10 - (GUTTER if falls else 0.6), 10 + (GUTTER if rises else 0.6))
    axes.set_yticks([-10, -5, 0, 5, 10])
    axes.set_xlim(main_series.states[0].as_of, main_series.states[-1].as_of)
    axes.set_ylabel("score (−10 hostile … +10 close)")
    locator = AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))
    axes.grid(axis="y", color="white", linewidth=0.8)
    axes.set_title(f"{text.pair_title(*main)}: relationship score", loc="left", fontsize=12, fontweight="bold")
    if labelled:
        _label_movers(axes, labelled, main_after, figure.get_size_inches()[0] * DPI * 0.85)
    if not any(state.event_count for state in main_series.states):
        axes.text(0.5, 0.62, "no events recorded", transform=axes.transAxes, ha="center", va="center", color="#555555", fontsize=14,
                  bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": "none", "alpha": 0.9})
    last = main_series.states[-1]
    known = f" · as known at {text.moment(last.known_at.isoformat())}" if last.known_at else ""
    # Below the axes: the legend, then a footnote on its own line.
    height = figure.get_size_inches()[1] * DPI
    figure.legend(loc="lower left", bbox_to_anchor=(0.01, 18 / height), ncol=len(all_series), frameon=False, fontsize=9)
    figure.text(
        0.015, 6 / height, f"{last.as_of}: {last.score:+.2f} {last.level}{known} · half-life {last.half_life_days:g} days · dots: event days (blue up, red down) · ribbon: 80 % band",
        ha="left", va="bottom", fontsize=8, color="#555555",
    )
    figure.tight_layout(rect=(0, 48 / height, 1, 1))


def _level_bands(axes: Any) -> None:
    from detente.projections.scoring import LEVEL_BANDS, TOP_LEVEL

    lower = -10.0
    for upper, level in [*LEVEL_BANDS, (10.0, TOP_LEVEL)]:
        axes.axhspan(lower, upper, color=LEVEL_COLOURS[level], alpha=0.12, linewidth=0, zorder=0)
        axes.text(1.005, (lower + upper) / 2, level, transform=axes.get_yaxis_transform(), va="center", fontsize=8, color=LEVEL_COLOURS[level])
        lower = upper


GUTTER = 4.6
"""Room above +10 and below −10 for the labels of the largest moves, so that they never hide the line."""
LABEL_ROWS = (13.9, 12.4, 10.9)
"""Heights of the label rows: above +10 for rises, mirrored below −10 for falls."""
LABEL_FONT = 7.5


def _label_movers(axes: Any, biggest: list[Any], after: dict[Any, float], width_pixels: float) -> None:
    """Name the events behind the largest moves in rows along the top (rises) and bottom (falls)."""
    from matplotlib.dates import date2num

    left, right = axes.get_xlim()
    row_ends: dict[bool, list[float]] = {True: [-1.0] * len(LABEL_ROWS), False: [-1.0] * len(LABEL_ROWS)}
    for mover in sorted(biggest, key=lambda mover: mover.day):
        label = _mover_label(mover)
        where = (date2num(mover.day) - left) / max(right - left, 1)
        half = len(label) * LABEL_FONT * 0.55 * DPI / 72 / width_pixels / 2
        align = "left" if where - half < 0 else "right" if where + half > 1 else "center"
        start = {"left": where, "right": where - 2 * half, "center": where - half}[align]
        rising = mover.change >= 0
        ends = row_ends[rising]
        row = next((i for i, end in enumerate(ends) if end < start), min(range(len(ends)), key=lambda i: ends[i]))
        ends[row] = start + 2 * half + 0.01
        height = LABEL_ROWS[row] if rising else -LABEL_ROWS[row]
        axes.annotate(
            label, (mover.day, after[mover.day]), xytext=(mover.day, height), textcoords="data",
            ha=align, va="center", fontsize=LABEL_FONT, color="#333333",
            arrowprops={"arrowstyle": "-", "color": "#888888", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 3},
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "#cccccc", "alpha": 0.92}, zorder=5,
        )


def _mover_label(mover: Any) -> str:
    """'19 Jun 2024: Mutual defence pledge (+1 more) +3.7'."""
    fact = max(mover.facts, key=lambda fact: (fact.status in ("reported", "confirmed"), abs(fact.weight)))
    name = fact.summary or f"{fact.type} {fact.actor}→{fact.target}"
    name = name if len(name) <= 40 else name[:39] + "…"
    more = f" (+{len(mover.facts) - 1} more)" if len(mover.facts) > 1 else ""
    return f"{mover.day:%d %b %Y}: {name}{more}  {mover.change:+.1f}"


@click.command()
@click.option("--as-of", type=DATE, help="The real-world date (default: today).")
@click.option("--country", type=COUNTRY, help="Only the pairs this country or organisation is part of.")
@image_options(1000, 1000)
@knowledge_options
@reads_store
def network(store: Detente, as_of: Any, country: Actor | None, output: Path, width: int, height: int, clocks: dict[str, Any]) -> None:
    """Draw every pair on a date as a network coloured by level.

    \b
    Example:
        detente network --as-of 2024-06-30 -o relations.png
        detente network --country RUS -o russia.svg
    """
    from detente import api

    states = api.pairs(store, country, as_of=as_of, **clocks)
    figure = _figure(width, height)
    as_of_day = api.as_day(as_of)
    links = [(state.pair, state.score, state.level, state.event_count) for state in states if state.event_count]
    draw_network(figure, links, as_of_day, country.code if country else None)
    _save(figure, output)


def draw_network(figure: Any, links: list[tuple[tuple[str, str], float, str, int]], as_of: Any, centre: str | None = None) -> None:
    """Countries on a circle (or, with `centre`, that country in the middle and its partners around it by score)."""
    from matplotlib.lines import Line2D

    axes = figure.add_axes((0.02, 0.06, 0.96, 0.86))
    axes.set_axis_off()
    axes.set_aspect("equal")
    axes.set_xlim(-1.4, 1.4)
    axes.set_ylim(-1.3, 1.3)
    figure.suptitle(f"Relations on {as_of} ({len(links)} pairs)", fontsize=13, fontweight="bold", x=0.03, ha="left", y=0.97)
    handles = [Line2D([0], [0], color=colour, linewidth=3, label=level) for level, colour in LEVEL_COLOURS.items()]
    axes.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, -0.07), ncol=5, frameon=False, fontsize=9)
    if not links:
        axes.text(0, 0, "no events recorded", ha="center", va="center", fontsize=14, color="#555555")
        return
    if centre:
        rank = list(LEVEL_COLOURS)
        partners = sorted(links, key=lambda link: (-rank.index(link[2]), -link[1]))
        order = [first if second == centre else second for (first, second), *_ in partners]
    else:
        order = circle_order(links)
    angles = [math.pi / 2 - 2 * math.pi * i / len(order) for i in range(len(order))]
    position = {code: (math.cos(angle), math.sin(angle)) for code, angle in zip(order, angles)}
    if centre:
        position[centre] = (0.0, 0.0)
    # Nodes as large as the circle leaves room for: the gap between neighbours, in points.
    radius_points = 0.86 * min(figure.get_size_inches()) * 72 / 2.8
    diameter = min(34.0, 0.85 * 2 * math.pi * radius_points / len(order))
    thin = 0.5 if len(links) > 40 else 1.0
    for (first, second), score, level, _ in sorted(links, key=lambda link: abs(link[1])):
        (x1, y1), (x2, y2) = position[first], position[second]
        faint = level == "neutral"
        axes.plot([x1, x2], [y1, y2], color=LEVEL_COLOURS[level], linewidth=thin * (1.0 + abs(score) / 1.8),
                  alpha=0.45 if faint else 0.85, solid_capstyle="round", zorder=1)
        if len(links) <= 40:
            axes.text((x1 + x2) / 2, (y1 + y2) / 2, f"{round(score, 1) or 0.0:+.1f}", fontsize=7, ha="center", va="center", zorder=3,
                      bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})
    xs, ys = zip(*position.values())
    axes.scatter(xs, ys, s=diameter**2, color="white", edgecolors="#333333", linewidths=1.0, zorder=4)
    code_size = max(4.0, min(8.5, diameter / 3.4))
    for code, (x, y) in position.items():
        axes.text(x, y, code, ha="center", va="center", fontsize=code_size, fontweight="bold", zorder=5)
        if len(order) <= 40 and code != centre:
            outside = 1 + (diameter / 2 + 4) / radius_points
            axes.text(x * outside, y * outside, _short_name(code), fontsize=7.5, color="#444444", zorder=5,
                      ha="left" if x > 0.1 else "right" if x < -0.1 else "center",
                      va="bottom" if y > 0.1 else "top" if y < -0.1 else "center")


def _short_name(code: str) -> str:
    from detente.domain.actors import Actor

    name = Actor.from_code(code).name
    return name if len(name) <= 18 else name[:17] + "…"


def circle_order(links: list[tuple[tuple[str, str], float, str, int]]) -> list[str]:
    """Countries in an order that puts strongly linked ones side by side: a greedy chain by |score|."""
    strength: dict[str, dict[str, float]] = {}
    for (first, second), score, *_ in links:
        strength.setdefault(first, {})[second] = abs(score)
        strength.setdefault(second, {})[first] = abs(score)
    remaining = set(strength)
    order = [max(sorted(remaining), key=lambda code: len(strength[code]))]
    remaining.discard(order[0])
    while remaining:
        last = strength[order[-1]]
        following = max(sorted(remaining), key=lambda code: (last.get(code, -1.0), len(strength[code])))
        order.append(following)
        remaining.discard(following)
    return order
