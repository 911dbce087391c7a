"""On the real samples (../shared/data; skipped when absent), flow alone never reads near the ends, and the
ranking still tells pairs apart. bench/real_spread.py prints the full spread for docs/methodology.md."""

from __future__ import annotations

import os
import statistics
from pathlib import Path

import pytest

from detente import api
from detente.api import read_records
from detente.service import Detente

pytestmark = pytest.mark.shared

CANDIDATES = [Path(os.environ["DETENTE_SHARED_DATA"])] if os.environ.get("DETENTE_SHARED_DATA") else []
CANDIDATES.append(Path(__file__).resolve().parents[3] / "shared" / "data")  # ../shared/data beside the checkout
SAMPLES = [("icews", "events.2018.sample.tab", "2018-06-02"), ("gdelt", "20180326044500.export.CSV", "2018-03-26"),
           ("gdelt", "20191024143000.export.CSV", "2019-10-24")]  # fmt: skip


def sample(folder: str, name: str) -> Path:
    for root in CANDIDATES:
        if (root / folder / name).exists():
            return root / folder / name
    pytest.skip(f"{folder}/{name} is absent: set DETENTE_SHARED_DATA or put the shared data in ../shared/data")


@pytest.mark.parametrize("folder, name, day", SAMPLES)
def test_no_pair_of_a_real_sample_reads_nine_or_more_from_flow_alone(tmp_path: Path, folder: str, name: str, day: str) -> None:
    with Detente(f"sqlite:///{tmp_path / 's.db'}") as store:
        _, lines = read_records(sample(folder, name))
        store.import_lines(lines)
        states = api.pairs(store, as_of=day)
    assert states and all(state.conditions == () for state in states)  # imported rows are flow, never conditions
    scores = [state.score for state in states]
    assert max(abs(score) for score in scores) < 9
    # ...and the ranking still discriminates: positive and negative pairs, and a real spread between them.
    assert min(scores) < -1 and max(scores) > 0.5 and statistics.pstdev(scores) > 0.3


def test_the_icews_cases_of_the_issue_read_as_a_specialist_would(tmp_path: Path) -> None:
    # 1–2 June 2018: 312 rows between North Korea and the United States (one negotiation told by many
    # publishers) once read +10 "close"; China–US, at the start of the trade war, too.
    with Detente(f"sqlite:///{tmp_path / 's.db'}") as store:
        _, lines = read_records(sample("icews", "events.2018.sample.tab"))
        store.import_lines(lines)
        korea = api.relationship(store, "PRK", "USA", as_of="2018-06-02")
        china = api.relationship(store, "CHN", "USA", as_of="2018-06-02")
    assert korea.level == "cordial" and korea.evidence["events"] < korea.event_count / 5
    assert china.level == "neutral"
