"""Opening a dataset file as a stream of raw lines (bytes), whether plain, gzipped or inside a .zip archive.

GDELT publishes its 15-minute exports zipped (`20191024143000.export.CSV.zip`) and ICEWS files often come
zipped from Dataverse; both hold a single member, which is streamed without unpacking it to disk. An
archive of several data files is refused here, naming them; `detente import` reads each of them
(`inputs.data_inputs`). A `.gz` file is streamed the same way.
"""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from detente.interchange.formats import UnreadableFile


@contextmanager
def open_lines(path: Path) -> Iterator[Iterable[bytes]]:
    """The file's lines as bytes; a .zip archive's single (or first data) member."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as archive, archive.open(_member(archive, path)) as member:
                yield member
        elif path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as member:
                yield _gunzipped(member, path)
        else:
            with path.open("rb") as binary:
                yield binary
    except FileNotFoundError:
        raise UnreadableFile(f"No such file: {path}") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path} is a folder; name a file.") from None
    except zipfile.BadZipFile:
        raise UnreadableFile(f"{path.name} is not a readable .zip archive: download it again.") from None


def _member(archive: zipfile.ZipFile, path: Path) -> str:
    names = [
        name for name in archive.namelist()
        if not name.endswith("/") and not name.startswith("__MACOSX/") and not Path(name).name.startswith(".")
    ]  # fmt: skip
    if not names:
        raise UnreadableFile(f"{path.name} is an empty archive.")
    if len(names) > 1:
        raise UnreadableFile(
            f"{path.name} holds {len(names)} files ({', '.join(names)}): import it with `detente import`, "
            "which reads each of them, or unpack it and import the files."
        )
    return names[0]


def _gunzipped(member: gzip.GzipFile, path: Path) -> Iterator[bytes]:
    """The lines of a .gz file; a damaged one is a clear error rather than a traceback."""
    try:
        yield from member
    except (gzip.BadGzipFile, EOFError, OSError) as error:
        raise UnreadableFile(f"{path.name} is not a readable .gz file ({error}): download it again.") from None


def first_line(path: Path) -> bytes:
    """The first line of the file (of its member, for a .zip), for sniffing its format."""
    with open_lines(path) as lines:
        for line in lines:
            return line
    return b""
