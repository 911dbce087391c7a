"""The drawing behind `detente network`: countries placed by a force-directed layout, pairs as lines.

A line's colour is the pair's score (on the level colours of the chart), its width the events it rests on; a country's circle grows with the events
of its drawn pairs. The layout is networkx's spring layout (Fruchterman–Reingold), seeded, so the same store
and date draw the same picture. Around a centre country (an ego network) its partners sit on a ring in order
of score.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import Any

from .score_chart import DPI, LEVEL_COLOURS

WIDTH_SAMPLES = (1, 10, 100, 1000)
SCORE_LABELS_UP_TO = 30
"""Up to this many lines, each carries its score."""


@dataclass(frozen=True)
class Link:
    pair: tuple[str, str]
    score: float
    level: str
    events: int


def line_width(events: int) -> float:
    return 1.0 + 1.4 * math.log10(max(events, 1))


def draw_network(figure: Any, links: list[Link], title: str, subtitle: str, source: str, centre: str | None = None) -> None:
    """The network of `links`, with a header, a legend for colour, width and size, and a source line."""
    from matplotlib import patheffects

    width, height = (size * DPI for size in figure.get_size_inches())
    figure.text(14 / width, 1 - 12 / height, title, ha="left", va="top", fontsize=13, fontweight="bold")
    for line, text in enumerate(textwrap.wrap(subtitle, int((width - 28) / (9 * 0.56 * DPI / 72)))[:2]):
        figure.text(14 / width, 1 - (34 + 14 * line) / height, text, ha="left", va="top", fontsize=9, color="#444444")
    figure.text(14 / width, 8 / height, source, ha="left", va="bottom", fontsize=7.5, color="#666666")
    below, above = min(140 / height, 0.35), min(66 / height, 0.2)  # the legend's and the header's room
    axes = figure.add_axes((0.02, below, 0.96, 1 - below - above))
    axes.set_axis_off()
    _legend(figure, width, height)
    if not links:
        axes.text(0.5, 0.5, "no pairs with events to draw", ha="center", va="center", fontsize=14, color="#555555", transform=axes.transAxes)
        return
    position = layout(links, centre)
    xs, ys = zip(*position.values())
    pad_x, pad_y = 0.08 * (max(xs) - min(xs) or 1), 0.08 * (max(ys) - min(ys) or 1)
    axes.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
    axes.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    axes.set_aspect("equal", adjustable="box", anchor="C")
    colour = score_colours()
    for link in sorted(links, key=lambda link: abs(link.score)):
        (x1, y1), (x2, y2) = position[link.pair[0]], position[link.pair[1]]
        axes.plot([x1, x2], [y1, y2], color=colour(link.score), linewidth=line_width(link.events),
                  alpha=0.85, solid_capstyle="round", zorder=1)  # fmt: skip
        if len(links) <= SCORE_LABELS_UP_TO:
            axes.text((x1 + x2) / 2, (y1 + y2) / 2, f"{round(link.score, 1) or 0.0:+.1f}", fontsize=7, ha="center", va="center", zorder=3,
                      color="#333333", bbox={"boxstyle": "round,pad=0.12", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})  # fmt: skip
    totals = country_events(links)
    biggest = max(totals.values())
    scale = min(width, height) / 1000
    sizes = {code: (40 + 560 * math.sqrt(total / biggest)) * scale for code, total in totals.items()}
    axes.scatter([position[c][0] for c in totals], [position[c][1] for c in totals], s=[sizes[c] for c in totals],
                 color="white", edgecolors="#333333", linewidths=1.0, zorder=4)  # fmt: skip
    halo = [patheffects.withStroke(linewidth=2.6, foreground="white")]
    for code in totals:
        x, y = position[code]
        offset = math.sqrt(sizes[code]) / 2 + 1
        axes.annotate(code, (x, y), xytext=(0, offset), textcoords="offset points", ha="center", va="bottom",
                      fontsize=9 if code == centre else 8, fontweight="bold", color="#111111", zorder=5, path_effects=halo)  # fmt: skip


def country_events(links: list[Link]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for link in links:
        for code in link.pair:
            totals[code] = totals.get(code, 0) + link.events
    return totals


def layout(links: list[Link], centre: str | None) -> dict[str, tuple[float, float]]:
    """Around a centre, its ego ring (`_ego`); else a seeded spring layout: the largest group of connected
    countries fills the main square, the smaller groups are stacked in a column at its right."""
    import networkx

    graph = networkx.Graph()
    for link in links:
        graph.add_edge(*link.pair)
    groups = sorted(networkx.connected_components(graph), key=lambda group: (-len(group), sorted(group)))
    if centre and centre in graph:
        return _ego(links, centre)
    position = _fit(_spread(_fit(_spring(graph.subgraph(groups[0])), (0.0, 0.0, 1.0, 1.0))), (0.0, 0.0, 1.0, 1.0))
    small = groups[1:]
    if small:
        rows = math.ceil(len(small) / 2) if len(small) > 6 else len(small)
        columns = 2 if len(small) > 6 else 1
        cell = min(1.0 / rows, 0.3)
        for index, group in enumerate(small):
            column, row = divmod(index, rows)
            x0, y0 = 1.1 + column * 0.22, 1.0 - (row + 1) * cell
            position.update(_fit(_spring(graph.subgraph(group)), (x0, y0 + 0.15 * cell, x0 + 0.18, y0 + 0.85 * cell)))
    return position


def _ego(links: list[Link], centre: str) -> dict[str, tuple[float, float]]:
    """The centre in the middle, its partners around it in order of score: the friendliest at the top, going
    clockwise down to the most hostile, so that the colours run round the circle."""
    partners = sorted(links, key=lambda link: (-link.score, link.pair))
    position = {centre: (0.0, 0.0)}
    for index, link in enumerate(partners):
        angle = math.pi / 2 - 2 * math.pi * (index + 0.5) / len(partners)
        other = link.pair[1] if link.pair[0] == centre else link.pair[0]
        position[other] = (math.cos(angle), math.sin(angle))
    return position


def _spring(graph: Any) -> dict[str, tuple[float, float]]:
    import networkx

    count = graph.number_of_nodes()
    if count == 2:
        first, second = sorted(graph.nodes)
        return {first: (0.0, 0.5), second: (1.0, 0.5)}
    placed = networkx.spring_layout(graph, k=2.4 / math.sqrt(count), iterations=500, seed=7, weight=None)
    return {code: (float(x), float(y)) for code, (x, y) in placed.items()}


MIN_GAP = 0.075
"""The least distance between two countries in the main square (side 1): room for a label of three letters."""


def _spread(position: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Push apart countries closer than MIN_GAP, a little at a time, so that their circles and labels do not
    overlap; the force layout's shape otherwise stays as it is."""
    import numpy

    codes = sorted(position)
    points = numpy.array([position[code] for code in codes], dtype=float)
    for _ in range(200):
        offsets = points[:, None, :] - points[None, :, :]
        distance = numpy.hypot(offsets[..., 0], offsets[..., 1])
        numpy.fill_diagonal(distance, 10.0)  # a country does not push itself
        close = distance < MIN_GAP
        if not close.any():
            break
        push = numpy.where(close, (MIN_GAP - distance) / numpy.maximum(distance, 1e-9) / 2, 0.0)
        points += (offsets * push[..., None]).sum(axis=1) * 0.5
    return {code: (float(x), float(y)) for code, (x, y) in zip(codes, points)}


