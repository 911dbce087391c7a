"""Bad input gets a message that says what to do, the right exit code, and never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Detente


@pytest.mark.parametrize(
    "command",
    [
        ["status", "Rusia", "PRK"],
        ["events", "RUS", "Nort Korea"],
        ["pairs", "--country", "Rusia"],
        ["record", "visit-held", "--actor", "Rusia", "--target", "PRK", "--date", "2024"],
        ["export", "--pair", "RUS", "Rusia"],
    ],
)
def test_an_unknown_country_is_a_usage_error_with_suggestions(loaded: Detente, command: list[str]) -> None:
    result = loaded(*command)
    assert result.exit_code == 2
    assert "Unknown country or organisation" in result.output and "Did you mean:" in result.output
    assert "(RUS)" in result.output or "(PRK)" in result.output


@pytest.mark.parametrize(
    "command",
    [
        ["status", "RUS", "PRK", "--as-of", "2024-13"],
        ["status", "RUS", "PRK", "--as-of", "19/06/2024"],
        ["timeline", "RUS", "PRK", "--from", "June"],
        ["record", "visit-held", "--actor", "RUS", "--target", "PRK", "--date", "2024-02-30"],
        ["status", "RUS", "PRK", "--known-at", "yesterday"],
        ["status", "RUS", "PRK", "--recorded-by", "2024-06-17T25:00"],
        ["record", "visit-held", "--actor", "RUS", "--target", "PRK", "--date", "2024", "--source-published", "soon"],
    ],
)
def test_a_malformed_date_is_a_usage_error(loaded: Detente, command: list[str]) -> None:
    result = loaded(*command)
    assert result.exit_code == 2
    assert "Malformed" in result.output and ("YYYY-MM-DD" in result.output)


@pytest.mark.parametrize("moment", ["2024", "2024-06", "2024-06-17", "2024-06-17T09:30:00", "2024-06-17T09:30:00+07:00", "2024-06-17T09:30:00Z"])
def test_moments_accept_dates_and_iso_date_times(loaded: Detente, moment: str) -> None:
    assert loaded("status", "RUS", "PRK", "--known-at", moment, "--recorded-by", moment).exit_code == 0


@pytest.mark.parametrize("command", [["status", "RUS", "Russia"], ["status", "USA", "USA"], ["timeline", "PRK", "DPRK"], ["diff", "KOR", "KOR", "--from", "2023", "--to", "2024"]])
def test_a_pair_of_one_country_is_a_usage_error(loaded: Detente, command: list[str]) -> None:
    result = loaded(*command)
    assert result.exit_code == 2 and "cannot act on itself" in result.output


def test_a_password_in_the_store_url_is_not_shown(tmp_path: Path) -> None:
    detente = Detente(tmp_path)  # replaced below by a URL
    detente.db = "postgresql+psycopg://analyst:secret@127.0.0.1:1/detente"  # type: ignore[assignment]
    result = detente("status", "RUS", "PRK")
    assert result.exit_code == 1
    assert "secret" not in result.output and "analyst:***@" in result.output


def test_a_bad_csv_file_names_the_lines(detente: Detente, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,type,date,actor,target\n"
        "a,visit-held,2024-06-19,RUS,PRK\n"
        "b,visit-held,2024-06-19,RUS\n"
        "c,no-such-type,2024-06-19,RUS,PRK\n",
        encoding="utf-8",
    )
    result = detente("import", path)
    assert result.exit_code == 1
    assert "line 3:" in result.stderr and "line 4: Unknown event type 'no-such-type'" in result.stderr


def test_a_csv_without_the_needed_header_stores_nothing(detente: Detente, tmp_path: Path) -> None:
    path = tmp_path / "headless.csv"
    path.write_text("a,visit-held,2024-06-19,RUS,PRK\n", encoding="utf-8")
    result = detente("import", path)
    assert result.exit_code == 1 and "CSV header lacks" in result.output
    assert detente.json("pairs") == []


def test_an_unexpected_error_is_reported_as_a_bug_without_a_traceback(loaded: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    from detente import api

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(api, "relationship", broken)
    result = loaded("status", "RUS", "PRK")
    assert result.exit_code == 1
    assert "This is a bug in detente" in result.output and "Traceback" not in result.output
    monkeypatch.setenv("DETENTE_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        loaded("status", "RUS", "PRK")


def test_an_unknown_option_value_is_a_usage_error(loaded: Detente) -> None:
    assert loaded("timeline", "RUS", "PRK", "--every", "fortnight").exit_code == 2
    assert loaded("pairs", "--format", "xml").exit_code == 2
    assert loaded("status", "RUS", "PRK", "--half-life", "0").exit_code == 2
