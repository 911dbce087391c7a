"""The installed `detente` console script, run as an analyst runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from detente import __version__

from .conftest import PAIRS_FILE


def detente_script() -> str:
    script = Path(sys.executable).with_name("detente")
    found = str(script) if script.exists() else shutil.which("detente")
    if not found:
        pytest.skip("the detente console script is not installed in this environment")
    return found


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([detente_script(), *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, timeout=120)


def test_the_installed_script_reports_its_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"detente, version {__version__}"


def test_the_installed_script_imports_and_answers_on_a_temporary_store(tmp_path: Path) -> None:
    db = str(tmp_path / "entry.db")
    assert run("--db", db, "import", str(PAIRS_FILE)).returncode == 0
    result = run("status", "RUS", "PRK", "--as-of", "2024-06-30", "--format", "json", env={"DETENTE_DATABASE_URL": db})
    assert result.returncode == 0, result.stderr
    state = json.loads(result.stdout)
    assert state["level"] == "close" and state["event_count"] == 6


def test_the_installed_script_exits_2_on_a_usage_error_without_a_traceback(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "entry.db"), "status", "Rusia", "PRK")
    assert result.returncode == 2
    assert "Did you mean" in result.stderr and "Traceback" not in result.stderr
