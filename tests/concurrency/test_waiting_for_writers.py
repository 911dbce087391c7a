"""On SQLite, a command that needs the write lock while another process holds it waits for it, rather
than failing with "database is locked" after the driver's default five seconds."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from detente.interchange.records import parse_record
from detente.retry import StoreBusy
from detente.service import Detente

from .conftest import detente, finish, start

LOCK_HELD_S = 8.0
"""Longer than the driver's default busy timeout (5 s), shorter than detente's."""


def test_a_reader_that_must_catch_up_and_a_writer_both_wait_for_a_long_held_sqlite_lock(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    url = f"sqlite:///{path}"
    with Detente(url) as store:
        store.record({"id": "r1", "type": "cameo", "code": "042", "date": "2020-01-01", "actor": "FRA", "target": "DEU"})
        # Saved past the view, as by a process stopped between its save and its catch-up: a reader must
        # write to the view before it answers.
        late = parse_record({"id": "r2", "type": "cameo", "code": "042", "date": "2020-01-02", "actor": "FRA", "target": "DEU"})
        store._record_batch([late], raise_errors=True, local={}, follow=False)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process's long write transaction
    try:
        commands = start([
            detente("--db", url, "status", "FRA", "DEU", "--as-of", "2020-12-31", "--format", "json"),
            detente("--db", url, "record", "cameo", "--code", "042", "--actor", "FRA", "--target", "DEU", "--date", "2020-01-03", "--id", "r3"),
        ])  # fmt: skip
        time.sleep(LOCK_HELD_S)
        assert [command.poll() for command in commands] == [None, None]  # both still waiting, neither failed
    finally:
        holder.rollback()
        holder.close()
    status, record = finish(commands)

    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["event_count"] in (2, 3)  # the late event counted (and r3, if it went first)
    assert (record.returncode, record.stdout.strip()) == (0, "r3"), record.stderr


def test_a_reader_that_waited_past_the_busy_timeout_says_the_store_is_busy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from detente import store as store_module

    monkeypatch.setattr(store_module, "SQLITE_BUSY_TIMEOUT_MS", 200)
    url = f"sqlite:///{tmp_path / 'busy.db'}"
    with Detente(url) as store:
        late = parse_record({"id": "r1", "type": "cameo", "code": "042", "date": "2020-01-02", "actor": "FRA", "target": "DEU"})
        store._record_batch([late], raise_errors=True, local={}, follow=False)
        holder = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(StoreBusy, match="held the store's write lock for too long"):
                store.refresh()
        finally:
            holder.rollback()
            holder.close()
        assert store.refresh() == 2  # once the lock is free, the same store catches up


def test_a_reader_of_a_current_view_opens_and_answers_while_another_process_holds_the_sqlite_lock(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from detente.cli.main import cli

    path = tmp_path / "busy.db"
    url = f"sqlite:///{path}"
    with Detente(url) as store:
        store.record({"id": "r1", "type": "cameo", "code": "042", "date": "2020-01-01", "actor": "FRA", "target": "DEU"})
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        # Opening finds every table there and takes no lock; the view is current, so nothing to write.
        result = CliRunner().invoke(cli, ["--db", url, "status", "FRA", "DEU", "--as-of", "2020-12-31", "--format", "json"])
    finally:
        holder.rollback()
        holder.close()
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["event_count"] == 1



def test_scores_while_another_process_holds_the_sqlite_lock_answer_without_storing_their_board(tmp_path: Path) -> None:
    from detente import api

    path = tmp_path / "busy.db"
    url = f"sqlite:///{path}"
    with Detente(url) as store:
        store.record({"id": "r1", "type": "cameo", "code": "042", "date": "2020-01-01", "actor": "FRA", "target": "DEU"})
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        began = time.monotonic()
        with Detente(url) as reader:
            scores = api.scores(reader, as_of="2020-12-31")
        took = time.monotonic() - began
    finally:
        holder.rollback()
        holder.close()
    assert took < 5  # the board is a cache: not worth waiting for the writer's whole lock (60 s)
    with Detente(url) as later:
        assert api.scores(later, as_of="2020-12-31") == scores and len(scores) == 1
