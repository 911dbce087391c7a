"""How fast the `detente` command starts, against a bare Python interpreter.

Measures the wall time of `python -c pass`, `detente --help` and `detente status RUS PRK` (on a small
temporary SQLite store), each run several times in turn, and prints the medians and their ratios to
`python -c pass`. Run it with the Python of the environment where detente is installed:

    python bench/cli_startup.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVENTS = [
    {"id": "visit-2024", "type": "visit-held", "date": "2024-06-19", "actor": "RUS", "target": "PRK", "place": "Pyongyang"},
    {"id": "treaty-2024", "type": "agreement-signed", "date": "2024-06-19", "actor": "RUS", "target": "PRK", "title": "Partnership"},
    {"id": "sanctions-2024", "type": "sanction-imposed", "date": "2024-05", "actor": "KOR", "target": ["RUS", "PRK"]},
]


def small_store(folder: Path) -> str:
    from detente import api

    url = f"sqlite:///{folder / 'bench.db'}"
    with api.open_store(url) as store:
        for event in EVENTS:
            store.record(event)
    return url


def wall_time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="runs of each command (default 15)")
    repeat = parser.parse_args().repeat
    detente = str(Path(sys.executable).with_name("detente"))
    with tempfile.TemporaryDirectory() as folder:
        env = {**os.environ, "DETENTE_DATABASE_URL": small_store(Path(folder))}
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "detente --help": [detente, "--help"],
            "detente status RUS PRK": [detente, "status", "RUS", "PRK"],
        }
        for command in commands.values():
            wall_time(command, env)  # warm the file cache once
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(repeat):
            for name, command in commands.items():
                times[name].append(wall_time(command, env))
    base = statistics.median(times["python -c pass"])
    print(f"Python {sys.version.split()[0]} on {sys.platform}; {repeat} runs each, interleaved; median wall time")
    print(f"{'command':<26}{'median':>10}{'min':>10}{'ratio':>8}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<26}{median * 1000:>8.0f}ms{min(values) * 1000:>8.0f}ms{median / base:>7.1f}x")


if __name__ == "__main__":
    main()
