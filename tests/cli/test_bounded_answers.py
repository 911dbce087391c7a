"""Answers that would take unbounded time or bury their report are refused or summarised, with what to do."""

from __future__ import annotations

import json

import pytest

from detente import api
from detente.cli.app import explain

from .conftest import Detente


def test_a_replay_longer_than_its_limit_is_refused_with_what_to_use_instead(detente: Detente, write, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(api, "MAX_REPLAY_STEPS", 5)
    rows = [{"id": f"v{n}", "type": "cameo", "code": "042", "date": f"2020-01-{n + 1:02d}", "actor": "FRA", "target": "DEU"} for n in range(6)]
    assert detente("import", write("six.jsonl", "".join(json.dumps(row) + "\n" for row in rows))).exit_code == 0
    refused = detente("replay", "FRA", "DEU")
    assert refused.exit_code == 1 and "replay shows at most 5" in refused.output and "timeline" in refused.output
    assert detente("replay", "FRA", "DEU", "--to", "2020-01-05").exit_code == 0


def test_thousands_of_repeated_acts_are_named_twenty_times_then_counted(detente: Detente, write) -> None:  # type: ignore[no-untyped-def]
    rows = [{"id": f"r{n}", "type": "visit-held", "date": "2020-01-01", "actor": "FRA", "target": "DEU"} for n in range(30)]
    result = detente("import", write("repeats.jsonl", "".join(json.dumps(row) + "\n" for row in rows)))
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert len(warnings) == 21 and "and 9 more" in warnings[-1]


def test_a_missing_package_is_named_with_how_to_install_it() -> None:
    error = ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib")
    message = explain(error, None)  # type: ignore[arg-type]
    assert "matplotlib" in message and "pip install" in message and "This is a bug" not in message
