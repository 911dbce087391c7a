"""Hostile files through `detente import`: the run fails cleanly, reports each bad line, keeps the good ones.

`importing(path)` runs the real command (click's runner, in this process) on a fresh store and returns an
`Imported`: the exit status, what was printed, and the ids the store holds afterwards (read back with
`detente export`). Big files are written here at test time, never committed.
"""

from __future__ import annotations

import re

import json
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from detente.cli.main import cli


def good_record(number: int) -> dict[str, Any]:
    return {
        "id": f"good-{number}",
        "type": "visit-held",
        "date": f"2020-01-{number:02d}",
        "actor": "FRA",
        "target": "DEU",
    }


def good_line(number: int) -> str:
    return json.dumps(good_record(number))


@dataclass
class Peak:
    bytes: int = 0


@contextmanager
def peak_allocation() -> Iterator[Peak]:
    """The most memory Python objects held at once during the block (tracemalloc), whatever ran before."""
    peak = Peak()
    tracemalloc.start()
    try:
        yield peak
        peak.bytes = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


REJECTION = re.compile(r"^  (?:.*, )?line (\d+): ")


@dataclass
class Imported:
    exit_code: int
    output: str
    stored: set[str]

    def rejected_lines(self) -> list[int]:
        """The line numbers of the rejections `detente import` lists (`  FILE, line N: why`)."""
        found = (REJECTION.match(line) for line in self.output.splitlines())
        return [int(match.group(1)) for match in found if match]

    def assert_failed_cleanly(self) -> None:
        """Exit 1 with a message, never a traceback nor an unexpected error."""
        assert self.exit_code == 1, self.output
        assert "Traceback" not in self.output and "This is a bug" not in self.output, self.output
        assert "Error: " in self.output, self.output


@pytest.fixture
def importing(tmp_path: Path) -> Callable[..., Imported]:
    runner = CliRunner()
    stores = iter(range(1_000_000))

    def run(path: Path | str, *options: str) -> Imported:
        db = str(tmp_path / f"store-{next(stores)}.db")
        result = runner.invoke(cli, ["--db", db, "import", str(path), *options], catch_exceptions=False)
        exported = runner.invoke(cli, ["--db", db, "export", "--format", "jsonl"], catch_exceptions=False)
        assert exported.exit_code == 0, exported.output
        stored = {json.loads(line)["id"] for line in exported.stdout.splitlines() if line.strip()}
        return Imported(result.exit_code, result.output, stored)

    return run
