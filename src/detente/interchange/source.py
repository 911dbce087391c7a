"""A file to import, opened once, read in bounded chunks, whose start can be looked at without losing it.

`interchange/file_opening.py` opens a path (a file, an archive's member, a pipe) as a `Source`; the readers
read its chunks. Every failure is an `UnreadableFile` that says what to do; one that happens after some
lines were read is a `ReadInterrupted`.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
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
