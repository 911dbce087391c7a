"""Sensitivity of the expert checks to the model's main constants: each one ×0.7 and ×1.3, the rest as shipped.

    python bench/sensitivity.py                     # the corpus in tests/expert (the expert-check helper's)
    python bench/sensitivity.py --expert PATH       # a folder holding corpus.yaml, checks.yaml and grading.py

Loads the expert corpus into a fresh SQLite store once, grades every check with the constants as shipped,
then for each constant and each factor grades them again and prints how many checks hold and how many
change verdict (held → fails or fails → held); then the same for each calibration rule switched off alone. The figures go into docs/methodology.md's table. Not part
of the test run. Constants are changed in `projections.scoring` for the duration of one grading only.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FACTORS = (0.7, 1.3)


def load_grading(folder: Path) -> Any:
    spec = importlib.util.spec_from_file_location("expert_grading", folder / "grading.py")
    if spec is None or spec.loader is None:
        sys.exit(f"No grading.py in {folder}: give --expert the folder of the expert-check corpus.")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    module.CORPUS, module.CHECKS = folder / "corpus.yaml", folder / "checks.yaml"
    return module


def variants() -> dict[str, Callable[[float], dict[str, Any]]]:
    """Each main constant, as a function of the factor to the replacement values of `scoring`'s names."""
    from detente.projections import scoring

    weights = dict(scoring.CONDITION_WEIGHTS)

    def condition(*names: str) -> Callable[[float], dict[str, Any]]:
        return lambda factor: {"CONDITION_WEIGHTS": {**weights, **{name: weights[name] * factor for name in names}}}

    def caps(factor: float) -> dict[str, Any]:
        hostile, strained, neutral = scoring.HOSTILE_CAP * factor, scoring.STRAINED_CAP * factor, scoring.NEUTRAL_CAP - 1.5 * (factor - 1)
        return {"HOSTILE_CAP": hostile, "STRAINED_CAP": strained, "NEUTRAL_CAP": neutral,
                "CAPS": {"at-war": hostile, "armed-conflict": hostile, "territory-occupied": strained, "relations-severed": neutral}}  # fmt: skip

    return {
        "PRIOR_WEIGHT (k)": lambda f: {"PRIOR_WEIGHT": scoring.PRIOR_WEIGHT * f},
        "FLOW_SCALE (M)": lambda f: {"FLOW_SCALE": scoring.FLOW_SCALE * f},
        "half-life (180 days)": lambda f: {"half_life_days": scoring.DEFAULT_HALF_LIFE_DAYS * f},
        "at-war, armed-conflict": condition("at-war", "armed-conflict"),
        "ceasefire": condition("ceasefire"),
        "territory-occupied (and annexed)": lambda f: {**condition("territory-occupied")(f), "ANNEXED_WEIGHT": scoring.ANNEXED_WEIGHT * f},
        "relations-severed, -downgraded": condition("relations-severed", "relations-downgraded"),
        "sanctions (all three)": condition("sanctions-comprehensive", "sanctions-sectoral", "sanctions-targeted"),
        "alliance, pact": condition("alliance", "pact"),
        "peace-treaty": condition("peace-treaty"),
        "detention (and its cap)": lambda f: {**condition("detention")(f), "DETENTION_CAP": scoring.DETENTION_CAP * f},
        "caps (hostile −6, strained −2; neutral 0 ∓ 0.45)": caps,
        "machine evidence (0.25 + 0.125/source)": lambda f: {"MACHINE_EVIDENCE": scoring.MACHINE_EVIDENCE * f,
                                                            "MACHINE_EVIDENCE_PER_SOURCE": scoring.MACHINE_EVIDENCE_PER_SOURCE * f},  # fmt: skip
        "claim factor (alleged 0.5)": lambda f: {"CLAIM_FACTORS": {**scoring.CLAIM_FACTORS, "alleged": 0.5 * f, "denied": 0.25 * f}},
    }


def rules() -> dict[str, dict[str, Any]]:
    """Each rule of issue 11 §4's calibration, switched off alone (the values that undo it)."""
    return {
        "occupation under a conflict adds only its excess": {"OCCUPATION_UNDER_CONFLICT": False},
        "a downgrade or severance makes a peace cold": {"COLD_PEACE": False},
        "a condition's closer is no act of the flow": {"CLOSERS_LEFT_OUT_OF_THE_FLOW": frozenset()},
    }


@contextmanager
def constants(values: dict[str, Any]) -> Iterator[float]:
    """`scoring`'s names set to these values (the half-life is a query option, given back instead)."""
    from detente.projections import scoring

    values = dict(values)
    half_life = values.pop("half_life_days", scoring.DEFAULT_HALF_LIFE_DAYS)
    saved = {name: getattr(scoring, name) for name in values}
    try:
        for name, value in values.items():
            setattr(scoring, name, value)
        yield half_life
    finally:
        for name, value in saved.items():
            setattr(scoring, name, value)


def verdicts(grading: Any, store: Any, checks: list[Any], half_life: float) -> list[bool]:
    from detente import api

    held = []
    for check in checks:
        state = api.relationship(store, check.pair[0], check.pair[1], as_of=check.as_of, half_life_days=half_life)
        held.append(grading.judge(check, state.level, grading.open_condition_names(state.to_dict())).holds)
    return held


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--expert", type=Path, default=Path(__file__).resolve().parents[1] / "tests" / "expert")
    args = parser.parse_args()
    grading = load_grading(args.expert)
    from detente.service import Detente

    with tempfile.TemporaryDirectory() as folder, Detente(f"sqlite:///{folder}/expert.db") as store:
        outcome = grading.load_corpus_into(store)
        if outcome.rejected:
            sys.exit(f"{len(outcome.rejected)} corpus records rejected, first: {outcome.rejected[0]}")
        checks = grading.load_checks()
        with constants({}) as half_life:
            shipped = verdicts(grading, store, checks, half_life)
        print(f"as shipped: {sum(shipped)}/{len(checks)} checks hold")
        print("| constant | ×0.7: hold (changed) | ×1.3: hold (changed) |")
        print("| --- | ---: | ---: |")
        for name, values in variants().items():
            cells = []
            for factor in FACTORS:
                with constants(values(factor)) as half_life:
                    found = verdicts(grading, store, checks, half_life)
                changed = sum(a != b for a, b in zip(shipped, found))
                cells.append(f"{sum(found)} ({changed})")
            print(f"| {name} | {cells[0]} | {cells[1]} |")
        print()
        print("| rule switched off | hold (changed) |")
        print("| --- | ---: |")
        for name, values in rules().items():
            with constants(values) as half_life:
                found = verdicts(grading, store, checks, half_life)
            print(f"| {name} | {sum(found)} ({sum(a != b for a, b in zip(shipped, found))}) |")


if __name__ == "__main__":
    main()
