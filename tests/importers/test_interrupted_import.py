"""An import that stops half-way (a crash, Ctrl-C, a failing callback) leaves a consistent store, and
running it again completes it."""

from __future__ import annotations

from pathlib import Path

import pytest

from detente.importers import GdeltReader
from detente.service import Detente

from .expectations import assert_same_tallies, gdelt_tallies, stored_tallies


class Interrupted(Exception):
    pass


def stop_after_first_batch() -> object:
    batches = []

    def progress(count: int) -> None:
        batches.append(count)
        raise Interrupted

    return progress


def test_an_import_stopped_after_its_first_batch_keeps_that_batch_and_a_rerun_adds_the_rest(
    database_url: str, gdelt_excerpt: Path
) -> None:
    expected = gdelt_tallies(gdelt_excerpt)
    total = sum(tally.count for tally in expected.values())
    with Detente(database_url) as store, pytest.raises(Interrupted):
        store.import_lines(GdeltReader(gdelt_excerpt), batch_size=20, progress=stop_after_first_batch())  # type: ignore[arg-type]

    # A fresh process sees the first batch in the log, and the view holds it, fact for event.
    with Detente(database_url) as store:
        store.refresh()
        kept = store.view.count()
        assert 0 < kept < total
        assert kept == sum(1 for _ in store.export_rows())

        # Running the import again skips what is stored and adds the rest.
        rerun = store.import_lines(GdeltReader(gdelt_excerpt), batch_size=20)
        assert (rerun.duplicates, rerun.added, rerun.rejected) == (kept, total - kept, [])
        assert_same_tallies(stored_tallies(store), expected)


def test_the_same_store_can_run_the_import_again_after_an_interruption(store: Detente, gdelt_excerpt: Path) -> None:
    with pytest.raises(Interrupted):
        store.import_lines(GdeltReader(gdelt_excerpt), batch_size=20, progress=stop_after_first_batch())  # type: ignore[arg-type]
    store.import_lines(GdeltReader(gdelt_excerpt), batch_size=20)
    assert_same_tallies(stored_tallies(store), gdelt_tallies(gdelt_excerpt))


def test_an_interrupted_strict_import_stores_nothing_and_can_be_run_again(store: Detente, gdelt_excerpt: Path) -> None:
    with pytest.raises(Interrupted):
        store.import_lines(GdeltReader(gdelt_excerpt), strict=True, batch_size=20, progress=stop_after_first_batch())  # type: ignore[arg-type]
    assert store.view.count() == 0 and sum(1 for _ in store.export_rows()) == 0
    outcome = store.import_lines(GdeltReader(gdelt_excerpt), strict=True, batch_size=20)
    assert outcome.committed and outcome.duplicates == 0
    assert_same_tallies(stored_tallies(store), gdelt_tallies(gdelt_excerpt))
