"""The conflict–cooperation score: Goldstein weights, decayed, summed, bounded. See docs/methodology.md."""

from __future__ import annotations

import math
from datetime import date

# The weight of an event is the Goldstein (1992) value of its CAMEO code, as in GDELT's lookup table
# (vendored in detente/domain/data/cameo_codes.csv).

DEFAULT_HALF_LIFE_DAYS = 180.0
"""An event's weight halves every 180 days: relations remember a state visit for a season or two, not a
decade. Decayed event sums follow Brandes, Lerner & Snijders (2009); the half-life is a judgement,
configurable per query."""

SCORE_SCALE = 20.0
"""The decayed sum is bounded as 10·tanh(sum / 20): a single signed agreement (+8) reads about +3.8,
a busy month of cooperation saturates towards +10. Keeps the index on Goldstein's own −10…+10 range."""

CLAIM_FACTORS = {"reported": 1.0, "confirmed": 1.0, "alleged": 0.5, "denied": 0.25}
"""What a record weighs by how it is attributed: a claim counts half, a denied claim a quarter. An alleged
event that a party denies (an allegation-denied record referring to it) counts as denied."""

LEVEL_BANDS = (
    (-5.0, "hostile"),
    (-1.5, "strained"),
    (1.5, "neutral"),
    (5.0, "cordial"),
)
"""Upper bounds (exclusive) of each band on the score; at 5.0 and above the level is 'close'."""
TOP_LEVEL = "close"

TREND_DAYS = 90
"""`trend` is the change of score over the last 90 days."""
COUNT_WINDOW_DAYS = 365
"""`counts` tallies the QuadClasses of the events of the last 365 days."""
CONFLICT_WINDOW_DAYS = 365
"""An armed attack (CAMEO roots 18–20) within the last 365 days makes the level 'hostile' whatever the
score, with the attack as the stated reason."""
ARMED_CONFLICT_ROOTS = ("18", "19", "20")
DRIVER_COUNT = 5


def decay(days: int, half_life_days: float = DEFAULT_HALF_LIFE_DAYS) -> float:
    return math.pow(0.5, days / half_life_days)


def contribution(weight: float, status: str, counts_from: date, as_of: date, half_life_days: float) -> float:
    return weight * CLAIM_FACTORS.get(status, 1.0) * decay((as_of - counts_from).days, half_life_days)


def bounded(raw: float) -> float:
    return 10.0 * math.tanh(raw / SCORE_SCALE)


def level_for(score: float) -> str:
    for upper, label in LEVEL_BANDS:
        if score < upper:
            return label
    return TOP_LEVEL
