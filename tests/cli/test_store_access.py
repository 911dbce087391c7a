"""Opening a store: reading commands never create one, the environment is checked, and every refusal says what
to do (exit 1, or 2 for a usage error), with nothing written and no traceback."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from eventsourcing.cryptography import AESCipher

from detente.cli.main import cli

from .conftest import PAIRS_FILE, Detente, empty_store

READING = [
    ["status", "RUS", "PRK"], ["timeline", "RUS", "PRK"], ["replay", "RUS", "PRK"], ["explain", "RUS", "PRK"],
    ["diff", "RUS", "PRK", "--from", "2023", "--to", "2024"], ["pairs"], ["events", "RUS", "PRK"], ["export"],
    ["chart", "RUS", "PRK", "-o", "chart.png"], ["network", "-o", "network.png"],
]
RECORD = ["record", "visit-held", "--actor", "RUS", "--target", "PRK", "--date", "2024-06-19", "--id", "v"]


def clean(result: object) -> str:
    output = getattr(result, "output", "")
    assert "Traceback" not in output and "This is a bug" not in output, output
    return output


def tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return sorted(row[0] for row in connection.execute("SELECT name FROM sqlite_master"))


@pytest.mark.parametrize("command", READING, ids=lambda command: command[0])
def test_a_reading_command_on_a_missing_store_names_it_and_says_how_to_make_one(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "mistyped.db"
    output = clean(result := Detente(missing)(*command))
    assert result.exit_code == 1
    assert f"No detente store at {missing}" in output and "detente import" in output and "detente demo" in output
    assert not missing.exists()


def test_the_default_store_is_not_created_by_a_reading_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["status", "RUS", "PRK"])
    default = tmp_path / "xdg" / "detente" / "detente.db"
    assert result.exit_code == 1 and f"No detente store at {default}" in clean(result)
    assert not (tmp_path / "xdg").exists()


@pytest.mark.parametrize(
    "command",
    [RECORD, ["import", str(PAIRS_FILE)], ["rebuild"], ["demo"],
     ["correct", "nothing", "--date", "2024-06-20", "--set", "place=Pyongyang", "--source-title", "t"], ["retract", "nothing", "--reason", "r", "--source-title", "t"]],
    ids=lambda command: command[0],
)
def test_a_writing_command_creates_the_store_and_its_folder(tmp_path: Path, command: list[str]) -> None:
    new = tmp_path / "new" / "folder" / "store.db"
    result = Detente(new)(*command)
    clean(result)
    assert new.exists() and "detente_events" in tables(new)
    if command[0] in ("correct", "retract"):
        assert result.exit_code == 1 and "nothing" in result.output  # an unknown id, but the store is there now
    else:
        assert result.exit_code == 0, result.output
        assert Detente(new)("pairs").exit_code == 0


def test_a_reading_command_leaves_another_programs_sqlite_file_as_it_was(tmp_path: Path) -> None:
    other = tmp_path / "inventory.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE parts (name TEXT)")
    before = other.read_bytes()
    for command in READING:
        result = Detente(other)(*command)
        assert result.exit_code == 1, command
        assert f"{other} is not a detente store" in clean(result) and "--db" in result.output
    assert tables(other) == ["parts"] and other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inventory.sqlite"]


def test_a_file_that_is_not_a_database_is_named_as_such(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n")
    result = Detente(notes)("status", "RUS", "PRK")
    assert result.exit_code == 1 and "is not a SQLite database" in clean(result)
    assert notes.read_text() == "not a database\n"


@pytest.mark.parametrize("url", ["mysql://analyst:secret@db.example/detente", "oracle://x", "http://example.org/store.db", "postgresql+asyncpg://h/db"])
def test_an_unsupported_kind_of_database_is_a_usage_error_naming_the_supported_kinds(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    for args, env in (([ "--db", url], None), ([], url)):
        if env:
            monkeypatch.setenv("DETENTE_DATABASE_URL", env)
        result = CliRunner().invoke(cli, [*args, "status", "RUS", "PRK"])
        assert result.exit_code == 2
        output = clean(result)
        assert "SQLite file path" in output and "sqlite:///" in output and "postgresql://" in output
        assert "secret" not in output


def test_a_postgresql_url_without_psycopg_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # what the import system sees when it is not installed
    result = CliRunner().invoke(cli, ["--db", "postgresql://analyst@127.0.0.1/detente", "status", "RUS", "PRK"])
    assert result.exit_code == 1 and "pip install 'detente[postgres]'" in clean(result)


def test_a_cipher_key_without_cryptography_names_the_extra_to_install(detente: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETENTE_CIPHER_KEY", AESCipher.create_key(32))
    monkeypatch.setitem(sys.modules, "cryptography", None)
    result = detente("status", "RUS", "PRK")
    assert result.exit_code == 1 and "pip install 'detente[crypto]'" in clean(result)


@pytest.mark.parametrize("key", ["abc", "not a key!", "c2hvcnQ=", AESCipher.create_key(32)[:-4]])
def test_a_malformed_cipher_key_names_the_variable_and_how_to_make_a_key(loaded: Detente, monkeypatch: pytest.MonkeyPatch, key: str) -> None:
    monkeypatch.setenv("DETENTE_CIPHER_KEY", key)
    for command in (["status", "RUS", "PRK"], RECORD):
        result = loaded(*command)
        assert result.exit_code == 1
        output = clean(result)
        assert "DETENTE_CIPHER_KEY is not a usable key" in output and "AESCipher.create_key(32)" in output
    monkeypatch.delenv("DETENTE_CIPHER_KEY")
    assert "v" not in [row["id"] for row in loaded.json("events", "RUS", "PRK")]


def test_a_key_on_a_store_written_without_one_is_refused_and_nothing_is_written(loaded: Detente, monkeypatch: pytest.MonkeyPatch) -> None:
    before = loaded("export", "--format", "jsonl").stdout
    monkeypatch.setenv("DETENTE_CIPHER_KEY", AESCipher.create_key(32))
    for command in (RECORD, ["import", str(PAIRS_FILE)], ["status", "RUS", "PRK"], ["export"], ["rebuild"]):
        result = loaded(*command)
        assert result.exit_code == 1, command
        assert "store without encryption" in clean(result) and "unset DETENTE_CIPHER_KEY" in result.output
    monkeypatch.delenv("DETENTE_CIPHER_KEY")
    assert loaded("export", "--format", "jsonl").stdout == before
    assert loaded("rebuild").exit_code == 0


def test_an_encrypted_store_opened_without_its_key_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = Detente(tmp_path / "secret.db")
    monkeypatch.setenv("DETENTE_CIPHER_KEY", AESCipher.create_key(32))
    assert secret("import", PAIRS_FILE).exit_code == 0
    monkeypatch.delenv("DETENTE_CIPHER_KEY")
    for command in (["status", "RUS", "PRK"], RECORD):
        result = secret(*command)
        assert result.exit_code == 1 and "looks encrypted" in clean(result) and "DETENTE_CIPHER_KEY" in result.output


def test_xdg_data_home_that_is_a_file_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "data-home"
    home.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    for command in (["status", "RUS", "PRK"], RECORD, ["demo"]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code == 1, command
        assert "XDG_DATA_HOME" in clean(result) and str(home) in result.output and "--db" in result.output
    assert home.read_text() == ""


# Permissions: root ignores file modes, so as root the command runs without the capabilities that let it.

def run_unprivileged(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: a read-only file cannot be made read-only for the command")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    script = Path(sys.executable).with_name("detente")
    command = [str(script)] if script.exists() else [sys.executable, "-c", "from detente.cli.main import cli; cli()"]
    return subprocess.run([*prefix, *command, *args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


@pytest.fixture
def read_only(loaded: Detente, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """The loaded store, made read-only: the file (0444), or its folder too (0555)."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    store = folder / "store.db"
    shutil.copy(loaded.db, store)
    store.chmod(0o444)
    if request.param == "folder":
        folder.chmod(0o555)
    yield store
    folder.chmod(0o755)


