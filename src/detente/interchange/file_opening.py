"""Opening a path to import, once: a regular file, a `.zip` archive's one data member, a `.gz` file, a pipe
or named pipe (FIFO), or a terminal, as a `Source` (`interchange/source.py`).

Opening once matters for a pipe (`cat FILE | detente import /dev/stdin`): a second open would find it
drained. A named pipe that no program writes to is refused at once rather than waited on; a device such as
`/dev/zero` is refused (it never ends). Every failure is an `UnreadableFile` that says what to do.
"""

from __future__ import annotations

import fcntl
import gzip
import os
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

from .limits import CHUNK_BYTES
from .source import Source, UnreadableFile


def opened_source(path: str | Path) -> Source:
    """Open `path` once for reading, as described in the module docstring; the caller closes it."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise UnreadableFile(f"No such file: {path}") from None
    except OSError as error:
        raise UnreadableFile(f"Cannot open {path}: {error.strerror}.") from None
    with ExitStack() as closing:
        if stat.S_ISDIR(mode):
            raise UnreadableFile(f"{path} is a folder; name a file.")
        if stat.S_ISREG(mode) and path.suffix.lower() == ".zip":
            member, stream = closing.enter_context(_zip_member(path))
            source = Source(f"{path.name}:{member}", stream, closing=closing.pop_all())
        elif stat.S_ISREG(mode) and path.suffix.lower() == ".gz":
            source = Source(path.name, closing.enter_context(_gunzipped(path)), closing=closing.pop_all())
        elif stat.S_ISREG(mode) or (stat.S_ISCHR(mode) and _is_terminal(path)):
            source = Source(path.name, closing.enter_context(_opened(path)), closing=closing.pop_all())
        elif stat.S_ISFIFO(mode):
            stream, head = closing.enter_context(_pipe(path))
            source = Source(path.name, stream, head, closing=closing.pop_all())
        else:
            raise UnreadableFile(
                f"{path} is a device or socket, not a file: import a file, or pipe the data in "
                "(`... | detente import /dev/stdin --format FORMAT`)."
            )
    return source


@contextmanager
def open_source(path: str | Path) -> Iterator[Source]:
    """`opened_source(path)`, closed when the block ends."""
    source = opened_source(path)
    try:
        yield source
    finally:
        source.close()


@contextmanager
def _opened(path: Path) -> Iterator[BinaryIO]:
    try:
        stream = path.open("rb")
    except OSError as error:
        raise UnreadableFile(f"Cannot open {path}: {error.strerror}.") from None
    with stream:
        yield stream


@contextmanager
def _pipe(path: Path) -> Iterator[tuple[BinaryIO, bytes]]:
    """A named pipe, opened without waiting for a writer; refused if none is there and nothing is left in it."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise UnreadableFile(f"Cannot open {path}: {error.strerror}.") from None
    with os.fdopen(descriptor, "rb", buffering=0) as stream:
        try:
            head = os.read(descriptor, CHUNK_BYTES)
        except BlockingIOError:
            head = None  # a writer is there, with nothing written yet
        if head == b"":
            raise UnreadableFile(
                f"{path} is a pipe that no program is writing to (or that holds nothing): start the program "
                "that writes to it first, or import a file."
            )
        fcntl.fcntl(descriptor, fcntl.F_SETFL, fcntl.fcntl(descriptor, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        yield stream, head or b""  # type: ignore[misc]


def _is_terminal(path: Path) -> bool:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except OSError:
        return False
    try:
        return os.isatty(descriptor)
    finally:
        os.close(descriptor)


def is_archive_clutter(name: str) -> bool:
    """What archivers add beside the data: macOS resource forks and hidden files."""
    return name.startswith("__MACOSX/") or Path(name).name.startswith(".")


@contextmanager
def _gunzipped(path: Path) -> Iterator[BinaryIO]:
    """A .gz file, decompressed as it is read (a damaged one stops the read with ReadInterrupted)."""
    try:
        stream = gzip.open(path, "rb")
    except OSError as error:
        raise UnreadableFile(f"Cannot open {path}: {error.strerror}.") from None
    with stream:
        yield stream  # type: ignore[misc]


@contextmanager
def _zip_member(path: Path) -> Iterator[tuple[str, BinaryIO]]:
    """A .zip archive's single member, streamed without unpacking it to disk (an archive of several is
    refused, naming them, rather than read in part)."""
    with ExitStack() as stack:
        try:
            archive = stack.enter_context(zipfile.ZipFile(path))
            names = [info.filename for info in archive.infolist() if not info.is_dir() and not is_archive_clutter(info.filename)]
            if not names:
                raise UnreadableFile(f"{path.name} is an empty archive.")
            if len(names) > 1:
                listed = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
                raise UnreadableFile(
                    f"{path.name} holds {len(names)} files ({listed}): import it with `detente import`, which "
                    "reads each of them, or unzip it and import the files, so that none is left out unnoticed."
                )
            member = stack.enter_context(archive.open(names[0]))
        except NotImplementedError:
            raise UnreadableFile(
                f"{path.name}: {names[0]} is compressed with a method Python cannot read (such as deflate64): "
                "unzip it with another tool and import the unpacked file."
            ) from None
        except RuntimeError:
            raise UnreadableFile(
                f"{path.name}: {names[0]} is encrypted: unzip it with its password and import the unpacked file."
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError):
            raise UnreadableFile(f"{path.name} is not a readable .zip archive: download it again.") from None
        except OSError as error:
            raise UnreadableFile(f"Cannot open {path}: {error.strerror}.") from None
        yield names[0], member  # type: ignore[misc]
