"""The README's quickstart and CI run the same test command, so they cannot drift apart."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEST_COMMAND = "pip install '.[test]' && pytest"


def test_the_readme_quickstart_and_ci_run_the_same_test_command() -> None:
    readme, ci = ROOT / "README.md", ROOT / ".ci" / "run"
    if not (readme.exists() and ci.exists()):
        pytest.skip("run from a checkout: README.md and .ci/run are not installed with the package")
    assert TEST_COMMAND in readme.read_text(encoding="utf-8")
    last_command = [line for line in ci.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")][-1]
    assert last_command == TEST_COMMAND
