"""A file to import, opened once and read in bounded chunks, whose start can be looked at without losing it.

Opening once matters for a pipe (`cat FILE | detente import /dev/stdin`): a second open would find it
drained. What can be opened: a regular file (a `.zip` archive's one data member, or a `.gz` file, is read in its place), a pipe
or named pipe (FIFO), a terminal. A named pipe that no program writes to is refused at once rather than
waited on; a device such as `/dev/zero` is refused (it never ends). Every failure is an `UnreadableFile`
that says what to do; one that happens after some lines were read is a `ReadInterrupted`.
"""

from __future__ import annotations

import codecs
import fcntl
import gzip
import os
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import BinaryIO

from detente.domain.errors import DetenteError

from .limits import CHUNK_BYTES, MAX_RECORD_BYTES

SNIFF_LINES = 8
"""How many non-blank lines a format is recognised from."""


class UnreadableFile(DetenteError):
    pass


class ReadInterrupted(UnreadableFile):
    """The file could be read up to some point and not past it (a corrupt archive, an I/O error)."""


class Source:
    """The bytes of one opened file, as chunks of at most `CHUNK_BYTES`; `head_lines()` looks ahead."""

    def __init__(self, name: str, stream: BinaryIO, head: bytes = b"", closing: ExitStack | None = None) -> None:
        self.name = name
        self._closing = closing or ExitStack()
        self.first_line = 1
        """The number of the first line still to be read (blank lines before the first data are dropped)."""
        self._stream = stream
        self._head = b""
        self._unread = head  # read from the stream already (a pipe's first bytes), not yet looked at
        self._started = False
        self._ended = False

    def close(self) -> None:
        """Close the file (and its archive); readers given a source close it when they have read it."""
        self._closing.close()

    def head_lines(self, count: int = SNIFF_LINES) -> list[bytes]:
        """The first `count` non-blank lines (fewer at the end of the file or after 1 MiB), without their
        line breaks; they are read again by `chunks()`."""
        while not self._ended and len(self._head) <= MAX_RECORD_BYTES:
            if len(_non_blank_lines(self._head, count)) >= count:
                break
            chunk = self._read()
            if not chunk:
                self._ended = True
            elif self._head.isspace() or not self._head:
                self._keep_after_blank_lines(self._head + chunk)
            else:
                self._head += chunk
        # a line not read to its end is no evidence of the format, unless the file ends there
        return _non_blank_lines(self._head + b"\n" if self._ended else self._head, count)

    def chunks(self) -> Iterator[bytes]:
        """The file's bytes from `first_line` on, in chunks; a failure to read raises ReadInterrupted."""
        head, self._head = self._head, b""
        if head:
            yield head
        while not self._ended:
            chunk = self._read()
            if not chunk:
                self._ended = True
                return
            yield chunk

    def _keep_after_blank_lines(self, data: bytes) -> None:
        """Drop the blank lines at the start of the file, counting them, so that padding costs no memory."""
        if not data.isspace():
            self._head = data
            return
        cut = data.rfind(b"\n") + 1
        self.first_line += data.count(b"\n", 0, cut)
        self._head = data[cut:]

    def _read(self) -> bytes:
        chunk = self._read_raw()
        if not self._started:
            self._started = True
            while chunk and len(chunk) < len(codecs.BOM_UTF8) and codecs.BOM_UTF8.startswith(chunk):
                more = self._read_raw()  # a pipe may hand over the mark in pieces
                if not more:
                    break
                chunk += more
            if chunk.startswith(codecs.BOM_UTF8):
                chunk = chunk[len(codecs.BOM_UTF8) :] or self._read_raw()
        return chunk

    def _read_raw(self) -> bytes:
        if self._unread:
            unread, self._unread = self._unread, b""
            return unread
        try:
            return self._stream.read(CHUNK_BYTES) or b""
        except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as error:
            raise ReadInterrupted(
                f"{self.name} cannot be read past this point ({error}): if it is an archive or a download, "
                "fetch it again; the lines before were read."
            ) from None


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


_BLANK_LINES = re.compile(rb"(?:[ \t\r\f\v]*\n)+")


def _non_blank_lines(data: bytes, count: int) -> list[bytes]:
    """The first `count` non-blank lines of `data` that end in a line break, without it (nor a \\r)."""
    lines: list[bytes] = []
    start = 0
    while len(lines) < count:
        blank = _BLANK_LINES.match(data, start)
        start = blank.end() if blank else start
        end = data.find(b"\n", start)
        if end < 0:
            break
        line, start = data[start:end].rstrip(b"\r"), end + 1
        if line.strip():
            lines.append(line)
    return lines


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
