"""The Python API for notebooks and the CLI: plain dataclasses out, convertible to dicts and rows.

    >>> from detente import api
    >>> store = api.open_store()                      # the default SQLite file, or a URL
    >>> state = api.relationship(store, "RUS", "PRK", as_of="2024-06-20", known_at="2024-06-17")
    >>> state.score, state.level, state.to_dict()

Every reading function takes the three clocks: `as_of` (the real-world date D), `known_at` (what the
world knew at K: sources published by then) and `recorded_by` (what this store held at R).

Over 250 lines because it is the one namespace notebooks import: most of it re-exports the modules that
do the work, and the rest are the thin reading functions the CLI shares (their parts live elsewhere).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from detente.domain.actors import Actor
from detente.domain.errors import DetenteError

# One namespace for notebooks and the CLI; its parts live in modules of their own.
from detente.annotating import correct, new_record_id, retract  # noqa: F401
from detente.file_readers import DATASET_FORMATS, IMPORT_FORMATS, count_lines, read_records  # noqa: F401
from detente.frames import FRAMES, to_frame  # noqa: F401  (pandas is imported only when a frame is made)
from detente.projections.facts import Fact
from detente.projections.fold import (
    Query,
    pair_score,
    relationship_state,
    resolved_facts,
)
from detente.projections.scoring import DRIVER_COUNT
from detente.projections.state import RelationshipState
from detente.queries import (  # noqa: F401
    log_size,
    Moment,
    as_day,
    as_moment,
    at_day,
    catch_up,
    fact_summary,
    make_query,
    pair_codes,
    pair_facts,
)
from detente.series import (  # noqa: F401
    MAX_TIMELINE_DATES,
    SERIES_GRID_POINTS,
    TimelineTooLong,
    regular_dates,
    Mover,
    ScoreSeries,
    event_span,
    movers,
    score_series,
)
from detente.service import Detente


def open_store(url: str | None = None, cipher_key: str | None = None, *, create: bool = True) -> Detente:
    """The store at `url` (default: the SQLite file under $XDG_DATA_HOME); `create=False` opens only an
    existing store and adds nothing to the database, as the reading commands do."""
    return Detente(url, cipher_key, create=create)


def relationship(store: Detente, a: Actor | str, b: Actor | str, *, drivers: int | None = None, **clocks: Any) -> RelationshipState:
    """The pair's state on `as_of`, as known at `known_at`, as recorded by `recorded_by`; `drivers` sets how
    many drivers it names (default 5; the rest are summed in `other_drivers`)."""
    pair = pair_codes(a, b)
    query = make_query(**clocks)
    return store.view.pair_state(pair, query, DRIVER_COUNT if drivers is None else drivers, catch_up=store.refresh)


def timeline(
    store: Detente,
    a: Actor | str,
    b: Actor | str,
    start: str | date,
    end: str | date | None = None,
    every: str = "month",
    **clocks: Any,
) -> list[RelationshipState]:
    """The state at regular dates from `start` to `end` (month, quarter or year ends)."""
    store.refresh()
    pair = pair_codes(a, b)
    base = make_query(as_of=end, **clocks)
    facts = pair_facts(store, pair, base)
    days = regular_dates(as_day(start), base.as_of, every)
    return [relationship_state(pair, facts, at_day(base, day)) for day in days]




@dataclass(frozen=True)
class ReplayStep:
    fact: Fact
    state: RelationshipState


MAX_REPLAY_STEPS = 2_000
"""A replay folds the pair once per step, so its cost grows with the square of its length (12,000 steps ran
for over ten minutes); a longer one is refused with what to use instead."""


def replay(store: Detente, a: Actor | str, b: Actor | str, **clocks: Any) -> Iterator[ReplayStep]:
    """The pair's history in real-world order, each event with the state on the day it counts from."""
    store.refresh()
    pair = pair_codes(a, b)
    query = make_query(**clocks)
    facts = pair_facts(store, pair, query)
    resolved = resolved_facts(facts, query)
    steps = sum(1 for fact in resolved if fact.counts_from() <= query.as_of)
    if steps > MAX_REPLAY_STEPS:
        raise DetenteError(
            f"{pair[0]}-{pair[1]} has {steps:,} events up to {query.as_of}; replay shows at most {MAX_REPLAY_STEPS:,} "
            "(each step folds the pair again): give an earlier --to, or use `detente timeline` or `detente explain`."
        )
    for fact in resolved:
        day = fact.counts_from()
        if day > query.as_of:
            return
        yield ReplayStep(fact, relationship_state(pair, facts, at_day(query, day)))