@pytest.mark.parametrize("read_only", ["file", "folder"], indirect=True)
def test_a_read_only_store_can_be_read_but_not_written(read_only: Path) -> None:
    before = read_only.read_bytes()
    status = run_unprivileged("--db", str(read_only), "status", "RUS", "PRK", "--format", "json")
    assert status.returncode == 0, status.stderr
    assert '"event_count": 6' in status.stdout
    assert run_unprivileged("--db", str(read_only), "pairs").returncode == 0
    record = run_unprivileged("--db", str(read_only), *RECORD)
    assert record.returncode == 1
    assert "is read-only" in record.stderr and "Traceback" not in record.stderr
    assert read_only.read_bytes() == before
    assert sorted(p.name for p in read_only.parent.iterdir()) == ["store.db"]  # not even a -wal or -shm file


def test_a_read_only_store_whose_view_is_behind_says_what_reading_needs(loaded: Detente, tmp_path: Path) -> None:
    from detente.domain.actors import Actor
    from detente.domain.relationship import Relationship
    from detente.service import Detente as Store

    store = tmp_path / "behind.db"
    shutil.copy(loaded.db, store)
    with Store(str(store)) as behind:
        behind.ledger.save(Relationship.open(Actor("FRA"), Actor("DEU")))  # logged, not yet in the view
    store.chmod(0o444)
    result = run_unprivileged("--db", str(store), "status", "RUS", "PRK")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "is read-only" in result.stderr and "view is behind" in result.stderr


def test_an_unwritable_data_home_is_named(tmp_path: Path) -> None:
    home = tmp_path / "locked"
    home.mkdir()
    home.chmod(0o555)
    try:
        result = run_unprivileged(*RECORD, env={"XDG_DATA_HOME": str(home)})
    finally:
        home.chmod(0o755)
    assert result.returncode == 1
    assert "Cannot make the store's folder" in result.stderr and "XDG_DATA_HOME" in result.stderr
    assert "Traceback" not in result.stderr and list(home.iterdir()) == []


# A PostgreSQL server that accepts connections and never answers.

@pytest.fixture
def silent_server() -> Iterator[int]:
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    yield server.getsockname()[1]
    server.close()
    for connection in accepted:
        connection.close()


def test_a_server_that_never_answers_stops_the_command_after_the_connect_timeout(silent_server: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import detente.opening

    assert detente.opening.CONNECT_TIMEOUT_SECONDS == 10
    monkeypatch.setattr(detente.opening, "CONNECT_TIMEOUT_SECONDS", 2)  # libpq's smallest
    for command in (["status", "RUS", "PRK"], RECORD):
        started = time.monotonic()
        result = CliRunner().invoke(cli, ["--db", f"postgresql://analyst@127.0.0.1:{silent_server}/detente", *command])
        took = time.monotonic() - started
        assert result.exit_code == 1 and "timeout" in clean(result) and "reachable" in result.output
        assert took < 8, took


def test_an_empty_store_made_by_a_writing_command_is_read_as_empty(tmp_path: Path) -> None:
    detente = empty_store(tmp_path / "empty.db")
    assert detente.json("pairs") == []
