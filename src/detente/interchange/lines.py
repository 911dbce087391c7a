"""A source's lines, numbered, in bounded memory: over-long lines are reported and skipped unread.

`numbered_lines` yields `(line number, line)` with the line's break kept (CSV needs it inside quotes), or
`(line number, DetenteError)` for a line longer than `MAX_RECORD_BYTES`, blank or not (skipped as it
streams past, never held whole), and for a read that failed part-way (the last item). Blank lines are left out unless asked
for; a chunk that holds only blank lines or padding is counted and dropped at once, at I/O speed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import itemgetter

from detente.domain.errors import DetenteError

from .limits import MAX_RECORD_BYTES
from .source import ReadInterrupted, Source

Line = tuple[int, "bytes | DetenteError"]
_not_empty = itemgetter(1)  # of (number, line): empty lines are left out in C, at I/O speed


def too_long(limit: int = MAX_RECORD_BYTES) -> DetenteError:
    return DetenteError(
        f"longer than {limit // 1024} KiB, the most a line may hold: split the record, or is the file not "
        "in this format? (the line was skipped)"
    )


def numbered_lines(
    source: Source, *, keep_blank: Callable[[], bool] | None = None, limit: int = MAX_RECORD_BYTES
) -> Iterator[Line]:
    """The source's lines from `source.first_line` on; see the module docstring.

    With `keep_blank`, every line is yielded, blank or not, except that a chunk of only blank lines is
    still dropped whole when `keep_blank()` is false as it starts (CSV: outside a quoted field)."""
    number = source.first_line - 1  # the last line read to its end
    tail = b""  # the start of the line being read
    skipping = False  # inside a line too long to keep: drop everything up to its end
    try:
        for chunk in source.chunks():
            if skipping:
                end = chunk.find(b"\n")
                if end < 0:
                    continue
                number, skipping, chunk = number + 1, False, chunk[end + 1 :]
            only_blank = len(chunk) <= limit and chunk.isspace() and (not tail or tail.isspace())
            if only_blank and not (keep_blank and keep_blank()):
                # count the lines, check the one that may be too long (it began before), keep nothing
                first_break = chunk.find(b"\n")
                if first_break < 0:
                    tail += chunk
                else:
                    if len(tail) + first_break > limit:
                        yield number + 1, too_long(limit)
                    number += chunk.count(b"\n")
                    tail = chunk[chunk.rfind(b"\n") + 1 :]
                if len(tail) > limit:
                    yield number + 1, too_long(limit)
                    tail, skipping = b"", True
                continue
            lines = (tail + chunk).split(b"\n")
            tail = lines.pop()
            numbered = enumerate(lines, start=number + 1)
            for index, line in numbered if keep_blank else filter(_not_empty, numbered):
                if len(line) > limit:
                    yield index, too_long(limit)
                elif keep_blank or not line.isspace():
                    yield index, line + b"\n"
            number += len(lines)
            if len(tail) > limit:
                yield number + 1, too_long(limit)
                tail, skipping = b"", True
    except ReadInterrupted as error:
        yield number + 1, error
        return
    if tail and (keep_blank or not tail.isspace()):
        yield number + 1, tail