@dataclass(frozen=True)
class StateDiff:
    before: RelationshipState
    after: RelationshipState
    added: tuple[Fact, ...]
    """Facts counted in `after` but not in `before`."""
    removed: tuple[Fact, ...]
    """Facts counted in `before` but not in `after` (retracted, or not yet known)."""
    changed: tuple[tuple[Fact, Fact], ...] = ()
    """Facts counted in both but read differently (corrected, disputed), as (before, after)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before.to_dict(),
            "after": self.after.to_dict(),
            "score_change": round(self.after.score - self.before.score, 6),
            "level_change": [self.before.level, self.after.level],
            "added": [fact_summary(f) for f in self.added],
            "removed": [fact_summary(f) for f in self.removed],
            "changed": [{**fact_summary(new), "fields": changed_fields(old, new)} for old, new in self.changed],
        }


def changed_fields(old: Fact, new: Fact) -> dict[str, list[Any]]:
    """Field -> [before, after] for what a correction or a denial changed in a fact."""
    ignored = {"known_since", "recorded_at", "sources"}
    before, after = fact_summary(old), fact_summary(new)
    fields = {key: [before[key], after[key]] for key in after if key not in ignored and before.get(key) != after[key]}
    for key in sorted(set(old.details) | set(new.details)):
        if old.details.get(key) != new.details.get(key):
            fields[key] = [old.details.get(key), new.details.get(key)]
    return fields


def diff(store: Detente, a: Actor | str, b: Actor | str, before: Query, after: Query) -> StateDiff:
    """What changed between two queries: two dates, or two states of knowledge for one date."""
    store.refresh()
    pair = pair_codes(a, b)
    everything = store.view.facts(f"{pair[0]}-{pair[1]}")
    counted = []
    for query in (before, after):
        resolved = resolved_facts(everything, query)
        counted.append({f.record_id: f for f in resolved if f.counts_from() <= query.as_of})
    old, new = counted
    return StateDiff(
        before=relationship_state(pair, everything, before),
        after=relationship_state(pair, everything, after),
        added=tuple(f for key, f in new.items() if key not in old),
        removed=tuple(f for key, f in old.items() if key not in new),
        changed=tuple((old[key], f) for key, f in new.items() if key in old and old[key] != f),
    )


def pairs(store: Detente, country: Actor | str | None = None, **clocks: Any) -> list[RelationshipState]:
    """Every pair's state on one date, by score (highest first)."""
    catch_up(store)
    query = make_query(**clocks)
    code = Actor.resolve(country).code if country else None
    wanted = [key for key in store.view.pairs() if code is None or code in key.split("-")]
    return _ranked_states(store, wanted, query)


def _ranked_states(store: Detente, keys: list[str], query: Query) -> list[RelationshipState]:
    states = [
        relationship_state(tuple(key.split("-")), facts, query)  # type: ignore[arg-type]
        for key, facts in store.view.all_facts(keys)
    ]
    states.sort(key=lambda state: (-state.score, state.pair))
    return states


@dataclass(frozen=True)
class PairScore:
    pair: tuple[str, str]
    score: float


