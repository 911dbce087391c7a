"""The spread of scores and levels on the real samples in ../shared/data (ICEWS 1–2 June 2018, two GDELT
15-minute updates), each file in its own store, ranked on its last day.

    python bench/real_spread.py [--data ../shared/data]

Prints, per file: pairs, how many read |score| ≥ 9, the quartiles and extremes of the scores, the count of
each level, and the top and bottom five pairs with their evidence. Not part of the test run (the test
tests/scenarios/test_real_data_scores.py asserts the bound); the figures go into docs/methodology.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections import Counter
from pathlib import Path

SAMPLES = {"icews": ("icews", "events.2018.sample.tab", "2018-06-02"), "gdelt-2018": ("gdelt", "20180326044500.export.CSV", "2018-03-26"),
           "gdelt-2019": ("gdelt", "20191024143000.export.CSV", "2019-10-24")}  # fmt: skip


def spread(data: Path, name: str) -> dict:
    from detente import api
    from detente.service import Detente

    folder, file_name, day = SAMPLES[name]
    with tempfile.TemporaryDirectory() as temporary, Detente(f"sqlite:///{temporary}/s.db") as store:
        from detente.api import read_records

        _, lines = read_records(data / folder / file_name)
        store.import_lines(lines)
        states = api.pairs(store, as_of=day)
    scores = [state.score for state in states]
    quartiles = statistics.quantiles(scores, n=4) if len(scores) > 1 else scores * 3
    def line(state):  # type: ignore[no-untyped-def]
        return (f"{state.pair[0]}-{state.pair[1]} {state.score:+.2f} {state.level} [{state.score_low:+.2f}, {state.score_high:+.2f}]"
                f" acts {state.evidence['events']} (n_eff {state.evidence['effective_events']}) rows {state.event_count}")  # fmt: skip
    return {
        "pairs": len(states), "at_least_9": sum(abs(s) >= 9 for s in scores), "min": min(scores), "max": max(scores),
        "quartiles": [round(q, 2) for q in quartiles], "levels": dict(Counter(state.level for state in states)),
        "top": [line(s) for s in states[:5]], "bottom": [line(s) for s in states[-5:]],
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = parser.parse_args()
    for name in SAMPLES:
        result = spread(args.data, name)
        print(f"{name}: {result['pairs']} pairs; |score| >= 9: {result['at_least_9']}; min {result['min']:+.2f}, quartiles {result['quartiles']},"
              f" max {result['max']:+.2f}; levels {result['levels']}")  # fmt: skip
        for row in result["top"] + ["..."] + result["bottom"]:
            print("   ", row)


if __name__ == "__main__":
    main()
