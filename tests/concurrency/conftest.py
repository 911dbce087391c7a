"""Helpers for tests that run several real processes against one store."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
STATES = ("USA", "RUS", "CHN", "FRA", "DEU", "GBR", "JPN", "KOR", "IND", "BRA", "TUR", "IRN")
CODES = ("036", "042", "057", "112", "163")
PROCESS_TIMEOUT_S = 120


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str

    def outcome(self) -> dict[str, Any]:
        """The JSON line a worker printed last."""
        return json.loads(self.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def write_records(path: Path, prefix: str, count: int, seed: int) -> Path:
    """`count` interchange records with ids `<prefix>-<n>`, spread over a dozen states' pairs."""
    rnd = random.Random(seed)
    with path.open("w") as out:
        for number in range(count):
            actor, target = rnd.sample(STATES, 2)
            record = {
                "id": f"{prefix}-{number}", "type": "cameo", "code": rnd.choice(CODES),
                "date": f"20{rnd.randint(10, 23)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                "actor": actor, "target": target,
            }  # fmt: skip
            out.write(json.dumps(record) + "\n")
    return path


def detente(*args: str) -> list[str]:
    """The command line of `detente ARGS` run as its own process."""
    return [sys.executable, "-c", "from detente.cli.main import cli; cli(prog_name='detente')", *args]


def worker(job: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "tests.concurrency.workers", job, *args]


def start(commands: Sequence[list[str]]) -> list[subprocess.Popen[str]]:
    """Start every command at once, each a process of its own run from the repository's root."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for command in commands
    ]


def finish(processes: Sequence[subprocess.Popen[str]]) -> list[Finished]:
    finished = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=PROCESS_TIMEOUT_S)
        finished.append(Finished(process.returncode, stdout, stderr))
    return finished


def run_together(commands: Sequence[list[str]]) -> list[Finished]:
    """Start every command at once, wait for all, and return how each ended."""
    return finish(start(commands))


def run_workers_at_once(barrier: Path, commands: Sequence[list[str]]) -> list[Finished]:
    """Start worker commands (each given `barrier` as its last argument), let them all go once every one
    is ready, wait for all, and return how each ended."""
    processes = start(commands)
    deadline = time.time() + PROCESS_TIMEOUT_S
    while len(list(barrier.glob("ready-*"))) < len(processes) and time.time() < deadline:
        if any(process.poll() is not None for process in processes):
            break  # one failed before it was ready: let the others go, and report it
        time.sleep(0.01)
    (barrier / "go").touch()
    return finish(processes)


def barrier(folder: Path) -> Path:
    folder.mkdir()
    return folder


def view_rows(store: Any) -> list[tuple[Any, ...]]:
    """Every row of the view, in key order, as stored."""
    from sqlalchemy import select

    from detente.projections.rows import facts_table

    with store.view.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(select(facts_table).order_by(facts_table.c.pair, facts_table.c.position))]


def exported(store: Any) -> list[str]:
    """The store's records in the interchange form, in a canonical order (log order differs by who wrote first)."""
    return sorted(json.dumps(row, sort_keys=True, default=str) for row in store.export_rows())


def assert_view_equals_a_rebuild(store: Any) -> None:
    before = view_rows(store)
    store.rebuild()
    assert view_rows(store) == before
    assert len(before) == sum(1 for _ in store.export_rows())
