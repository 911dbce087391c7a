"""Where the store lives, and the environment variables that configure it."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_URL_VARIABLE = "DETENTE_DATABASE_URL"
CIPHER_KEY_VARIABLE = "DETENTE_CIPHER_KEY"


def default_database_path() -> Path:
    """$XDG_DATA_HOME/detente/detente.db, i.e. ~/.local/share/detente/detente.db by default."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "detente" / "detente.db"


def database_url(explicit: str | None = None) -> str:
    """The --db option, else $DETENTE_DATABASE_URL, else the default SQLite file."""
    url = explicit or os.environ.get(DATABASE_URL_VARIABLE)
    if url:
        return normalise_url(url)
    path = default_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def normalise_url(url: str) -> str:
    """Accept a bare file path as a SQLite database, and plain postgresql:// as psycopg 3."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url
