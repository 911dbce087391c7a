"""Where the store lives, the kinds of database it can be, and the environment variables that configure it.

Nothing here opens a database: this module reads `--db` / the environment and names a place; store.py opens
it. A bad value is a named error that says what to write instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from detente.domain.errors import DetenteError

DATABASE_URL_VARIABLE = "DETENTE_DATABASE_URL"
CIPHER_KEY_VARIABLE = "DETENTE_CIPHER_KEY"
DATA_HOME_VARIABLE = "XDG_DATA_HOME"
REBUILD_WORKERS_VARIABLE = "DETENTE_REBUILD_WORKERS"
"""How many worker processes a large rebuild may use; 0 or 1 keeps it in one process. Default: one per core."""
SUPPORTED_KINDS = "a SQLite file path, sqlite:///path/to/file.db, or PostgreSQL as postgresql://user@host/db"
SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


class UnsupportedDatabase(DetenteError):
    """A --db / DETENTE_DATABASE_URL that names no kind of database detente can use."""


class StoreLocationError(DetenteError):
    """The folder a SQLite store belongs in cannot be made or written."""


def rebuild_workers() -> int | None:
    """$DETENTE_REBUILD_WORKERS as a number, or None (one worker per core) when it is unset or not one."""
    wanted = os.environ.get(REBUILD_WORKERS_VARIABLE, "").strip()
    return int(wanted) if wanted.isdigit() else None


def default_database_path() -> Path:
    """$XDG_DATA_HOME/detente/detente.db, i.e. ~/.local/share/detente/detente.db by default."""
    base = os.environ.get(DATA_HOME_VARIABLE) or str(Path.home() / ".local" / "share")
    return Path(base) / "detente" / "detente.db"


def database_url(explicit: str | None = None) -> str:
    """The --db option, else $DETENTE_DATABASE_URL, else the default SQLite file (not created here)."""
    url = explicit or os.environ.get(DATABASE_URL_VARIABLE)
    if url:
        return normalise_url(url)
    check_data_home()
    return f"sqlite:///{default_database_path()}"


def check_data_home() -> None:
    """$XDG_DATA_HOME, when set, must be a folder (or not exist yet)."""
    home = os.environ.get(DATA_HOME_VARIABLE)
    if home and Path(home).exists() and not Path(home).is_dir():
        raise StoreLocationError(f"{DATA_HOME_VARIABLE} ({home}) is a file, not a folder: {_DATA_HOME_HINT}")


def normalise_url(url: str) -> str:
    """A bare file path is a SQLite database, and plain postgresql:// means psycopg 3; others are refused."""
    if "://" not in url:
        return f"sqlite:///{Path(url).expanduser().resolve()}"
    scheme, rest = url.split("://", 1)
    if scheme.lower() in POSTGRES_SCHEMES:
        return "postgresql+psycopg://" + rest
    if scheme.lower() in SQLITE_SCHEMES:
        return url
    raise UnsupportedDatabase(
        f"detente cannot use a {scheme}:// database ({_masked(url)}). Give --db (or {DATABASE_URL_VARIABLE}) as "
        f"{SUPPORTED_KINDS}."
    )


def is_postgres(url: str) -> bool:
    return url.split("://", 1)[0].lower() in POSTGRES_SCHEMES


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, or None for PostgreSQL, an in-memory database or a `file:` URI."""
    if url.split("://", 1)[0].lower() not in SQLITE_SCHEMES:
        return None
    try:
        database = make_url(url).database
    except ArgumentError:
        return None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def prepare_folder(path: Path) -> None:
    """Make the folder a new SQLite store goes in, or say why it cannot be made or written."""
    folder = path.parent
    hint = _location_hint(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise StoreLocationError(
            f"Cannot make the store's folder {folder}: part of that path is a file, not a folder. {hint}"
        ) from None
    except OSError as error:
        raise StoreLocationError(f"Cannot make the store's folder {folder}: {error.strerror}. {hint}") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreLocationError(f"Cannot write in the store's folder {folder}: permission denied. {hint}")


_DATA_HOME_HINT = f"set {DATA_HOME_VARIABLE} to a folder you can write, or name a store with --db PATH."


def _location_hint(path: Path) -> str:
    home = os.environ.get(DATA_HOME_VARIABLE)
    if home and Path(home) in path.parents:
        return f"The store is under {DATA_HOME_VARIABLE} ({home}): {_DATA_HOME_HINT}"
    return "Name a store in a folder you can write with --db PATH."


def _masked(url: str) -> str:
    """The URL without its password."""
    head, sep, tail = url.partition("://")
    credentials, at, host = tail.rpartition("@")
    if at and ":" in credentials:
        credentials = credentials.split(":", 1)[0] + ":***"
    return f"{head}{sep}{credentials}{at}{host}"
