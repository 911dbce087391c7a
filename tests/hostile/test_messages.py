"""A rejected value is echoed clipped: a huge bad value never fills the terminal (or the memory)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from detente.interchange.limits import ECHOED_CHARACTERS, MESSAGE_CHARACTERS, clipped, clipped_message

from .conftest import Imported, good_line, good_record

HUGE = "x" * 900_000


def test_a_long_value_is_echoed_as_its_start_and_an_ellipsis() -> None:
    assert clipped("short") == "'short'"
    assert clipped(HUGE) == "'" + "x" * ECHOED_CHARACTERS + "…'"


def test_a_long_message_keeps_its_start_and_its_advice() -> None:
    message = clipped_message("Unknown type " + HUGE + ": use one of visit-held, ...")
    assert len(message) < MESSAGE_CHARACTERS + 60
    assert message.startswith("Unknown type xxx") and message.endswith(": use one of visit-held, ...")


@pytest.mark.parametrize(
    "name, text, line",
    [
        ("huge-type.jsonl", good_line(1) + "\n" + json.dumps(good_record(2) | {"type": HUGE}) + "\n", 2),
        ("huge-actor.jsonl", good_line(1) + "\n" + json.dumps(good_record(2) | {"actor": HUGE}) + "\n", 2),
        (
            "huge-date.csv",
            "id,type,date,actor,target\ngood-1,visit-held,2020-01-01,FRA,DEU\nbad,visit-held,"
            + "9" * 100_000
            + ",FRA,DEU\n",
            3,
        ),
    ],
)
def test_a_huge_bad_value_is_reported_in_a_few_hundred_characters(
    name: str, text: str, line: int, tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert imported.rejected_lines() == [line] and imported.stored == {"good-1"}
    assert len(imported.output) < 3 * MESSAGE_CHARACTERS


def test_a_huge_bad_gdelt_cell_is_reported_clipped(tmp_path: Path, importing: Callable[..., Imported]) -> None:
    excerpt = Path(__file__).resolve().parents[1] / "fixtures" / "gdelt" / "20191024143000.excerpt.export.CSV"
    lines = excerpt.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(number for number, line in enumerate(lines) if "\tNOR\t" in line and "\tRUS\t" in line)
    fields = lines[number].split("\t")
    fields[26] = "0" * 500_000  # EventCode
    lines[number] = "\t".join(fields)
    path = tmp_path / "20191024143000.export.CSV"
    path.write_text("".join(lines), encoding="utf-8")
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert imported.rejected_lines() == [number + 1] and "…" in imported.output
    assert len(imported.output) < 3 * MESSAGE_CHARACTERS


def test_a_file_of_many_bad_lines_is_counted_whole_but_only_the_first_messages_are_kept(
    tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    from detente.interchange.formats import read_file
    from detente.interchange.limits import KEPT_REJECTIONS
    from detente.service import Detente

    path = tmp_path / "garbage.jsonl"
    path.write_text(good_line(1) + "\n" + "not json\n" * (KEPT_REJECTIONS + 2_000), encoding="utf-8")
    with Detente(f"sqlite:///{tmp_path / 'direct.db'}") as store:
        outcome = store.import_lines(read_file(path, "jsonl"))
    assert len(outcome.rejected) == KEPT_REJECTIONS and outcome.rejected_count == KEPT_REJECTIONS + 2_000
    assert outcome.read == KEPT_REJECTIONS + 2_001
    imported = importing(path)
    imported.assert_failed_cleanly()
    assert f"rejected {KEPT_REJECTIONS + 2_000}." in imported.output and imported.stored == {"good-1"}
