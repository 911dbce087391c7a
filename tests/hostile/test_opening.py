"""What a path can be: a pipe read once (nothing lost), a named pipe never waited on, no endless device;
and a GDELT export recognised by its content even when its first row is bad."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli.main import cli

from .conftest import Imported, good_line

GDELT_EXCERPT = Path(__file__).resolve().parents[1] / "fixtures" / "gdelt" / "20191024143000.excerpt.export.CSV"


@pytest.fixture
def no_hang() -> Iterator[None]:
    """Fail the test, rather than hang the suite, if it blocks for 10 seconds."""

    def fail(*_: object) -> None:
        raise TimeoutError("the import blocked")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_a_named_pipe_with_no_writer_is_refused_at_once(
    tmp_path: Path, importing: Callable[..., Imported], no_hang: None
) -> None:
    fifo = tmp_path / "events.jsonl"
    os.mkfifo(fifo)
    imported = importing(fifo)
    imported.assert_failed_cleanly()
    assert "is a pipe that no program is writing to" in imported.output


def write_in_background(target: str | Path, data: bytes) -> threading.Thread:
    def write() -> None:
        with open(target, "wb") as out:
            out.write(data)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_a_named_pipe_that_is_being_written_is_imported(
    tmp_path: Path, importing: Callable[..., Imported], no_hang: None
) -> None:
    fifo = tmp_path / "events.jsonl"
    os.mkfifo(fifo)
    writer = write_in_background(fifo, (good_line(1) + "\n" + good_line(2) + "\n").encode())
    imported = importing(fifo)
    writer.join()
    assert imported.exit_code == 0, imported.output
    assert imported.stored == {"good-1", "good-2"}


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
PIPED = {
    "gdelt": FIXTURES / "gdelt" / "20191024143000.excerpt.export.CSV",
    "icews": FIXTURES / "icews" / "events.2018.fictional.tab",
    "jsonl": Path(__file__).resolve().parents[1] / "cli" / "data" / "pairs.jsonl",
}


@pytest.mark.parametrize("fmt", PIPED)
def test_a_pipe_loses_no_row_to_format_detection(fmt: str, importing: Callable[..., Imported], no_hang: None) -> None:
    """The format is recognised from the pipe's first lines, which are then imported like the rest."""
    from_file = importing(PIPED[fmt])
    read_end, write_end = os.pipe()
    data = PIPED[fmt].read_bytes()
    writer = threading.Thread(target=lambda: (os.write(write_end, data), os.close(write_end)), daemon=True)
    writer.start()
    try:
        from_pipe = importing(f"/dev/fd/{read_end}")
    finally:
        writer.join()
        os.close(read_end)
    assert from_pipe.exit_code == from_file.exit_code, from_pipe.output
    assert f"({fmt}): read " in from_pipe.output
    assert from_pipe.stored == from_file.stored and from_file.stored


@pytest.mark.skipif(
    shutil.which("detente", path=str(Path(sys.executable).parent)) is None, reason="needs the installed script"
)
def test_cat_file_into_detente_import_dev_stdin_stores_what_the_file_stores(
    tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    from_file = importing(GDELT_EXCERPT)
    detente = Path(sys.executable).parent / "detente"
    db = tmp_path / "piped.db"
    env = {key: value for key, value in os.environ.items() if not key.startswith("DETENTE_")}
    piped = subprocess.run(
        f"cat '{GDELT_EXCERPT}' | '{detente}' --db '{db}' import /dev/stdin",
        shell=True, capture_output=True, text=True, timeout=60, env=env,
    )  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert "stdin (gdelt): read 47 records; added 47" in piped.stdout
    exported = CliRunner().invoke(cli, ["--db", str(db), "export"], catch_exceptions=False)
    assert {json.loads(line)["id"] for line in exported.stdout.splitlines()} == from_file.stored


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_a_device_is_refused_rather_than_read_for_ever(
    device: str, importing: Callable[..., Imported], no_hang: None
) -> None:
    imported = importing(device, "--format", "jsonl")
    imported.assert_failed_cleanly()
    assert "is a device or socket, not a file" in imported.output


@pytest.mark.parametrize("columns", [60, 62])
def test_a_gdelt_export_whose_first_row_has_the_wrong_column_count_is_still_read_as_gdelt(
    columns: int, tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    lines = GDELT_EXCERPT.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[0].rstrip("\n").split("\t")
    fields = fields[:columns] if columns < len(fields) else [*fields, "extra"]
    path = tmp_path / "20191024143000.export.CSV"
    path.write_text("\t".join(fields) + "\n" + "".join(lines[1:]), encoding="utf-8")
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert "(gdelt)" in imported.output and imported.rejected_lines() == [1]
    assert f"found {columns}" in imported.output
    assert len(imported.stored) >= 46
