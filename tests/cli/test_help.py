"""Every command explains itself with an example, and `detente --help` starts without the heavy libraries."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from detente.cli.main import cli

COMMANDS = sorted(cli.commands)


def test_the_group_has_every_command() -> None:
    assert COMMANDS == sorted(
        ["demo", "record", "import", "export", "events", "status", "timeline", "replay", "explain", "diff", "pairs",
         "correct", "retract", "chart", "network", "rebuild", "sync", "doctor"]
    )  # fmt: skip


@pytest.mark.parametrize("command", [[], *[[name] for name in COMMANDS]])
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:\n" in result.output
    example = result.output.split("Example:\n", 1)[1]
    assert f"detente {command[0] if command else ''}".strip() in example


@pytest.mark.parametrize("name", [name for name in COMMANDS if name not in ("record", "correct", "retract", "import", "export", "rebuild", "chart", "network", "sync")])
def test_every_reading_command_has_the_shared_format_option(name: str) -> None:
    options = {option for param in cli.commands[name].params for option in param.opts}
    assert "--format" in options
    [param] = [param for param in cli.commands[name].params if "--format" in param.opts]
    assert isinstance(param.type, click.Choice) and list(param.type.choices) == ["table", "json", "csv", "tsv", "ndjson"]


def test_sync_gdelt_has_help_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["sync", "gdelt", "--help"])
    assert result.exit_code == 0 and "detente sync gdelt --from" in result.output.split("Example:\n", 1)[1]


def test_record_help_lists_every_event_type_it_takes() -> None:
    from detente.domain.events import EVENT_TYPES

    help_text = CliRunner().invoke(cli, ["record", "--help"]).output
    for name in EVENT_TYPES:
        if name not in ("event-corrected", "event-retracted"):
            assert name in help_text


def test_record_has_an_option_for_every_type_specific_field() -> None:
    from detente.interchange.records import all_specific_fields

    options = {param.name for param in cli.commands["record"].params}
    # `changes` belongs to `detente correct`, `provenance` to the importers.
    assert set(all_specific_fields()) - {"changes", "provenance"} <= options
    assert {"changes", "provenance"}.isdisjoint(options)


def test_record_offers_the_domain_statuses() -> None:
    from detente.domain.sources import STATUSES

    [param] = [param for param in cli.commands["record"].params if param.name == "status"]
    assert sorted(param.type.choices) == sorted(STATUSES)  # type: ignore[attr-defined]


def modules_imported_by(args: list[str], folder: Path) -> set[str]:
    """The top-level modules `detente ARGS` has imported when it ends, run in a fresh interpreter outside the
    checkout, so that the installed package is imported, not the source folder."""
    code = (
        "import sys\n"
        "from detente.cli.main import cli\n"
        f"try:\n    cli({args!r})\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=folder)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.splitlines()[-1].split())


def test_help_does_not_import_the_heavy_libraries(tmp_path: Path) -> None:
    heavy = {"sqlalchemy", "eventsourcing", "pycountry", "matplotlib", "yaml"}
    assert modules_imported_by(["--help"], tmp_path) & heavy == set()


def test_record_help_imports_the_event_classes_but_no_database_or_picture_library(tmp_path: Path) -> None:
    # Its options are made from the event classes (tests/cli/test_record_options.py), so it imports those.
    heavy = {"sqlalchemy", "psycopg", "pycountry", "matplotlib", "networkx", "yaml", "numpy"}
    assert modules_imported_by(["record", "--help"], tmp_path) & heavy == set()


def test_import_offers_every_format_the_library_reads() -> None:
    from detente import api

    [param] = [param for param in cli.commands["import"].params if param.name == "input_format"]
    assert list(param.type.choices) == ["auto", *api.IMPORT_FORMATS]  # type: ignore[attr-defined]
