"""Shared fixtures: a store per test on SQLite and, when configured, PostgreSQL.

Set DETENTE_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run the
integration tests on PostgreSQL too; without it those cases skip and say why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

POSTGRES_VARIABLE = "DETENTE_TEST_DATABASE_URL"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DETENTE_TABLES = (
    "detente_record_ids", "detente_facts", "detente_score_terms", "detente_score_terms_v2", "detente_score_terms_v3", "detente_score_board", "detente_checkpoints_v1",
    "detente_unreadable", "detente_tracking", "detente_snapshots", "detente_events",
)


def postgres_url() -> str | None:
    return os.environ.get(POSTGRES_VARIABLE) or None


def drop_detente_tables(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        for table in DETENTE_TABLES:
            connection.execute(text(f"DROP TABLE IF EXISTS {table} CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database of each configured backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'detente.db'}"
        return
    url = postgres_url()
    if url is None:
        pytest.skip(f"PostgreSQL not configured: set {POSTGRES_VARIABLE} to run this case")
    drop_detente_tables(url)
    yield url
    drop_detente_tables(url)


@pytest.fixture
def store(database_url: str) -> Iterator["Detente"]:  # noqa: F821
    from detente.service import Detente

    with Detente(database_url) as opened:
        yield opened


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator["Detente"]:  # noqa: F821
    from detente.service import Detente

    with Detente(f"sqlite:///{tmp_path / 'detente.db'}") as opened:
        yield opened


@pytest.fixture(autouse=True)
def _no_user_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never touch the analyst's own store or key."""
    monkeypatch.delenv("DETENTE_DATABASE_URL", raising=False)
    monkeypatch.delenv("DETENTE_CIPHER_KEY", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
