"""The garbage collector's pace during bulk work (an import, a rebuild).

Python's cyclic collector runs a full pass over every live object each time enough new objects have
survived; an import keeps many alive (the pair aggregates it caches, with a list per record), so with the
default thresholds full passes came more and more often as the store grew: 9.5 s of a 34 s import of
100,000 GDELT rows here. Reference counting frees nearly all of an import's garbage at once anyway; the
few cycles (SQLAlchemy's per-batch objects) wait a little longer.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

BULK_THRESHOLDS = (50_000, 20, 100)
"""Young objects allocated between collections of the youngest generation (default 700), and the counts
of collections between those of the next generations (defaults 10 and 10)."""


@contextmanager
def relaxed_collection() -> Iterator[None]:
    """Collect cyclic garbage at BULK_THRESHOLDS inside the block; the previous thresholds after it."""
    previous = gc.get_threshold()
    gc.set_threshold(*BULK_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
