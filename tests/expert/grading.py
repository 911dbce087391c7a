"""Grading the model against the expert checks: load them, ask the store, compare, and score constant answers.

A check holds when the pair's level on `as_of` is one of the accepted levels, every condition it names
is open and none of its `absent` conditions is. A constant answer ("always hostile") can only answer the
level, so constants are compared with the model on the level alone.

Run `python -m tests.expert.grading` (from the repository root, in an environment where detente is
installed) to print the table of every check against a fresh store loaded with the corpus.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus.yaml"
CHECKS = HERE / "checks.yaml"

LEVELS = ("hostile", "strained", "neutral", "cordial", "close")
"""The levels in order, worst first (docs/methodology.md)."""

CONDITIONS = (
    "armed-conflict", "at-war", "ceasefire", "territory-occupied", "relations-severed", "relations-downgraded",
    "sanctions-targeted", "sanctions-sectoral", "sanctions-comprehensive", "detention", "alliance", "pact",
    "peace-treaty",
)
"""The standing conditions a state reports, as issue 11 names them."""


@dataclass(frozen=True)
class Check:
    """One dated judgement: where `pair` stood on `as_of`, and why."""

    id: str
    episode: str
    pair: tuple[str, str]
    as_of: str
    levels: tuple[str, ...]
    conditions: tuple[str, ...]
    absent: tuple[str, ...]
    reason: str


@dataclass(frozen=True)
class Verdict:
    """What the model said for a check, and what was wrong with it (nothing, when it holds)."""

    check: Check
    level: str
    open_conditions: tuple[str, ...]
    problems: tuple[str, ...] = field(default=())

    @property
    def holds(self) -> bool:
        return not self.problems

    @property
    def level_holds(self) -> bool:
        return self.level in self.check.levels


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_episodes(path: Path = CORPUS) -> list[dict[str, Any]]:
    return list(load_yaml(path)["episodes"])


def load_checks(path: Path = CHECKS) -> list[Check]:
    return [_check(raw) for raw in load_yaml(path)]


def _check(raw: dict[str, Any]) -> Check:
    level = raw["level"]
    as_of = raw["as_of"]
    return Check(
        id=str(raw["id"]),
        episode=str(raw["episode"]),
        pair=(str(raw["pair"][0]), str(raw["pair"][1])),
        as_of=as_of.isoformat() if isinstance(as_of, datetime.date) else str(as_of),
        levels=tuple(level) if isinstance(level, list) else (str(level),),
        conditions=tuple(raw.get("conditions") or ()),
        absent=tuple(raw.get("absent") or ()),
        reason=str(raw.get("reason", "")),
    )


def open_condition_names(state_dict: dict[str, Any]) -> tuple[str, ...] | None:
    """The names of the open conditions in a state's dict, or None when the state reports none at all."""
    conditions = state_dict.get("conditions")
    if conditions is None:
        return None
    return tuple(sorted({str(item["name"]) for item in conditions}))


def judge(check: Check, level: str, open_conditions: tuple[str, ...] | None) -> Verdict:
    """Compare what the model said with what the check expects."""
    problems: list[str] = []
    if level not in check.levels:
        problems.append(f"level {level}, expected {' or '.join(check.levels)}")
    if open_conditions is None:
        if check.conditions or check.absent:
            problems.append("the state reports no conditions")
        opened: tuple[str, ...] = ()
    else:
        opened = open_conditions
        missing = [name for name in check.conditions if name not in opened]
        present = [name for name in check.absent if name in opened]
        if missing:
            problems.append(f"not open: {', '.join(missing)}")
        if present:
            problems.append(f"open but should not be: {', '.join(present)}")
    return Verdict(check, level, opened, tuple(problems))


def grade(store: Any, checks: Iterable[Check]) -> list[Verdict]:
    """Ask the store, through the public API, for each check's pair on its date."""
    from detente import api

    verdicts = []
    for check in checks:
        state = api.relationship(store, check.pair[0], check.pair[1], as_of=check.as_of)
        verdicts.append(judge(check, state.level, open_condition_names(state.to_dict())))
    return verdicts


def constant_scores(checks: Sequence[Check]) -> dict[str, int]:
    """How many checks' level each constant answer would get right."""
    return {level: sum(level in check.levels for check in checks) for level in LEVELS}


def report(verdicts: Sequence[Verdict]) -> str:
    """A plain-text table of every check, then the totals and the constant answers' scores."""
    checks = [verdict.check for verdict in verdicts]
    lines = [f"{'check':<36} {'pair':<8} {'as of':<10} {'expected':<17} {'model':<9} verdict"]
    for verdict in verdicts:
        check = verdict.check
        outcome = "holds" if verdict.holds else "FAILS: " + "; ".join(verdict.problems)
        lines.append(
            f"{check.id:<36} {'-'.join(check.pair):<8} {check.as_of:<10} {'/'.join(check.levels):<17} "
            f"{verdict.level:<9} {outcome}"
        )
    total = len(verdicts)
    held = sum(verdict.holds for verdict in verdicts)
    level_held = sum(verdict.level_holds for verdict in verdicts)
    constants = constant_scores(checks)
    lines.append("")
    lines.append(f"model: {held}/{total} checks hold ({_share(held, total)}); level alone {level_held}/{total} ({_share(level_held, total)})")
    for level, score in constants.items():
        lines.append(f"constant '{level}': {score}/{total} levels right ({_share(score, total)})")
    return "\n".join(lines)


def _share(part: int, total: int) -> str:
    return f"{100 * part / total:.1f} %" if total else "n/a"


def load_corpus_into(store: Any) -> Any:
    """Import the corpus into `store`; returns the import outcome (added, rejected, ...)."""
    from detente.interchange.formats import read_file

    return store.import_lines(read_file(CORPUS, "yaml"))


def main() -> None:
    import tempfile

    from detente.service import Detente

    with tempfile.TemporaryDirectory() as folder, Detente(f"sqlite:///{folder}/expert.db") as store:
        outcome = load_corpus_into(store)
        if outcome.rejected:
            print(f"{len(outcome.rejected)} corpus records rejected, first: {outcome.rejected[0]}")
        print(report(grade(store, load_checks())))


if __name__ == "__main__":
    main()