def _fit(position: dict[str, tuple[float, float]], box: tuple[float, float, float, float]) -> dict[str, tuple[float, float]]:
    """`position` scaled (keeping its shape) and centred into box (x0, y0, x1, y1)."""
    xs, ys = [x for x, _ in position.values()], [y for _, y in position.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    scale = min(box[2] - box[0], box[3] - box[1]) / span
    mid_x, mid_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    centre_x, centre_y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return {code: (centre_x + (x - mid_x) * scale, centre_y + (y - mid_y) * scale) for code, (x, y) in position.items()}


COLOUR_STOPS = ((-10.0, "#67001f"), (-5.0, LEVEL_COLOURS["hostile"]), (-2.5, LEVEL_COLOURS["strained"]), (0.0, "#a8a8a8"),
                (2.5, LEVEL_COLOURS["cordial"]), (5.0, LEVEL_COLOURS["close"]), (10.0, "#053061"))  # fmt: skip
"""The level colours of the chart, as a continuous scale: a grey middle so that a neutral line still shows on white."""


def score_colours() -> Any:
    """A function from a score (−10 … +10) to its colour."""
    from matplotlib.colors import LinearSegmentedColormap

    scale = LinearSegmentedColormap.from_list("detente", [((value + 10) / 20, colour) for value, colour in COLOUR_STOPS])
    return lambda score: scale((max(-10.0, min(10.0, score)) + 10) / 20)


def _legend(figure: Any, width: float, height: float) -> None:
    """Colour (score, with the levels' bounds) as a colour bar, and width (events) as sample lines, along the bottom."""
    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.lines import Line2D

    scale = LinearSegmentedColormap.from_list("detente", [((value + 10) / 20, colour) for value, colour in COLOUR_STOPS])
    bar = figure.add_axes((16 / width, 78 / height, 0.55, 12 / height))
    colour_bar = figure.colorbar(ScalarMappable(Normalize(-10, 10), scale), cax=bar, orientation="horizontal")
    colour_bar.set_ticks([-10, -5, -1.5, 1.5, 5, 10], labels=["−10", "−5", "−1.5", "+1.5", "+5", "+10"])
    colour_bar.ax.tick_params(labelsize=7.5, length=2)
    colour_bar.outline.set_linewidth(0.4)
    bar.set_title("colour: the pair's score; levels: hostile < −5 ≤ strained < −1.5 ≤ neutral < +1.5 ≤ cordial < +5 ≤ close",
                  fontsize=8.5, loc="left")  # fmt: skip
    widths = [Line2D([0], [0], color="#777777", linewidth=line_width(n), label=f"{n:,} event{'s' if n > 1 else ''}") for n in WIDTH_SAMPLES]
    figure.legend(handles=widths, loc="lower left", bbox_to_anchor=(8 / width, 18 / height), ncol=4, frameon=False, fontsize=8.5,
                  title="width: events the pair's score rests on · circle: a country's events in the pairs drawn", title_fontsize=8.5,
                  alignment="left")  # fmt: skip
