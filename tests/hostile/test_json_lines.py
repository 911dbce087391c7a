"""JSON Lines that JSON allows but a record cannot hold: each is its own line's error, the rest is stored."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.domain.errors import DetenteError
from detente.interchange.formats import read_file
from detente.interchange.limits import MAX_NESTING

from .conftest import Imported, good_line, good_record

HOSTILE_LINES = {
    "nested 100,000 deep": "[" * 100_000 + "]" * 100_000,
    "a field nested past the cap": '{"id": "x", "sources": ' + "[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1) + "}",
    "a lone surrogate escape": '{"id": "s\\ud800", "type": "visit-held", "date": "2020", "actor": "FRA", "target": "DEU"}',
    "a 5,000-digit integer": '{"id": "b", "n": ' + "9" * 5000 + "}",
    "NaN": '{"id": "n", "type": "visit-held", "date": "2020", "actor": "FRA", "target": "DEU", "x": NaN}',
    "Infinity": '{"id": "i", "x": -Infinity}',
    "a float that overflows": '{"id": "f", "x": 1e999}',
    "not an object": "[1, 2, 3]",
    "truncated": '{"id": "t", "type": "visit-h',
}


def written(folder: Path, lines: list[str], name: str = "hostile.jsonl") -> Path:
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("hostile", HOSTILE_LINES.values(), ids=HOSTILE_LINES.keys())
def test_a_hostile_json_line_is_rejected_by_number_and_the_good_lines_are_stored(
    hostile: str, tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    imported = importing(written(tmp_path, [good_line(1), hostile, good_line(2)]))
    imported.assert_failed_cleanly()
    assert imported.rejected_lines() == [2]
    assert imported.stored == {"good-1", "good-2"}


def test_a_pair_of_surrogate_escapes_is_one_character_and_is_accepted(
    tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    record = good_record(1) | {"summary": "a smile \\ud83d\\ude00"}
    line = json.dumps(record).replace("\\\\", "\\")
    imported = importing(written(tmp_path, [line]))
    assert imported.exit_code == 0, imported.output
    assert imported.stored == {"good-1"}


def test_nesting_within_the_cap_is_read(tmp_path: Path) -> None:
    nested = "[" * (MAX_NESTING - 1) + "]" * (MAX_NESTING - 1)
    path = written(tmp_path, ['{"id": "deep", "x": ' + nested + "}"])
    [(number, value)] = list(read_file(path, "jsonl"))
    assert number == 1 and isinstance(value, dict) and value["id"] == "deep"


HOSTILE = st.one_of(
    st.sampled_from(sorted(HOSTILE_LINES.values())),
    st.binary(max_size=60).map(lambda raw: raw.replace(b"\n", b" ").decode("latin-1")),
    st.integers(min_value=MAX_NESTING + 1, max_value=5_000).map(
        lambda depth: "{" + '"a":{' * depth + "}" * (depth + 1)
    ),
    st.integers(min_value=0xD800, max_value=0xDFFF).map(lambda code: '{"id": "\\u%04x"}' % code),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(st.one_of(st.integers(min_value=1, max_value=28), HOSTILE), max_size=12))
def test_whatever_lines_a_file_holds_each_is_read_or_rejected_alone(lines: list[int | str], tmp_path: Path) -> None:
    """The reader never raises; each good line comes out whole, every other non-blank line is its own error."""
    text = [good_line(line) if isinstance(line, int) else line for line in lines]
    path = written(tmp_path, text, "generated.jsonl")
    read = dict(read_file(path, "jsonl"))
    for number, line in enumerate(lines, start=1):
        if isinstance(line, int):
            assert read[number] == good_record(line)
        elif line.strip() and not _is_readable_object(line):
            assert isinstance(read[number], DetenteError), (line, read.get(number))
    assert set(read) <= set(range(1, len(lines) + 1))


def _is_readable_object(line: str) -> bool:
    """A generated line that happens to be a plain JSON object of text (random bytes can be `{}`)."""
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(value, dict) and all(isinstance(item, str) and item.isprintable() for item in value.values())
