"""The law of an append-only store: whatever a file holds, what `import` accepts every reader can read back,
and `export` of it imports into a fresh store unchanged."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detente.cli.main import cli
from tests.strategies import histories

HOSTILE_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["", "\x00", "\ud800", "x" * 300, "2024-00-10", "2024-01-00", "9999-12-31", "999", "NaN", "rumoured"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([float("nan"), float("inf"), -0.0, 1e308, 10**400]),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.none(),
    st.booleans(),
)
FIELDS = ["id", "type", "date", "actor", "target", "refers_to", "status", "claimed_by", "incident", "summary",
          "sources", "code", "changes", "planned", "provenance", "scope", "kind", "items"]  # fmt: skip
READERS = [["status", "RUS", "PRK"], ["events", "RUS", "PRK"], ["explain", "RUS", "PRK"], ["replay", "RUS", "PRK"],
           ["diff", "RUS", "PRK", "--from", "2021-01-01", "--to", "2024-12-31"], ["pairs"],
           ["timeline", "RUS", "PRK", "--from", "2020", "--to", "2024-12", "--every", "quarter"]]  # fmt: skip


@st.composite
def hostile_files(draw: st.DrawFn) -> list[str]:
    """Lines of a JSON Lines file: valid histories with some fields spoiled, and some lines not records at all."""
    records: list[dict[str, Any]] = draw(histories(max_size=10))
    lines = []
    for record in records:
        for _ in range(draw(st.integers(0, 2))):
            record[draw(st.sampled_from(FIELDS))] = draw(HOSTILE_VALUES)
        try:
            lines.append(json.dumps(record, allow_nan=True))
        except ValueError:  # an integer json will not write out: a line of digits stands in for it
            lines.append('{"id": 1' + "0" * 5000 + "}")
    for _ in range(draw(st.integers(0, 2))):
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(["[]", "{", "null", '"x"', "{}", '{"id": "\\ud800"}'])))
    return lines


def run(db: Path, *args: Any) -> Any:
    return CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=hostile_files())
def test_whatever_a_file_holds_what_is_stored_reads_back_and_exports_unchanged(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        source = here / "hostile.jsonl"
        source.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        imported = run(here / "a.db", "import", source)
        assert imported.exit_code in (0, 1), imported.output
        assert "This is a bug" not in imported.output and "Traceback" not in imported.output
        for command in READERS:
            result = run(here / "a.db", *command)
            assert result.exit_code == 0, (command, result.output)
        exported = run(here / "a.db", "export", "--format", "jsonl")
        assert exported.exit_code == 0, exported.output
        (here / "export.jsonl").write_text(exported.stdout, encoding="utf-8")
        again = run(here / "b.db", "import", "--strict", here / "export.jsonl")
        assert again.exit_code == 0, again.output
        assert run(here / "b.db", "export", "--format", "jsonl").stdout == exported.stdout
