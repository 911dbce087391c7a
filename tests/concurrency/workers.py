"""What the concurrency tests run in their other processes: `python -m tests.concurrency.workers JOB ...`.

Each job imports detente first, says it is ready and waits for the test's go (files in a barrier folder),
so that the processes meet at the moment that matters (opening the store, importing) rather than one after
another as they start up.
Each prints one JSON line: what it did, or the error message it met.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from detente import api
from detente.cli.main import cli
from detente.service import Detente


def wait_for_go(barrier: str) -> None:
    folder = Path(barrier)
    (folder / f"ready-{os.getpid()}").touch()
    while not (folder / "go").exists():
        time.sleep(0.005)


def open_store(url: str, start: str) -> dict[str, Any]:
    wait_for_go(start)
    with Detente(url) as store:
        return {"pending": store.view.pending()}


def import_file(url: str, path: str, batch_size: str, start: str) -> dict[str, Any]:
    _, lines = api.read_records(path)
    wait_for_go(start)
    with Detente(url) as store:
        outcome = store.import_lines(lines, batch_size=int(batch_size))
    return {"added": outcome.added, "duplicates": outcome.duplicates, "rejected": outcome.rejected}


def record_many(url: str, prefix: str, count: str, start: str) -> dict[str, Any]:
    wait_for_go(start)
    added = []
    with Detente(url) as store:
        for number in range(int(count)):
            record = {"id": f"{prefix}-{number}", "type": "cameo", "code": "042", "date": f"2020-01-{number % 28 + 1:02d}", "actor": "FRA", "target": "DEU"}
            added += store.record(record)
    return {"added": added}


def record_into(url: str, target: str, record_id: str, start: str) -> dict[str, Any]:
    wait_for_go(start)
    with Detente(url) as store:
        return {"added": store.record({"id": record_id, "type": "cameo", "code": "042", "date": "2020-01-02", "actor": "FRA", "target": target})}


def rebuild(url: str, delay: str, start: str) -> dict[str, Any]:
    wait_for_go(start)
    time.sleep(float(delay))
    with Detente(url) as store:
        return {"rebuilt": store.rebuild()}


def read_until(url: str, stop_file: str) -> dict[str, Any]:
    """Run reading commands, as an analyst would during an import, until the stop file appears."""
    runner, runs, failures = CliRunner(), 0, []
    while not Path(stop_file).exists() or runs < 2:
        for args in (["status", "FRA", "DEU", "--format", "json"], ["pairs", "--format", "json"]):
            result = runner.invoke(cli, ["--db", url, *args])
            runs += 1
            if result.exit_code != 0:
                failures.append(result.output.strip())
    return {"runs": runs, "failures": failures}


JOBS = {"open": open_store, "import": import_file, "record": record_many, "record-into": record_into, "rebuild": rebuild, "read": read_until}

if __name__ == "__main__":
    job, *arguments = sys.argv[1:]
    try:
        outcome = JOBS[job](*arguments)
    except Exception as error:  # reported to the test, which shows it
        outcome = {"error": f"{type(error).__name__}: {error}"}
    print(json.dumps(outcome))
