"""The chunked line reader gives exactly the lines a plain split gives, wherever the chunks break."""

from __future__ import annotations

import codecs
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from detente.domain.errors import DetenteError
from detente.interchange.lines import numbered_lines
from detente.interchange.source import Source

LIMIT = 8


class Pieces(io.RawIOBase):
    """A stream that answers each read with the next of the given pieces, whatever size is asked."""

    def __init__(self, pieces: list[bytes]) -> None:
        self.pieces = list(pieces)

    def read(self, size: int = -1) -> bytes:
        return self.pieces.pop(0) if self.pieces else b""


def expected_lines(data: bytes, limit: int = LIMIT) -> list[tuple[int, bytes | None]]:
    """What the reader should give: non-blank lines with their break, None for a line over the limit."""
    data = data.removeprefix(codecs.BOM_UTF8)
    *complete, last = data.split(b"\n")
    lines = [line + b"\n" for line in complete] + ([last] if last else [])
    return [
        (number, None if len(line.rstrip(b"\n")) > limit else line)
        for number, line in enumerate(lines, start=1)
        if len(line.rstrip(b"\n")) > limit or line.strip()
    ]


def cut(data: bytes, points: list[int]) -> list[bytes]:
    edges = sorted({0, len(data), *(point % (len(data) + 1) for point in points)})
    return [data[start:end] for start, end in zip(edges, edges[1:])]


LINE_BYTES = st.sampled_from([b"a", b"{", b" ", b"\t", b"\r", b"\n", b"\n", b"\xef\xbb\xbf", b"\x00"])


@settings(max_examples=400, deadline=None)
@given(data=st.lists(LINE_BYTES, max_size=60).map(b"".join), points=st.lists(st.integers(min_value=0), max_size=12))
def test_chunks_broken_anywhere_give_the_lines_of_a_plain_split(data: bytes, points: list[int]) -> None:
    source = Source("generated", Pieces(cut(data, points)))  # type: ignore[arg-type]
    read = [
        (number, None if isinstance(line, DetenteError) else line)
        for number, line in numbered_lines(source, limit=LIMIT)
    ]
    assert read == expected_lines(data)


@settings(max_examples=200, deadline=None)
@given(data=st.lists(LINE_BYTES, max_size=60).map(b"".join), points=st.lists(st.integers(min_value=0), max_size=12))
def test_looking_at_the_first_lines_loses_none_of_them(data: bytes, points: list[int]) -> None:
    plain = list(numbered_lines(Source("plain", Pieces(cut(data, points)))))  # type: ignore[arg-type]
    sniffed = Source("sniffed", Pieces(cut(data, points)))  # type: ignore[arg-type]
    sniffed.head_lines(count=2)
    assert list(numbered_lines(sniffed)) == plain
