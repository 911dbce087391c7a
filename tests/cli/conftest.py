"""CLI fixtures: a runner that always names a temporary store, and a store loaded with a small case."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from detente.cli.main import cli

DATA = Path(__file__).parent / "data"
PAIRS_FILE = DATA / "pairs.jsonl"
"""Ten records around Putin's June 2024 visit: RUS–PRK warming, RUS–KOR cooling."""


class Detente:
    """Runs `detente` on one store, as an analyst would type it."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: Any, input: str | None = None) -> Result:
        return self.runner.invoke(cli, ["--db", str(self.db), *map(str, args)], input=input, catch_exceptions=False)

    def json(self, *args: Any) -> Any:
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    def csv(self, *args: Any) -> list[dict[str, str]]:
        import csv
        import io

        result = self(*args, "--format", "csv")
        assert result.exit_code == 0, result.output
        return list(csv.DictReader(io.StringIO(result.stdout)))


def empty_store(path: Path) -> Detente:
    """`detente` on a new, empty store at `path` (reading commands need a store to exist)."""
    from detente import api

    api.open_store(str(path)).close()
    return Detente(path)


@pytest.fixture
def detente(tmp_path: Path) -> Detente:
    """`detente` on an empty store."""
    return empty_store(tmp_path / "cli.db")


@pytest.fixture
def loaded(detente: Detente) -> Detente:
    """`detente` on a store holding tests/cli/data/pairs.jsonl."""
    result = detente("import", PAIRS_FILE)
    assert result.exit_code == 0, result.output
    return detente


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a file of the given name and text in the test's folder."""

    def writer(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return writer
