"""The one kernel: a pair's terms in, its score and band out. Pure arithmetic, no facts.

Terms: the baseline B (`conditions.baseline_and_cap`), the strictest cap in force, and the flow's four
decayed sums over its acts, Σw, Σwg, Σwg², Σw² (w = claim factor × evidence × decay(age), g the act's
Goldstein weight). The fold forms the sums act by act, in counting order, per direction, and adds the
directions in order (`combine`); the score board (scores.py) forms the same sums with numpy's sequential
cumsum and calls this same code, so both give the same float.

    F     = Σwg / (k + Σw)                       a weighted mean of g, shrunk toward 0 by k = PRIOR_WEIGHT
    score = cap(clip(B + M·F))                   M = FLOW_SCALE
    σ²    = (k·σ₀² + Σw(g − ḡ)²) / (k + Σw)      the pooled spread of g around its mean, σ₀ = PRIOR_SPREAD
    n_eff = (Σw)² / Σw²                          Kish's effective number of acts
    band  = cap(clip(B + M·F ± z·M·σ/√(k + n_eff)))
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from . import scoring

Sums = tuple[float, float, float, float]
"""(Σw, Σwg, Σwg², Σw²)"""
NO_SUMS: Sums = (0.0, 0.0, 0.0, 0.0)


def add_act(sums: Sums, w: float, g: float) -> Sums:
    """The sums with one more act of decayed weight w and Goldstein weight g (the products numpy forms)."""
    wg = w * g
    return (sums[0] + w, sums[1] + wg, sums[2] + wg * g, sums[3] + w * w)


def combine(parts: Iterable[Sums]) -> Sums:
    """The sums of several directions, added in the order given, from zero."""
    w = wg = wgg = ww = 0.0
    for part in parts:
        w, wg, wgg, ww = w + part[0], wg + part[1], wgg + part[2], ww + part[3]
    return (w, wg, wgg, ww)


def flow(sums: Sums) -> float:
    return flow_of(sums[0], sums[1])


def flow_of(w: Any, wg: Any) -> Any:
    """F from Σw and Σwg: floats, or numpy arrays of them (the same operations, so the same floats)."""
    return wg / (scoring.PRIOR_WEIGHT + w)


def raw_score(baseline: Any, w: Any, wg: Any) -> Any:
    """B + M·F, for floats or numpy arrays alike."""
    return baseline + scoring.FLOW_SCALE * flow_of(w, wg)


def capped(value: float, cap: float | None) -> float:
    clipped = scoring.clip(value)
    return clipped if cap is None or clipped <= cap else cap


def score(baseline: float, cap: float | None, sums: Sums) -> float:
    """The score alone (what ranking needs)."""
    return capped(raw_score(baseline, sums[0], sums[1]), cap)


def scores(baselines: Any, caps: Any, w: Any, wg: Any) -> Any:
    """`score` over numpy arrays, one entry per pair (no cap: +inf): the same comparisons, so the same floats."""
    import numpy as np

    clipped = np.minimum(np.maximum(raw_score(baselines, w, wg), -10.0), 10.0)
    return np.minimum(clipped, caps)


@dataclass(frozen=True)
class Reading:
    score: float
    low: float
    high: float
    raw: float
    """B + M·F before clipping and capping."""
    effective_events: float
    spread: float


def read(baseline: float, cap: float | None, sums: Sums) -> Reading:
    """The score and its 80 % band."""
    w, wg, wgg, ww = sums
    raw = raw_score(baseline, w, wg)
    k = scoring.PRIOR_WEIGHT
    scatter = max(wgg - wg * wg / w, 0.0) if w > 0.0 else 0.0
    spread = math.sqrt((k * scoring.PRIOR_SPREAD**2 + scatter) / (k + w))
    n_eff = w * w / ww if ww > 0.0 else 0.0
    half = scoring.BAND_Z * scoring.FLOW_SCALE * spread / math.sqrt(k + n_eff)
    return Reading(capped(raw, cap), capped(raw - half, cap), capped(raw + half, cap), raw, n_eff, spread)
