"""Charts: a pair's score over time with the events that moved it, and the pairs at a date as a network.

The commands gather the data and hand it to the drawings (score_chart, network_map). matplotlib and networkx
are imported only when a command draws (Agg backend, no display needed), so that `--help` and the reading
commands start without them. Sizes are in pixels at 96 per inch, so a PNG has exactly the size asked for
and an SVG the same size in CSS pixels (width in pt × 4/3).
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .app import reads_store
from .files import atomic_output
from .params import COUNTRY, DATE, check_other_pair, check_span, knowledge_options, stacked
from .reading import pair_command

if TYPE_CHECKING:
    from detente.domain.actors import Actor
    from detente.service import Detente

DPI = 96
IMAGE_SUFFIXES = (".png", ".svg", ".pdf")
CHART_LEGIBLE, NETWORK_LEGIBLE = (480, 320), (800, 720)
"""The smallest sizes at which every label, legend and note of a chart or a network fits."""
DEFAULT_TOP = 60
"""The network draws at most this many pairs by default, the busiest: more lines than that read as a hairball."""


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


def _warn_if_small(width: int, height: int, legible: tuple[int, int]) -> None:
    """Below `legible` a picture is still drawn, but its text no longer fits: say so, and what size reads well."""
    if width < legible[0] or height < legible[1]:
        click.echo(f"Warning: at {width}×{height} pixels the labels and notes do not all fit; "
                   f"{legible[0]}×{legible[1]} or more reads well (--width, --height).", err=True)  # fmt: skip


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
@click.option("--to", "end", type=DATE, help="Last date (default: a sixth of the span after the last event, at most today).")
@click.option("--vs", nargs=2, type=COUNTRY, metavar="C D", callback=check_other_pair, help="Draw a second pair for comparison.")
@image_options(1200, 640)
@knowledge_options
@reads_store
def chart(store: Detente, a: Actor, b: Actor, start: Any, end: Any, vs: tuple[Actor, Actor] | None, output: Path, width: int, height: int, clocks: dict[str, Any]) -> None:
    """Chart the score over time, numbering the events that moved it most.

    \b
    Example:
        detente chart RUS PRK --from 2023 --to 2024-12 -o rus-prk.png
        detente chart RUS PRK --vs RUS KOR -o koreas.svg --width 1600 --height 700
    """
    from detente import api
    from detente.series import fitted_end

    from .score_chart import draw_scores

    check_span(start, end, one_day=False)
    _warn_if_small(width, height, CHART_LEGIBLE)
    pairs = [(a, b), *([vs] if vs else [])]
    first = start.first_day if start else None
    if end is None:
        today = datetime.now(timezone.utc).date()
        spans = [api.event_span(store, x, y, **{**clocks, "as_of": today}) for x, y in pairs]
        end = fitted_end(spans, first, today)
    series = [api.score_series(store, a, b, first, end, **clocks)]
    if vs:
        series.append(api.score_series(store, vs[0], vs[1], series[0].states[0].as_of, end, **clocks))
    figure = _figure(width, height)
    draw_scores(figure, series, [(x.code, y.code) for x, y in pairs], clocks)
    _save(figure, output)


@click.command()
@click.option("--as-of", type=DATE, help="The real-world date (default: today).")
@click.option("--country", type=COUNTRY, help="Only the pairs this country or organisation is part of (its ego network).")
@click.option("--top", type=click.IntRange(1, 5000), default=DEFAULT_TOP, show_default=True, help="Draw the N pairs with the most events.")
@click.option("--min-events", type=click.IntRange(1, None), default=1, show_default=True, help="Leave out pairs with fewer events than K.")
@image_options(1100, 1000)
@knowledge_options
@reads_store
def network(store: Detente, as_of: Any, country: Actor | None, top: int, min_events: int, output: Path, width: int, height: int, clocks: dict[str, Any]) -> None:
    """Draw the pairs on a date as a network: colour the level, width the events, placed by a force layout.

    \b
    Example:
        detente network --as-of 2024-06-30 -o relations.png
        detente network --country RUS --min-events 3 -o russia.svg
        detente network --top 30 -o busiest.png
    """
    from detente import api

    from .network_map import Link, draw_network

    _warn_if_small(width, height, NETWORK_LEGIBLE)
    states = api.pairs(store, country, as_of=as_of, **clocks)
    with_events = [Link(state.pair, state.score, state.level, state.event_count) for state in states if state.event_count]
    kept = [link for link in with_events if link.events >= min_events]
    drawn = sorted(kept, key=lambda link: (-link.events, -abs(link.score), link.pair))[:top]
    figure = _figure(width, height)
    as_of_day = api.as_day(as_of)
    title, subtitle, source = _network_text(states, with_events, kept, drawn, as_of_day, country, min_events, clocks)
    draw_network(figure, drawn, title, subtitle, source, country.code if country else None)
    _save(figure, output)


def _network_text(states: list[Any], with_events: list[Any], kept: list[Any], drawn: list[Any], as_of: Any, country: Actor | None,
                  min_events: int, clocks: dict[str, Any]) -> tuple[str, str, str]:  # fmt: skip
    """The title (what is drawn, on which date), the subtitle (what was left out, the knowledge time), the source line."""
    from . import text

    around = f" of {text.name(country.code)}" if country else ""
    busiest = f"the {len(drawn)} busiest of {len(with_events)} pairs" if len(drawn) < len(with_events) else f"{len(drawn)} pairs"
    title = f"Relations{around} on {as_of}: {busiest}"
    notes = []
    if with_events and not any(sum(state.counts.values()) for state in states if state.event_count):
        notes.append(f"no event in the 365 days before {as_of}: the scores have faded (give --as-of a date when they happened)")
    if min_events > 1:
        notes.append(f"pairs with at least {min_events} events ({len(kept)})")
    known = clocks.get("known_at")
    notes.append(f"as known at {text.moment(known.isoformat())}" if known else "as known at: everything on record")
    if clocks.get("recorded_by"):
        notes.append(f"as recorded by {text.moment(clocks['recorded_by'].isoformat())}")
    if clocks.get("confirmed_only"):
        notes.append("confirmed events only")
    half_life = states[0].half_life_days if states else clocks.get("half_life_days")
    arrangement = "partners on a ring in order of score, friendliest at the top" if country else "force-directed (networkx spring, seeded)"
    source = f"Scores: detente, CAMEO/Goldstein weights, half-life {half_life:g} days · layout: {arrangement}"
    return title, " · ".join(notes), source
