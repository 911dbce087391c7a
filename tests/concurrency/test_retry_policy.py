"""The retry policy itself, without a database: bounded attempts, growing jittered pauses, clear give-ups."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from detente import retry


def always(error: Exception) -> Any:
    def write() -> None:
        raise error

    return write


def test_pauses_are_random_and_bounded_by_a_doubling_ceiling() -> None:
    for attempt in range(2, 10):
        ceiling = min(retry.LONGEST_PAUSE_S, retry.FIRST_PAUSE_S * 2 ** (attempt - 2))
        pauses = [retry.pause_before(attempt) for _ in range(200)]
        assert all(0 <= pause <= ceiling for pause in pauses)
        assert len(set(pauses)) > 100  # jittered, not in step


def test_a_write_that_always_collides_is_tried_a_bounded_number_of_times_then_refused_clearly() -> None:
    forgotten: list[int] = []
    pauses: list[float] = []

    with pytest.raises(retry.WriteConflict, match="nothing of it was stored. Run the command again"):
        retry.write_with_retries(
            always(IntegrityError("duplicate key")), before_retry=lambda: forgotten.append(1), exclusively=nullcontext, sleep=pauses.append
        )
    assert len(forgotten) == len(pauses) == retry.WRITE_ATTEMPTS - 1


def test_a_write_that_collides_once_succeeds_on_the_next_attempt() -> None:
    attempts: list[int] = []

    def write() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise IntegrityError("duplicate key")
        return "stored"

    assert retry.write_with_retries(write, before_retry=lambda: None, exclusively=nullcontext, sleep=lambda _: None) == "stored"
    assert len(attempts) == 2


def test_a_lock_held_past_the_busy_timeout_is_reported_as_a_busy_store_without_retrying() -> None:
    forgotten: list[int] = []
    with pytest.raises(retry.StoreBusy, match="held the store's write lock for too long"):
        retry.write_with_retries(
            always(OperationalError("database is locked")), before_retry=lambda: forgotten.append(1), exclusively=nullcontext
        )
    assert forgotten == []


def test_errors_that_are_not_collisions_pass_through_at_once() -> None:
    with pytest.raises(ValueError):
        retry.write_with_retries(always(ValueError("bad value")), before_retry=lambda: None, exclusively=nullcontext)


def test_a_row_refused_for_what_it_holds_is_not_retried_as_if_another_writer_had_come_first() -> None:
    import sqlite3

    from sqlalchemy import exc

    not_null = exc.IntegrityError("INSERT ...", {}, sqlite3.IntegrityError("NOT NULL constraint failed: detente_facts.type"))
    unique = exc.IntegrityError("INSERT ...", {}, sqlite3.IntegrityError("UNIQUE constraint failed: detente_events.originator_id"))
    wrapped = IntegrityError(not_null)
    wrapped.__cause__ = not_null  # as the library raises it: `raise IntegrityError(e) from e`
    assert not retry.is_collision(wrapped) and not retry.is_collision(not_null)
    assert retry.is_collision(unique) and retry.is_collision(IntegrityError("The view's position moved"))
