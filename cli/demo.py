"""`detente demo`: the founding case (Putin's June 2024 visit to Pyongyang), imported and briefed."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from . import text
from .app import App, db_option
from .output import Output, output_options
from .params import DATE, MOMENT

if TYPE_CHECKING:
    from detente.service import Detente

DEMO_STORE = "demo.db"
"""With no --db, the demo gets a store of its own beside the default one, so it never mixes with real data."""
DRIVERS_SHOWN = 3


@click.command()
@click.option("--as-of", type=DATE, help="The date to brief on (default: 20 June 2024, the day after the visit).")
@click.option("--known-at", type=MOMENT, help="As the world knew it then (e.g. 2024-06-17, the article's day).")
@db_option
@output_options
@click.pass_obj
def demo(app: App, as_of: Any, known_at: Any) -> Output:
    """Import the bundled founding case and brief its main pairs.

    The case is Putin's state visit to North Korea in June 2024 and the relations
    around it, coded from the article the project was founded on. The import is
    idempotent: run it again and nothing is added. Without --db, the demo uses its
    own store (demo.db beside the default store), and says how to query it.

    \b
    Example:
        detente demo
        detente demo --known-at 2024-06-17
        detente --db demo.db demo --format json
    """
    from detente import demo as founding
    from detente.settings import default_database_path

    if not app.db:
        app.db = str(default_database_path().with_name(DEMO_STORE))  # its folder is made as the store opens
    store = app.store
    outcome = founding.load_founding_case(store)
    clocks = {"known_at": known_at} | ({"as_of": as_of} if as_of else {})
    pairs = [_with_drivers(store, item.to_dict(), known_at) for item in founding.briefing(store, **clocks)]
    data = {
        "store": store.url,
        "imported": {"added": outcome.added, "duplicates": outcome.duplicates, "events": outcome.events, "rejected": outcome.rejected},
        "pairs": pairs,
    }
    rows = [{key: value for key, value in pair.items() if key not in ("names", "drivers", "claims")} for pair in pairs]
    return Output(data=data, rows=rows, text=briefing_text(data, app.db, known_at))


def _with_drivers(store: Detente, pair: dict[str, Any], known_at: Any) -> dict[str, Any]:
    from detente import api

    state = api.relationship(store, *pair["pair"], as_of=pair["as_of"], known_at=known_at)
    return {**pair, "drivers": [driver for driver in state.to_dict()["drivers"][:DRIVERS_SHOWN]]}


def briefing_text(data: dict[str, Any], db: str, known_at: Any) -> str:
    imported = data["imported"]
    first = data["pairs"][0]
    knowledge = f"as known at {text.moment(known_at.isoformat())}" if known_at else "with everything known now"
    if imported["added"]:
        stored = f"Imported {imported['added']} records ({imported['events']} pair events) into {db}."
    else:
        stored = f"The case is already in {db} ({imported['duplicates']} records); nothing added."
    lines = [
        "The founding case: Putin's state visit to North Korea, June 2024",
        stored,
        f"Each pair on {first['as_of']}, {knowledge}, against 1 January 2022 (before the invasion of Ukraine).",
    ]
    for pair in data["pairs"]:
        lines += [""] + _pair_lines(pair)
    a, b = first["pair"]
    lines += [
        "",
        *_wrap(
            "Scores run from −10 (hostile) to +10 (close): the Goldstein weights of the events, halving every 180 "
            "days; claims count half, denied claims a quarter.",
            "",
        ),
        "Go further:",
        f"  detente --db {db} status {a} {b} --as-of 2024-06-20 --known-at 2024-06-17",
        f"  detente --db {db} replay {a} {b} --to 2024-06-30",
        f"  detente --db {db} chart {a} {b} --from 2023 --vs RUS KOR -o {a.lower()}-{b.lower()}.png",
    ]
    if imported["rejected"]:
        lines += ["", "Rejected records of the bundled dataset (please report):"]
        lines += [f"  line {number}: {message}" for number, message in imported["rejected"]]
    return "\n".join(lines)


LABEL_WIDTH = 13
WRAP_WIDTH = 100


def _pair_lines(pair: dict[str, Any]) -> list[str]:
    a, b = pair["pair"]
    change = pair["change"]
    direction = "warming" if change > 0 else "cooling" if change < 0 else "unchanged"
    heading = (
        f"{text.pair_title(a, b)}: {pair['level']} {text.signed(pair['score'])}, {direction} "
        f"from {pair['baseline_level']} {text.signed(pair['baseline_score'])}"
    )
    groups: list[tuple[str, list[str]]] = []
    if not pair["level_reason"].startswith("score"):
        groups.append(("why", [pair["level_reason"]]))
    visit = pair["last_visit"]
    if visit:
        place = f", {visit['place']}" if visit.get("place") else ""
        groups.append(("last visit", [f"{visit['date']}  {text.arrow(visit['visitor'], visit['host'])}{place}"]))
    groups.append(("visit due", [f"{text.arrow(v['visitor'], v['host'])} planned {v['planned'] or 'undated'}" for v in pair["pending_visits"]]))
    groups.append(("sanctions", [f"since {s['since']}  {text.arrow(s['by'], s['on'])}: {s['scope'] or 'unspecified'}" for s in pair["active_sanctions"]]))
    groups.append(("detained", [f"since {d['since']}  by {d['held_by']}: {d['person'] or 'a citizen of ' + d['citizen_of']}" for d in pair["active_detentions"]]))
    groups.append(("claims", [f"{c['date']}  {c['summary'] or c['type']} — {text.attribution(c)}" for c in pair["claims"]]))
    groups.append(("moved by", [f"{text.signed(d['contribution'])}  {d['date']}  {d['summary'] or d['type']}" for d in pair["drivers"]]))
    lines = [heading]
    for label, items in groups:
        for number, item in enumerate(items):
            lines += _wrap(item, f"  {label if number == 0 else '':<{LABEL_WIDTH}}")
    return lines


def _wrap(line: str, lead: str) -> list[str]:
    import textwrap

    return textwrap.wrap(line, WRAP_WIDTH, initial_indent=lead, subsequent_indent=" " * len(lead) + "  ") or [lead]
