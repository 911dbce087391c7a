"""Bulk work relaxes the garbage collector's pace and always puts it back."""

from __future__ import annotations

import gc

import pytest

from detente.projections.gc_pace import BULK_THRESHOLDS, relaxed_collection


def test_the_collector_runs_at_the_bulk_pace_inside_and_at_the_previous_pace_after() -> None:
    previous = gc.get_threshold()
    with relaxed_collection():
        assert gc.get_threshold() == BULK_THRESHOLDS
    assert gc.get_threshold() == previous


def test_the_previous_pace_comes_back_when_the_bulk_work_fails() -> None:
    previous = gc.get_threshold()
    with pytest.raises(KeyboardInterrupt):
        with relaxed_collection():
            raise KeyboardInterrupt
    assert gc.get_threshold() == previous
