"""On SQLite and PostgreSQL alike: a file mixing good records with every hostile kind stores exactly the
good ones (or, with strict, nothing), and what it stored exports and reads back."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from detente.interchange.formats import read_file
from detente.service import Detente

from .conftest import Imported, good_line
from .test_json_lines import HOSTILE_LINES
from .test_yaml import GOOD_1, GOOD_2, HOSTILE_ITEMS


def mixed_jsonl(folder: Path) -> Path:
    lines = [good_line(1), *HOSTILE_LINES.values(), good_line(2), "x" * (2 << 20), good_line(3)]
    path = folder / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_mixed_jsonl_file_stores_only_its_good_records(store: Detente, tmp_path: Path) -> None:
    outcome = store.import_lines(read_file(mixed_jsonl(tmp_path), "jsonl"))
    assert outcome.added == 3 and outcome.rejected_count == len(HOSTILE_LINES) + 1
    assert sorted(row["id"] for row in store.export_rows()) == ["good-1", "good-2", "good-3"]


def test_a_mixed_yaml_file_stores_only_its_good_items(store: Detente, tmp_path: Path) -> None:
    path = tmp_path / "mixed.yaml"
    path.write_text("\n".join([GOOD_1, *HOSTILE_ITEMS.values(), GOOD_2]) + "\n", encoding="utf-8")
    outcome = store.import_lines(read_file(path, "yaml"))
    assert outcome.added == 2 and outcome.rejected_count == len(HOSTILE_ITEMS)
    assert sorted(row["id"] for row in store.export_rows()) == ["good-1", "good-2"]


def test_a_mixed_file_with_strict_stores_nothing(store: Detente, tmp_path: Path) -> None:
    outcome = store.import_lines(read_file(mixed_jsonl(tmp_path), "jsonl"), strict=True)
    assert not outcome.committed and list(store.export_rows()) == []


def test_strict_through_the_command_reports_every_hostile_line_and_stores_nothing(
    tmp_path: Path, importing: Callable[..., Imported]
) -> None:
    imported = importing(mixed_jsonl(tmp_path), "--strict")
    imported.assert_failed_cleanly()
    assert imported.rejected_lines() == [*range(2, 2 + len(HOSTILE_LINES)), 3 + len(HOSTILE_LINES)]
    assert "nothing was stored" in imported.output and imported.stored == set()
