"""The `detente` command group: global options, the context object, and the commands.

Commands import the library (SQLAlchemy, eventsourcing, pycountry, matplotlib) when they run, so that
`detente --help` starts in the time it takes to import click.
"""

from __future__ import annotations

import click

from detente import __version__

from .app import App, DetenteGroup
from .demo import demo
from .doctor import doctor
from .pictures import chart, network
from .comparing import diff
from .histories import replay, timeline
from .reading import events, explain, pairs, status
from .recording import correct, record, retract
from .sync import sync
from .transfer import export, import_, rebuild


@click.group(cls=DetenteGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    metavar="URL",
    envvar="DETENTE_DATABASE_URL",
    show_envvar=True,
    help="The store: a SQLite file path or URL, or postgresql+psycopg://... (default: ~/.local/share/detente/detente.db).",
)
@click.version_option(__version__, "--version", prog_name="detente")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Record what states do to each other; ask what their relationship was at any date, as known at any time.

    A and B name countries or organisations by ISO code or name (RUS, Russia,
    "North Korea", DPRK). Dates are YYYY, YYYY-MM or YYYY-MM-DD. An unknown country
    or a malformed date is a usage error (exit 2, with suggestions); an error from
    the store or the data exits 1 with what to do next.

    \b
    Example:
        detente demo
        detente status RUS PRK --as-of 2024-06-20 --known-at 2024-06-17
        detente timeline RUS KOR --from 2023 --every quarter --format csv
    """
    app = ctx.ensure_object(App)
    app.db = app.db or db
    ctx.call_on_close(app.close)


for command in (demo, record, import_, export, events, status, timeline, replay, explain, diff, pairs, correct, retract, chart, network, rebuild, sync, doctor):
    cli.add_command(command)
