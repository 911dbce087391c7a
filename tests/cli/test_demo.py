"""`detente demo`: the founding case, imported once and briefed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from detente.cli.main import cli

from .conftest import Detente

pytest.importorskip("detente.demo", reason="the founding dataset is not in this checkout")


def test_demo_imports_the_case_and_briefs_the_main_pairs(detente: Detente) -> None:
    result = detente("demo")
    assert result.exit_code == 0, result.output
    assert "Imported" in result.output
    assert "Russia (RUS) – North Korea (PRK): close" in result.output
    assert "warming" in result.output and "cooling" in result.output
    assert "moved by" in result.output


def test_demo_is_idempotent(detente: Detente) -> None:
    first = detente.json("demo")
    second = detente.json("demo")
    assert first["imported"]["added"] > 0 and first["imported"]["rejected"] == []
    assert second["imported"]["added"] == 0 and second["imported"]["duplicates"] == first["imported"]["added"]
    assert first["pairs"] == second["pairs"]


def test_demo_json_shows_rus_prk_warming_and_rus_kor_cooling(detente: Detente) -> None:
    pairs = {tuple(pair["pair"]): pair for pair in detente.json("demo")["pairs"]}
    assert pairs[("RUS", "PRK")]["change"] > 0 and pairs[("RUS", "PRK")]["drivers"]
    assert pairs[("RUS", "KOR")]["change"] < 0 and pairs[("RUS", "KOR")]["active_sanctions"]


def test_demo_as_known_when_the_article_appeared(detente: Detente) -> None:
    later = detente.json("demo")
    then = detente.json("demo", "--known-at", "2024-06-17")
    rus_prk = [pair for pair in then["pairs"] if pair["pair"] == ["RUS", "PRK"]][0]
    assert rus_prk["pending_visits"] and rus_prk != [p for p in later["pairs"] if p["pair"] == ["RUS", "PRK"]][0]


def test_demo_without_db_uses_a_store_of_its_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    result = CliRunner().invoke(cli, ["demo", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "detente" / "demo.db").exists()
    assert not (tmp_path / "data" / "detente" / "detente.db").exists()
    assert result.stdout.startswith("pair,")
