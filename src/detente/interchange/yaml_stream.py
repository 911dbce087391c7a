"""A source served to the YAML parser as whole lines, each checked before the parser sees it.

YAML cannot skip a bad line the way JSON Lines can: the parser would read on in the middle of a
structure. So the lines are checked first (at most `MAX_RECORD_BYTES` a line, and about as much an item;
UTF-8), and the stream ends before the first line that fails, with `failure` saying where and why.
"""

from __future__ import annotations

from detente.domain.errors import DetenteError

from .limits import MAX_RECORD_BYTES
from .source import ReadInterrupted, Source

_PIECE = 64 * 1024
"""How much is checked at a time: an item is measured to within this much."""


class CheckedLines:
    """The source as a file for the parser, served in whole lines, each checked before the parser sees it.

    A line too long, an item too long, bytes that are not UTF-8 or a failed read end the stream before
    the line where they are; `failure` says where and why."""

    def __init__(self, source: Source) -> None:
        self.chunks = source.chunks()
        self.chunk: bytes | None = b""
        self.offset = 0
        self.pending = b""  # the start of a line not yet read to its end
        self.ready = b""  # checked whole lines, not yet handed to the parser
        self.line = source.first_line  # the number of the next line to check
        self.served = 0  # bytes handed to the parser
        self.item_start = (0, 0)  # (line, bytes served) where the current item began
        self.failure: tuple[int, DetenteError] | None = None
        self.ended = False

    def read(self, size: int) -> bytes:
        while not self.ready and not self.failure and not self.ended:
            self._check_more()
        piece, self.ready = self.ready[:size], self.ready[size:]
        self.served += len(piece)
        return piece

    def _next_piece(self) -> bytes | None:
        """The next at most `_PIECE` bytes of the source, None at its end."""
        if self.chunk is None:
            return None
        if self.offset >= len(self.chunk):
            self.chunk, self.offset = next(self.chunks, None), 0
            if self.chunk is None:
                return None
        piece = self.chunk[self.offset : self.offset + _PIECE]
        self.offset += _PIECE
        return piece

    def _check_more(self) -> None:
        try:
            chunk = self._next_piece()
        except ReadInterrupted as error:
            self.failure = (self.line, error)
            return
        if chunk is None:
            self.ended, lines, self.pending = True, self.pending, b""
        else:
            data = self.pending + chunk
            cut = data.rfind(b"\n") + 1
            lines, self.pending = data[:cut], data[cut:]
        self._serve(lines)
        if not self.failure and len(self.pending) > MAX_RECORD_BYTES:
            self._fail(self.line, f"line {self.line} is longer than {MAX_RECORD_BYTES // 1024} KiB")

    def _serve(self, lines: bytes) -> None:
        """Hand over the lines up to the first that fails a check; note the failure."""
        failing: tuple[int, str] | None = None
        lengths = [len(line) for line in lines.split(b"\n")]
        if max(lengths) > MAX_RECORD_BYTES:
            index = next(index for index, length in enumerate(lengths) if length > MAX_RECORD_BYTES)
            failing = (index, f"line {self.line + index} is longer than {MAX_RECORD_BYTES // 1024} KiB")
        try:
            lines.decode("utf-8")
        except UnicodeDecodeError as error:
            index = lines.count(b"\n", 0, error.start)
            if failing is None or index < failing[0]:
                failing = (index, "not UTF-8: re-save the file as UTF-8")
        if (
            failing is None
            and self.served + len(self.ready) + len(lines) - self.item_start[1] > MAX_RECORD_BYTES + _PIECE
        ):
            failing = (0, f"the item at line {self.item_start[0]} is longer than {MAX_RECORD_BYTES // 1024} KiB")
        if failing is not None:
            index, message = failing
            lines = b"\n".join(lines.split(b"\n")[:index]) + b"\n" if index else b""
        self.ready += lines
        self.line += lines.count(b"\n")
        if failing is not None:
            self._fail(self.line, message)

    def _fail(self, line: int, message: str) -> None:
        self.failure = (line, DetenteError(f"{message}: nothing from this line on was read; fix it and import again"))