def scores(store: Detente, country: Actor | str | None = None, **clocks: Any) -> list[PairScore]:
    """Every pair's score on one date, highest first: what `pairs` ranks by, without the rest of each state.

    Equal to each state's `score`. Without cut-offs it reads the view's score board (stored beside the view, so
    a new process loads it; only pairs with facts added since are folded again); with `known_at`,
    `recorded_by` or `confirmed_only` it folds each pair."""
    catch_up(store)
    query = make_query(**clocks)
    code = Actor.resolve(country).code if country else None
    if query.known_at is None and query.recorded_by is None and not query.confirmed_only:
        board = store.view.score_board().scores(query.as_of, query.half_life_days)
        found = {key: round(score, 6) for key, score in board.items()}
    else:
        found = {key: pair_score(facts, query) for key, facts in store.view.all_facts()}
    ranked = [PairScore(tuple(key.split("-")), score) for key, score in found.items() if code is None or code in key.split("-")]  # type: ignore[arg-type]
    ranked.sort(key=lambda item: (-item.score, item.pair))
    return ranked


def events(
    store: Detente, a: Actor | str, b: Actor | str, start: str | date | None = None, end: str | date | None = None
) -> list[dict[str, Any]]:
    """The pair's events in real-world date order, in interchange form, each with its CAMEO `code` (text:
    "042", leading zero kept) and when it was recorded. With `start`/`end` (dates, months or years), only
    the events whose date may fall in that span: an event dated `2024` is in `--from 2024-06`."""
    from detente.domain.dates import PartialDate
    from detente.interchange.records import event_to_row

    first = PartialDate.parse(start).first_day if start is not None else date.min
    last = PartialDate.parse(end).last_day if end is not None else date.max
    rows = []
    for event in store.events(a, b):
        if event.occurred_on.last_day < first or event.occurred_on.first_day > last:
            continue
        row = event_to_row(event)
        if not event.IS_ANNOTATION and "code" not in row:
            row["code"] = event.cameo_code().code
        rows.append({**row, "recorded_at": event.timestamp.isoformat()})
    return rows


PAIR_SORTS = ("score", "warming", "cooling", "activity", "change")
"""score: highest first; warming / cooling: largest 90-day rise / fall first; activity: most events in the
last 365 days first; change: largest 90-day change either way first."""
PAIR_ORDERS = {
    "warming": lambda state: (-state.trend, state.pair),
    "cooling": lambda state: (state.trend, state.pair),
    "activity": lambda state: (-sum(state.counts.values()), -state.event_count, state.pair),
    "change": lambda state: (-abs(state.trend), state.pair),
}


def ranked_pairs(
    store: Detente, country: Actor | str | None = None, sort: str = "score", limit: int | None = None, **clocks: Any
) -> list[RelationshipState]:
    """Every pair on one date, ordered as `sort` says (PAIR_SORTS), at most `limit` of them."""
    if sort not in PAIR_SORTS:
        raise ValueError(f"sort must be one of {PAIR_SORTS}, not {sort!r}")
    if sort == "score" and limit is not None:
        # The top of the ranking from the scores alone (ranked exactly as the full states are), then the
        # full state of those pairs only: the same list as every state built and cut, without the wait.
        query = make_query(**clocks)
        states = [store.view.pair_state(score.pair, query, DRIVER_COUNT) for score in scores(store, country, **clocks)[:limit]]
        states.sort(key=lambda state: (-state.score, state.pair))
        return states
    states = pairs(store, country, **clocks)
    if sort in PAIR_ORDERS:
        states.sort(key=PAIR_ORDERS[sort])
    return states[:limit] if limit is not None else states


def frame(store: Detente, what: str, *args: Any, **kwargs: Any) -> Any:
    """The answer of `api.<what>(store, *args, **kwargs)` as a pandas DataFrame; `what` is one of FRAMES
    ("status" is one row). A timeline's `every` also sets the period each row stands for."""
    if what not in FRAMES:
        raise ValueError(f"what must be one of {', '.join(FRAMES)}, not {what!r}")
    if what == "status":
        return to_frame([relationship(store, *args, **kwargs)])
    if what == "pairs":
        return to_frame(ranked_pairs(store, *args, **kwargs))
    results = globals()[what](store, *args, **kwargs)
    every = kwargs.get("every", "month") if what == "timeline" else None
    return to_frame(results, every=every)
