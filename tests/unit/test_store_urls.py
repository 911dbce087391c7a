"""Reading --db: the kinds of store detente can use, and the URL it opens them with (no database touched)."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.opening import CONNECT_TIMEOUT_SECONDS, with_connect_timeout
from detente.settings import UnsupportedDatabase, normalise_url, sqlite_file


def test_a_bare_path_is_a_sqlite_file_and_plain_postgresql_means_psycopg(tmp_path: Path) -> None:
    assert normalise_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    assert normalise_url("postgresql://u@h/db") == normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize("url", ["mysql://u:pw@h/db", "mssql+pyodbc://h/db", "postgresql+psycopg2://h/db", "ftp://h/x.db"])
def test_another_kind_of_database_is_refused_naming_the_supported_kinds_without_the_password(url: str) -> None:
    with pytest.raises(UnsupportedDatabase) as refused:
        normalise_url(url)
    message = str(refused.value)
    assert "SQLite file path" in message and "postgresql://user@host/db" in message
    assert "pw" not in message


def test_a_postgresql_url_gets_a_connect_timeout_unless_it_has_one() -> None:
    timed = with_connect_timeout("postgresql+psycopg://analyst:s3cret@db.example:5432/detente")
    assert timed == f"postgresql+psycopg://analyst:s3cret@db.example:5432/detente?connect_timeout={CONNECT_TIMEOUT_SECONDS}"
    own = "postgresql+psycopg://analyst@db.example/detente?connect_timeout=3"
    assert with_connect_timeout(own) == own


def test_only_a_sqlite_url_with_a_file_names_a_file(tmp_path: Path) -> None:
    assert sqlite_file(f"sqlite:///{tmp_path / 'a.db'}") == tmp_path / "a.db"
    assert sqlite_file("sqlite://") is None and sqlite_file("sqlite:///:memory:") is None
    assert sqlite_file("postgresql+psycopg://h/db") is None
