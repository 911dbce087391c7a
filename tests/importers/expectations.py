"""What an import should store, computed without detente's importers: the csv module over the same file.

Per unordered pair of states: how many events, and the exact sum of their weights (`math.fsum` of
detente's weight for each row's CAMEO code, read straight from the vendored table). The store side reads
the projections: `api.relationship(...).event_count` and the weights of the pair's facts in the view.
Facts carry their undecayed weight, so their fsum is exact and comparable with `==`; a score would be
decayed and bounded.
"""

from __future__ import annotations

import csv
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import detente.domain
from detente import api
from detente.domain.actors import Actor
from detente.domain.errors import DetenteError
from detente.service import Detente

CAMEO_TABLE = Path(detente.domain.__file__).parent / "data" / "cameo_codes.csv"
FAR_FUTURE = "2100-12-31"

# ICEWS's spellings of three states, written out here rather than taken from the importer.
ICEWS_NAMES = {"Cote d'Ivoire": "CIV", "the former Yugoslav Republic of Macedonia": "MKD", "Swaziland": "SWZ"}


@dataclass
class Tally:
    count: int = 0
    weights: list[float] = field(default_factory=list)

    def add(self, weight: float) -> None:
        self.count += 1
        self.weights.append(weight)

    @property
    def total(self) -> float:
        return math.fsum(self.weights)


def weights_by_code() -> dict[str, float]:
    with CAMEO_TABLE.open(encoding="utf-8", newline="") as table:
        return {row["code"]: float(row["goldstein_gdelt"] or row["goldstein_icews"]) for row in csv.DictReader(table)}


# How the files write a missing country: GDELT leaves the column empty, ICEWS (written from R) writes NA.
MISSING = {"", "NA"}


def state(text: str) -> str | None:
    """The ISO code of a state named by a three-letter code or a full name; None for regions,
    organisations and missing values. Never an alpha-2 code: in a dataset, NA is "not available"."""
    if text in MISSING or len(text) == 2:
        return None
    try:
        actor = Actor.resolve(ICEWS_NAMES.get(text, text))
    except DetenteError:
        return None
    return None if actor.is_organisation else actor.code


def pair_of(a: str, b: str) -> str:
    return "-".join(sorted((a, b)))


def gdelt_tallies(
    path: Path, *, min_mentions: int = 0, roots: Iterable[str] = (), actor_types: Iterable[str] = ()
) -> dict[str, Tally]:
    weights = weights_by_code()
    roots, types = set(roots), set(actor_types)
    tallies: dict[str, Tally] = defaultdict(Tally)
    with path.open(encoding="utf-8", newline="") as export:
        for row in csv.reader(export, delimiter="\t", quoting=csv.QUOTE_NONE):
            actor, target = state(row[7]), state(row[17])
            if actor is None or target is None or actor == target:
                continue
            if int(row[31]) < min_mentions or (roots and row[26][:2] not in roots):
                continue
            if types and not (row[12] in types and row[22] in types):
                continue
            tallies[pair_of(actor, target)].add(weights[row[26]])
    return dict(tallies)


def goldstein_column_total(path: Path) -> float:
    """GDELT's own GoldsteinScale summed over the interstate rows (equal to the table's, for real files)."""
    values = []
    with path.open(encoding="utf-8", newline="") as export:
        for row in csv.reader(export, delimiter="\t", quoting=csv.QUOTE_NONE):
            actor, target = state(row[7]), state(row[17])
            if actor and target and actor != target:
                values.append(float(row[30]))
    return math.fsum(values)


def icews_tallies(path: Path, *, sectors: Iterable[str] = ()) -> dict[str, Tally]:
    weights = weights_by_code()
    wanted = {sector.casefold() for sector in sectors}
    tallies: dict[str, Tally] = defaultdict(Tally)
    with path.open(encoding="utf-8", newline="") as events:
        for row in csv.DictReader(events, delimiter="\t", quoting=csv.QUOTE_NONE):
            actor, target = state(row["Source Country"]), state(row["Target Country"])
            if actor is None or target is None or actor == target:
                continue
            if wanted and not all(
                wanted & {s.casefold() for s in row[column].split(",")} for column in ("Source Sectors", "Target Sectors")
            ):
                continue
            tallies[pair_of(actor, target)].add(weights[row["CAMEO Code"]])
    return dict(tallies)


def stored_tallies(store: Detente) -> dict[str, Tally]:
    """Every pair the view holds, as the projections report it."""
    tallies = {}
    for key in store.view.pairs():
        a, b = key.split("-")
        tally = Tally(weights=[fact.weight for fact in store.view.facts(key)])
        tally.count = api.relationship(store, a, b, as_of=FAR_FUTURE).event_count
        tallies[key] = tally
    return tallies


def assert_same_tallies(stored: dict[str, Tally], expected: dict[str, Tally]) -> None:
    assert sorted(stored) == sorted(expected)
    for key, tally in expected.items():
        assert (key, stored[key].count, stored[key].total) == (key, tally.count, tally.total)
