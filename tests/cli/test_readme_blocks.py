"""The README's ```sh blocks run as written, in order, after `pip install . && detente demo`; its Python runs too.

They run through the installed `detente` entry point in one shell, in a temporary home (so that the README's
`~/.local/share/detente/demo.db` is the demo store), in a folder holding the files the "Getting data"
examples name (made from the committed fixtures), with `sync gdelt` pointed at a local stand-in for GDELT.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .gdelt_server import EXCERPT, GdeltServer, zipped_exports
from .test_charts import png_size

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
ICEWS_FICTIONAL = ROOT / "tests" / "fixtures" / "icews" / "events.2018.fictional.tab"
ICEWS_SAMPLE = next((folder / "shared" / "data" / "icews" / "events.2018.sample.tab" for folder in ROOT.parents
                     if (folder / "shared" / "data" / "icews" / "events.2018.sample.tab").is_file()), None)  # fmt: skip
INSTALLED = "pip install . && "
"""The quickstart's install: the package is installed already, so its `detente demo` is what runs."""
NOT_RUN = {"pip install '.[test]' && pytest": "this is the test suite itself"}


def blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", README.read_text(encoding="utf-8"), flags=re.DOTALL | re.MULTILINE)


def commands() -> list[str]:
    """Every command of the sh blocks, continuation lines joined, in the README's order."""
    found = []
    for block in blocks("sh"):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip():
                found.append(re.sub(r"\s+", " ", line.strip()))
    return found


def test_the_readme_has_the_blocks_this_test_runs() -> None:
    every = commands()
    assert every[0] == "pip install . && detente demo"
    assert set(NOT_RUN) <= set(every), "a command this test skips is no longer in the README: update NOT_RUN"
    assert any(" chart " in command for command in every) and any(" network " in command for command in every)
    assert len(blocks("python")) == 1


def _prepare(work: Path, home: Path) -> None:
    """The files the README's import examples name, made from the committed fixtures."""
    text = EXCERPT.read_text(encoding="utf-8")
    (work / "20191024143000.export.CSV").write_text(text, encoding="utf-8")
    (work / "20191024143000.export.CSV.gz").write_bytes(gzip.compress(text.encode()))
    zips = zipped_exports()
    for name in ("20191024143000.export.CSV.zip", "20191024144500.export.CSV.zip"):
        (work / name).write_bytes(zips[name])
        (home / "data" / "gdelt").mkdir(parents=True, exist_ok=True)
        (home / "data" / "gdelt" / name).write_bytes(zips[name])
    header, *rows = ICEWS_FICTIONAL.read_text(encoding="utf-8").splitlines(keepends=True)
    half = len(rows) // 2
    with zipfile.ZipFile(work / "icews-2018-bundle.zip", "w") as bundle:
        bundle.writestr("events.2018.part1.tab", header + "".join(rows[:half]))
        bundle.writestr("events.2018.part2.tab", header + "".join(rows[half:]))
    # The real sample where the reference data is present (on CI), else the hand-written one in its format.
    shutil.copy(ICEWS_SAMPLE or ICEWS_FICTIONAL, work / "events.2018.sample.tab")


def _script(every: list[str]) -> str:
    lines = ["set -u -o pipefail", "fail() { echo \"README command failed (exit $1): $2\" >&2; exit 1; }"]
    for command in every:
        if command in NOT_RUN:
            continue
        command = command.removeprefix(INSTALLED)
        if re.fullmatch(r"[A-Z_]+=\S+", command):  # an assignment, such as DB=...
            lines.append(command)
        else:
            lines.append(f"{command} || fail $? {shlex.quote(command)}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def readme_world(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    _prepare(work, home)
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("XDG_", "DETENTE_"))}
    environment.update(HOME=str(home), PATH=f"{Path(sys.executable).parent}{os.pathsep}{environment.get('PATH', '')}", COLUMNS="120")
    return work, environment


def test_every_readme_command_runs_as_written_in_order(readme_world: tuple[Path, dict[str, str]]) -> None:
    work, environment = readme_world
    assert shutil.which("detente", path=environment["PATH"]), "the detente entry point is not installed"
    server = GdeltServer().start()
    try:
        environment["DETENTE_GDELT_URL"] = server.base_url
        result = subprocess.run(["bash", "-c", _script(commands())], cwd=work, env=environment, capture_output=True, text=True, timeout=300)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Unexpected error" not in result.stderr and "Traceback" not in result.stderr
    for image in ("rus-prk.png", "network.png", "icews-2018.png"):
        width, height = png_size(work / image)
        assert width >= 1000 and height >= 600
    demo = Path(environment["HOME"]) / ".local" / "share" / "detente" / "demo.db"
    status = subprocess.run(["detente", "--db", str(demo), "status", "RUS", "VNM", "--as-of", "2024-06-18", "--format", "json"],
                            env=environment, capture_output=True, text=True, check=True)  # fmt: skip
    # The README's correction reached the demo store: the visit to Vietnam is now planned for 19 June.
    assert [visit["planned"] for visit in json.loads(status.stdout)["pending_visits"]] == ["2024-06-19"]
    events = subprocess.run(["detente", "--db", str(demo), "events", "RUS", "PRK", "--format", "json"],
                            env=environment, capture_output=True, text=True, check=True)  # fmt: skip
    # ... its record was stored, and then retracted ...
    log = json.loads(events.stdout)
    assert [e["type"] for e in log if "rus-prk-treaty-ratified-2024" in (e["id"], e.get("refers_to"))] == ["agreement-signed", "event-retracted"]
    after = subprocess.run(["detente", "--db", str(demo), "status", "RUS", "PRK", "--as-of", "2024-12-01", "--format", "json"],
                           env=environment, capture_output=True, text=True, check=True)  # fmt: skip
    # ... so that the state counts the treaty once, not its ratification.
    agreements = json.dumps(json.loads(after.stdout)["agreements"])
    assert "Comprehensive Strategic Partnership" in agreements and "ratifying" not in agreements


def test_the_readme_python_example_reads_the_demo_store(readme_world: tuple[Path, dict[str, str]]) -> None:
    work, environment = readme_world
    subprocess.run(["detente", "demo"], cwd=work, env=environment, capture_output=True, text=True, check=True)
    [code] = blocks("python")
    check = (
        "\nassert state.level in ('cordial', 'close') and state.score > 1.5, state.score\n"
        "assert [str(day) for day in [v.planned for v in state.pending_visits]] == ['2024-06-16'], state.pending_visits\n"
        "assert rows and ranked and scores\n"
    )
    result = subprocess.run([sys.executable, "-c", code + check], cwd=work, env=environment, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
