"""The reading commands' date, moment and half-life options at the edges of the calendar and of sense: each is an
answer (exit 0) or an error that says what to write instead (exit 2, or 1), never a traceback or "This is a bug"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from detente.cli.main import cli

from .conftest import PAIRS_FILE

PAIR = ["RUS", "PRK"]
COMMANDS: dict[str, list[str]] = {
    "status": PAIR, "timeline": PAIR, "replay": PAIR, "explain": PAIR, "diff": PAIR,
    "pairs": [], "events": PAIR, "chart": [*PAIR, "-o", "{folder}/chart.png", "--width", "400", "--height", "300"],
    "network": ["-o", "{folder}/network.png", "--width", "300", "--height", "300"],
}
EDGE_MOMENTS = ["9999-12-31", "0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "9999"]
EDGES: list[list[str]] = [
    *(["--as-of", day] for day in ["0001-01-01", "9999-12-31", "0001", "9999"]),
    *([option, moment] for option in ("--known-at", "--recorded-by", "--vs-known-at") for moment in EDGE_MOMENTS),
    *(["--half-life", days] for days in ["nan", "inf", "-inf", "0", "-5", "1e308", "1e-300", "ten"]),
    ["--from", "0001", "--to", "9999", "--every", "month"],
    ["--from", "0001", "--to", "9999", "--every", "year"],
    ["--from", "0001", "--to", "9999"],
    ["--from", "2024", "--to", "2020"],
    ["--from", "9999"], ["--from", "0001"], ["--to", "9999"], ["--to", "0001"], ["--to", "0001-01-01"],
    ["--from", "9999-12-31", "--to", "9999-12-31"], ["--from", "0001-01-01", "--to", "0001-01-01"],
    ["--from", "9999-12-30", "--to", "9999-12-31"], ["--from", "0001-01-01", "--to", "0001-01-02"],
]
DIFF_COMPANIONS = {"--known-at": ["--vs-known-at", "2024-06-20"], "--vs-known-at": ["--known-at", "2024-06-17"],
                   "--from": ["--to", "2024-06-30"], "--to": ["--from", "2023"]}
"""diff compares two states: an edge given alone is paired with an ordinary other side."""


def options_of(name: str) -> set[str]:
    command = cli.commands[name]  # type: ignore[attr-defined]
    return {option for param in command.params if isinstance(param, click.Option) for option in param.opts}


def cases() -> Iterator[object]:
    for name in COMMANDS:
        accepted = options_of(name)
        for edge in EDGES:
            given = [token for token in edge if token.startswith("--")]
            if not set(given) <= accepted:
                continue  # an option the command does not have is click's own usage error, tested elsewhere
            args = list(edge)
            if name == "diff":
                for option, companion in DIFF_COMPANIONS.items():
                    if option in given and companion[0] not in given:
                        args += companion
            yield pytest.param(name, args, id=f"{name} {' '.join(edge)}")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("edges") / "edges.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "import", str(PAIRS_FILE)])
    assert result.exit_code == 0, result.output
    return db


def run(store: Path, *args: str) -> tuple[int, str]:
    folder = store.parent
    result = CliRunner().invoke(cli, ["--db", str(store), *(arg.format(folder=folder) for arg in args)])
    return result.exit_code, result.output


def test_the_matrix_covers_every_reading_command() -> None:
    covered = {case.values[0] for case in cases()}  # type: ignore[attr-defined]
    assert covered == set(COMMANDS)
    assert len(list(cases())) > 100


@pytest.mark.parametrize("name, args", list(cases()))
def test_an_edge_argument_is_an_answer_or_a_usage_error_never_a_bug(store: Path, name: str, args: list[str]) -> None:
    code, output = run(store, name, *COMMANDS[name], *args)
    assert code in (0, 1, 2), output
    assert "This is a bug" not in output and "Traceback" not in output, output
    if code:
        assert "Error:" in output and len(output.strip()) > len("Error:"), output


def test_the_first_day_of_the_calendar_is_an_answer_with_nothing_counted(store: Path) -> None:
    code, output = run(store, "status", *PAIR, "--as-of", "0001-01-01", "--format", "json")
    state = json.loads(output)
    assert code == 0 and state["event_count"] == 0 and state["score"] == 0 and state["trend"] == 0


def test_a_moment_past_the_end_of_the_calendar_knows_everything(store: Path) -> None:
    everything = json.loads(run(store, "status", *PAIR, "--as-of", "2024-06-30", "--format", "json")[1])
    for moment in ("9999-12-31", "9999-12-31T23:59:59-12:00"):
        code, output = run(store, "status", *PAIR, "--as-of", "2024-06-30", "--known-at", moment, "--recorded-by", moment, "--format", "json")
        state = json.loads(output)
        assert code == 0 and state["score"] == everything["score"] and state["event_count"] == everything["event_count"] > 0
        assert state["known_at"].startswith("9999-12-31T23:59:59")


def test_a_moment_before_the_calendar_knows_nothing(store: Path) -> None:
    code, output = run(store, "status", *PAIR, "--as-of", "2024-06-30", "--known-at", "0001-01-01T00:00:00+14:00", "--format", "json")
    assert code == 0 and json.loads(output)["event_count"] == 0


@pytest.mark.parametrize("days", ["nan", "inf", "-inf", "0", "-5", "ten"])
def test_a_half_life_that_is_not_a_positive_number_is_a_usage_error(store: Path, days: str) -> None:
    code, output = run(store, "status", *PAIR, "--half-life", days)
    assert code == 2 and "--half-life" in output and "number of days" in output


def test_a_timeline_of_too_many_dates_is_a_usage_error_with_the_limit(store: Path) -> None:
    code, output = run(store, "timeline", *PAIR, "--from", "0001", "--to", "9999", "--every", "month")
    assert code == 2 and "119,988 dates" in output and "at most 5,000" in output and "--every" in output
    code, output = run(store, "timeline", *PAIR, "--from", "1900", "--to", "9999", "--every", "year", "--format", "csv")
    assert code == 2 and "8,100 dates" in output
    code, output = run(store, "timeline", *PAIR, "--from", "9000", "--to", "9999", "--every", "year", "--format", "csv")
    assert code == 0 and output.splitlines()[-1].startswith("PRK-RUS,PRK,RUS,9999-01-01,9999-12-31,year,9999-12-31,")


@pytest.mark.parametrize("name", ["timeline", "chart"])
def test_from_after_to_is_a_usage_error(store: Path, name: str) -> None:
    code, output = run(store, name, *COMMANDS[name], "--from", "2024", "--to", "2020")
    assert code == 2 and "--from 2024 is after --to 2020" in output
    code, output = run(store, name, *COMMANDS[name], "--from", "9999")
    assert code == 2 and "--from 9999 is after today" in output
