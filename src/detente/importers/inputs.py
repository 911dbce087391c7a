"""What `detente import` is asked to read, as a list of data files: paths, folders, archives, a pipe.

- a file is itself (a .zip or .gz of one data file is read in place by `interchange.source`);
- a folder is its data files (`DATA_SUFFIXES`), in name order, not recursively; other files are noted;
- a .zip holding several files is each of its data members, in the archive's order, unpacked one at a
  time into a temporary folder (never dropped: a member that is not a data file is noted by name);
- `-` is standard input, copied to a temporary file first, so that sniffing its format reads nothing
  twice from the pipe. A zip or gzip stream is recognised by its first bytes.

    >>> with data_inputs(["a.CSV", "exports/", "-"], sys.stdin.buffer) as inputs:
    ...     for item in inputs: ...          # DataInput(label, path, note)
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from detente.interchange.formats import UnreadableFile
from detente.interchange.file_opening import is_archive_clutter

STDIN = "-"
STDIN_NAME = "stdin"
"""The file name standard input is recorded under (in the report and in an import's provenance)."""
DATA_SUFFIXES = (".csv", ".tab", ".tsv", ".zip", ".gz", ".jsonl", ".ndjson", ".json", ".yaml", ".yml")
ZIP_MAGIC, GZIP_MAGIC = b"PK\x03\x04", b"\x1f\x8b"


@dataclass(frozen=True)
class DataInput:
    label: str
    """How the report names it: the path given, `archive.zip:member`, or `-`."""
    path: Path | None
    """The file to read; None when the input cannot be read at all (see `problem`)."""
    problem: str = ""
    """Why the input cannot be read (it is reported as a failed file; the others are still read)."""
    skipped: str = ""
    """Why the input is not data and is passed over (said in the report; not a failure)."""


def is_data_file(name: str) -> bool:
    base = Path(name).name
    return not base.startswith(".") and base.lower().endswith(DATA_SUFFIXES)


@contextmanager
def data_inputs(arguments: Sequence[str], stdin: BinaryIO) -> Iterator[Iterator[DataInput]]:
    """The data files the arguments name, one at a time; temporary copies are removed at the end."""
    workspace = Path(tempfile.mkdtemp(prefix="detente-import-"))
    try:
        yield _expand(arguments, stdin, workspace)
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def _expand(arguments: Sequence[str], stdin: BinaryIO, workspace: Path) -> Iterator[DataInput]:
    for argument in arguments:
        if argument == STDIN:
            yield DataInput(STDIN, _copy_stdin(stdin, workspace))
            continue
        path = Path(argument)
        if path.is_dir():
            yield from _folder(path, workspace)
        else:
            yield from _file(path, str(path), workspace)


def _folder(folder: Path, workspace: Path) -> Iterator[DataInput]:
    entries = sorted(entry for entry in folder.iterdir() if entry.is_file())
    data = [entry for entry in entries if is_data_file(entry.name)]
    if not data:
        yield DataInput(str(folder), None, f"{folder} holds no data file (names ending {', '.join(DATA_SUFFIXES)}).")
    for entry in data:
        yield from _file(entry, str(entry), workspace)


def _file(path: Path, label: str, workspace: Path) -> Iterator[DataInput]:
    if path.suffix.lower() != ".zip" or not zipfile.is_zipfile(path):
        yield DataInput(label, path)
        return
    with zipfile.ZipFile(path) as archive:
        members = [info for info in archive.infolist() if not info.is_dir() and not is_archive_clutter(info.filename)]
        if len(members) <= 1:
            yield DataInput(label, path)
            return
        for info in members:
            name = f"{label}:{info.filename}"
            if not is_data_file(info.filename):
                yield DataInput(name, None, skipped=f"not a data file (names end {', '.join(DATA_SUFFIXES)})")
                continue
            try:
                yield DataInput(name, _unpack(archive, info, workspace))
            except UnreadableFile as error:
                yield DataInput(name, None, str(error))


def _unpack(archive: zipfile.ZipFile, info: zipfile.ZipInfo, workspace: Path) -> Path:
    """One member as a plain file named as in the archive (so its provenance names the data file)."""
    folder = Path(tempfile.mkdtemp(dir=workspace))
    target = folder / Path(info.filename).name
    try:
        with archive.open(info) as member, target.open("wb") as copy:
            shutil.copyfileobj(member, copy)
    except (zipfile.BadZipFile, OSError, EOFError) as error:
        raise UnreadableFile(f"{info.filename} in {archive.filename} cannot be unpacked ({error}).") from None
    return target


def _copy_stdin(stdin: BinaryIO, workspace: Path) -> Path:
    """Standard input as a file; named stdin.zip or stdin.gz when that is what the pipe carries."""
    head = stdin.read(4)
    suffix = ".zip" if head.startswith(ZIP_MAGIC) else ".gz" if head.startswith(GZIP_MAGIC) else ""
    target = workspace / f"{STDIN_NAME}{suffix}"
    with target.open("wb") as copy:
        copy.write(head)
        shutil.copyfileobj(stdin, copy)
    return target


def first_text_line(path: Path) -> str:
    """The first non-blank line of a plain file, to recognise JSON Lines on a pipe."""
    with path.open("rb") as binary:
        for raw in binary:
            text = raw.decode("utf-8-sig", errors="replace").strip()
            if text:
                return text
    return ""
