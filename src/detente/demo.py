"""The founding case, shipped with the package: load it into a store and brief on its main pairs.

    >>> from detente import api, demo
    >>> store = api.open_store("sqlite:///demo.db")
    >>> demo.load_founding_case(store).rejected
    []
    >>> [(b.names, b.level) for b in demo.briefing(store, as_of="2024-06-20")]

The dataset (datasets/korea-2024.yaml) codes the June 2024 article on Putin's visit to Pyongyang, with
its background and the later corrections; its comments explain each coding choice.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from detente import api
from detente.domain.actors import Actor
from detente.interchange.formats import read_file
from detente.projections.state import Claim, Detention, PendingVisit, Sanction, Visit
from detente.service import Detente, ImportOutcome

DATASET = "korea-2024.yaml"

MAIN_PAIRS: tuple[tuple[str, str], ...] = (
    ("RUS", "PRK"),
    ("RUS", "KOR"),
    ("PRK", "KOR"),
    ("PRK", "USA"),
    ("RUS", "UKR"),
    ("RUS", "VNM"),
    ("KOR", "UKR"),
)
"""The pairs the article is about, named the way an analyst reads them."""

ARTICLE_DAY = "2024-06-17"
"""The day the founding article was published: `known_at` for 'what its reader knew'."""
BASELINE_DAY = "2022-01-01"
"""Before the invasion of Ukraine: the date each pair is compared with."""


def dataset_path() -> Path:
    """Where the founding-case YAML is installed."""
    return Path(str(resources.files("detente") / "datasets" / DATASET))


def load_founding_case(store: Detente) -> ImportOutcome:
    """Import the founding case into `store`; importing it again adds nothing (duplicates are skipped)."""
    return store.import_lines(read_file(dataset_path(), "yaml"))


@dataclass(frozen=True)
class PairBriefing:
    """One pair on one date, beside the same pair on the baseline date: plain fields for rendering."""

    pair: tuple[str, str]
    names: tuple[str, str]
    as_of: date
    level: str
    score: float
    baseline_level: str
    baseline_score: float
    level_reason: str
    active_sanctions: tuple[Sanction, ...]
    active_detentions: tuple[Detention, ...]
    pending_visits: tuple[PendingVisit, ...]
    last_visit: Visit | None
    claims: tuple[Claim, ...]

    @property
    def change(self) -> float:
        return round(self.score - self.baseline_score, 6)

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["as_of"] = self.as_of.isoformat()
        data["change"] = self.change
        return data


def briefing(
    store: Detente,
    as_of: str | date = "2024-06-20",
    known_at: api.Moment = None,
    baseline: str | date = BASELINE_DAY,
    pairs: tuple[tuple[str, str], ...] = MAIN_PAIRS,
) -> list[PairBriefing]:
    """The main pairs of the founding case on `as_of` (as known at `known_at`), each against `baseline`."""
    return [_brief(store, a, b, as_of, known_at, baseline) for a, b in pairs]


def _brief(store: Detente, a: str, b: str, as_of: str | date, known_at: api.Moment, baseline: str | date) -> PairBriefing:
    state = api.relationship(store, a, b, as_of=as_of, known_at=known_at)
    before = api.relationship(store, a, b, as_of=baseline, known_at=known_at)
    first, second = Actor.resolve(a), Actor.resolve(b)
    return PairBriefing(
        pair=(first.code, second.code),
        names=(first.name, second.name),
        as_of=state.as_of,
        level=state.level,
        score=state.score,
        baseline_level=before.level,
        baseline_score=before.score,
        level_reason=state.level_reason,
        active_sanctions=state.active_sanctions,
        active_detentions=state.active_detentions,
        pending_visits=state.pending_visits,
        last_visit=state.last_visit,
        claims=state.claims,
    )
