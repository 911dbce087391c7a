"""The model's constants, each with its reason and source (docs/methodology.md gives the whole argument).

Score on D = caps( clip( B + FLOW_SCALE · F, −10, +10 ) ), where B is the standing baseline (the
conditions open on D, without decay) and F the flow of one-off acts (a shrunk, decayed weighted mean of
their Goldstein weights). Every number below is a judgement; each says what it rests on.
"""

from __future__ import annotations

import math

from typing import Any

from detente.domain.sources import Status

# The flow ------------------------------------------------------------------------------------------------

DEFAULT_HALF_LIFE_DAYS = 180.0
"""An act's weight in the flow halves every 180 days: relations remember a state visit for a season or two,
not a decade. Decayed event weights follow Brandes, Lerner & Snijders (2009); the half-life is a judgement,
configurable per query (`--half-life`)."""

PRIOR_WEIGHT = 2.0
"""k in F = Σ wᵢgᵢ / (k + Σ wᵢ): the flow is a weighted mean of Goldstein weights shrunk toward 0 (so toward
the baseline B) as if k curated records of weight 0 had been seen. With two curated records' worth of
evidence the mean is trusted halfway; one machine-coded row (evidence 0.25) moves it a little. A
Bayesian mean with a prior of strength k, as in bilatr's Dirichlet-multinomial state model."""

FLOW_SCALE = 0.8
"""M: the flow moves the score at most ±8 (Goldstein weights lie in −10…+10, and the shrunk mean never
reaches them), so no pair reads |score| ≥ 9 from flow alone; only standing structure (a war, an alliance,
comprehensive sanctions) brings a score near the ends."""

CLAIM_FACTORS = {Status.REPORTED.value: 1.0, Status.CONFIRMED.value: 1.0, Status.ALLEGED.value: 0.5, Status.DENIED.value: 0.25}
"""What a record weighs by how it is attributed: a claim counts half, a denied claim a quarter (acts and
conditions alike). An alleged record that a party denies counts as denied."""


def __getattr__(name: str) -> Any:
    """CLOSERS_LEFT_OUT_OF_THE_FLOW, derived from the event classes on first use (so that `detente --help`,
    which reads DEFAULT_HALF_LIFE_DAYS, imports no event class); then kept as the module's own attribute."""
    if name != "CLOSERS_LEFT_OUT_OF_THE_FLOW":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from detente.domain.events import EVENT_TYPES

    closers = frozenset(
        kind for kind, event_class in EVENT_TYPES.items() if event_class.CLOSES and event_class.OPENS is None and "visit" not in event_class.CLOSES
    )
    globals()[name] = closers
    return closers


# CLOSERS_LEFT_OUT_OF_THE_FLOW: the types that close a standing condition and open
# nothing. Records that close a standing condition count as that condition's end, not also as acts of the flow. Most
# of their CAMEO codes are CAMEO's "yield" root 08 (085 ease sanctions +7, 0841 release +7, 087 de-escalate
# and 0871 ceasefire +9, 0874 retreat +10); a restoration is 054 (recognition, +6) and a treaty's end 160
# (reduce relations, −4). Goldstein (1992) weighs them by the step back from the hostile state (for 160, away
# from the alliance). The baseline already takes that step the day the condition closes (a war's −8 stops
# weighing, a ceasefire's −3 begins, a sanction's −2.5 is gone); adding the +9 or +10 to the flow as well counts
# the one change twice, and made the year after a war read warmer than the peace alone (India–Pakistan in 1973
# read cordial). A peace concluded and an alliance formed are agreements in their own right and stay in the
# flow; so do the records that open a condition (the blow itself is news).

CURATED_EVIDENCE = 1.0
"""A hand-curated record (sourced and checked by an analyst) is one act of full evidence."""
MACHINE_EVIDENCE = 0.25
MACHINE_EVIDENCE_PER_SOURCE = 0.125
MACHINE_EVIDENCE_CAP = 0.75
"""Machine-coded rows (GDELT, ICEWS) of one day, one direction and one CAMEO base code are one act, seen by
their distinct sources (GDELT SOURCEURL, ICEWS publisher): 0.25 for one source, 0.125 more for each other
independent source, at most 0.75 (five sources), so a machine-coded cluster never outweighs one curated
record. GDELT's NumMentions is volume, never a multiplier: one story is often reprinted many times."""

MACHINE_DATASETS = ("gdelt", "icews")
"""Imported rows are `cameo` records whose id the importer prefixes with its dataset (`gdelt:…`, `icews:…`)."""

# The band ------------------------------------------------------------------------------------------------

PRIOR_SPREAD = 4.0
"""σ₀: the spread of Goldstein weights assumed before any act is seen (their standard deviation over
CAMEO's codes is about 5; GDELT's daily event mix spreads about 4 around its mean)."""
BAND_Z = 1.2815515655446004
"""The 80 % band: score ± z·M·sd, z the standard normal's 90th percentile."""

# The baseline: standing conditions -----------------------------------------------------------------------

CONDITION_WEIGHTS = {
    "at-war": -8.0,
    "armed-conflict": -5.0,
    "ceasefire": -3.0,
    "territory-occupied": -4.0,
    "relations-severed": -4.0,
    "relations-downgraded": -2.0,
    "sanctions-comprehensive": -4.0,
    "sanctions-sectoral": -2.5,
    "sanctions-targeted": -1.0,
    "detention": -0.5,
    "alliance": 5.0,
    "pact": 2.0,
    "peace-treaty": 1.0,
}
"""What an open condition weighs on the baseline, every day it holds, without decay:
- at-war −8: an inter-state war (COW; UCDP/PRIO intensity 2, ≥ 1,000 battle deaths a year) is the worst
  standing state two states can be in; it implies an armed conflict and replaces it (no double count);
- armed-conflict −5: a minor armed conflict (UCDP/PRIO intensity 1, 25–999 battle deaths);
- ceasefire −3: fighting stopped, the conflict unresolved (UCDP's ceasefire agreements; Korea since 1953);
- territory-occupied −4 (annexed −5, ANNEXED_WEIGHT): one state holds the other's land (COW territorial change);
- relations-severed −4, relations-downgraded −2: the Diplometrics DDR / COW Diplomatic Exchange's no
  representation and reduced representation;
- sanctions −4 comprehensive, −2.5 sectoral, −1 targeted: the Global Sanctions Data Base's breadth; per
  direction only the broadest sanction in force counts (a hundred listings are one targeted regime);
- detention −0.5 each, at most DETENTION_CAP per direction: hostage diplomacy is real but small beside a war;
- alliance +5 (ATOP defense or offense obligation), pact +2 (neutrality, non-aggression or consultation),
  peace-treaty +1 (a concluded peace: better than a ceasefire, not yet friendship)."""

ANNEXED_WEIGHT = -5.0
DETENTION_CAP = -1.5
BASELINE_LIMIT = 10.0
"""B is clipped to −10…+10, as the score is."""

FAMILIES = {
    "at-war": "conflict",
    "armed-conflict": "conflict",
    "ceasefire": "conflict",
    "relations-severed": "representation",
    "relations-downgraded": "representation",
    "sanctions-comprehensive": "sanctions",
    "sanctions-sectoral": "sanctions",
    "sanctions-targeted": "sanctions",
    "territory-occupied": "territory",
    "alliance": "alignment",
    "pact": "alignment",
    "peace-treaty": "peace",
    "detention": "detention",
}
"""Conditions of one family count once, by their gravest member: a war replaces the armed conflict it
implies and a ceasefire; a severance replaces a downgrade; an alliance replaces a pact; the broadest
sanction in force replaces the narrower ones."""

OCCUPATION_UNDER_CONFLICT = True
"""An occupation held while the pair's war, armed conflict or ceasefire is open adds only what it weighs
beyond that conflict (at war: nothing; under a ceasefire −3, an occupation −4 adds −1). The occupied land is
the conflict's stake, not a second dispute: UCDP/PRIO code a conflict's incompatibility (territory or
government) as an attribute of the conflict, and COW's territorial changes are outcomes of the wars and
disputes they code, not separate hostilities. Counting both reads one unresolved dispute twice (Sinai behind
the 1973 ceasefire line read hostile while Egypt and Israel negotiated in 1978). The occupation still caps
the level at strained."""

COLD_PEACE = True
"""While relations are downgraded or severed, a peace treaty counts 0 instead of +1: its warmth is the normal
relations it set up (the Egypt–Israel treaty of 1979, art. III; Israel–Jordan 1994, art. 5), and a recalled
or expelled ambassador withdraws them. The peace still holds as the absence of war (no ceasefire weighs);
this is the "cold peace" of Egypt and Israel after 1982, Goertz, Diehl & Balas's (2016) negative peace. A
claimed (alleged) downgrade suspends nothing, as it caps nothing."""

UNDIRECTED = frozenset({"at-war", "armed-conflict", "ceasefire", "relations-severed", "alliance", "pact", "peace-treaty"})
"""Conditions of the relationship as a whole (they count once per pair and in both directed scores);
the others (sanctions, detentions, occupations, downgrades) weigh on the direction of the side that acts."""

# Caps ----------------------------------------------------------------------------------------------------

HOSTILE_CAP = -6.0
"""An open (not alleged) armed conflict or war: the score is at most −6, hostile whatever the flow of
cooperative talk (issue 11: Russia–Ukraine in June 2024)."""
STRAINED_CAP = -2.0
"""An open occupation, or a recent armed act: at most −2, no better than strained."""
NEUTRAL_CAP = 0.0
"""Severed relations: at most 0, no better than neutral."""
CAPS = {"at-war": HOSTILE_CAP, "armed-conflict": HOSTILE_CAP, "territory-occupied": STRAINED_CAP, "relations-severed": NEUTRAL_CAP}

ARMED_ACT_WINDOW_DAYS = 30
"""A non-alleged armed act (CAMEO roots 18–20) caps the level at strained for 30 days when it is curated or
corroborated by ARMED_ACT_SOURCES independent sources; a single machine-coded row changes nothing."""
ARMED_ACT_ROOTS = ("18", "19", "20")
ARMED_ACT_SOURCES = 2

# Levels and the rest of the state ------------------------------------------------------------------------

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
DRIVER_COUNT = 5


def decay(days: int, half_life_days: float = DEFAULT_HALF_LIFE_DAYS) -> float:
    return math.pow(0.5, days / half_life_days)


def machine_evidence(sources: int) -> float:
    return min(MACHINE_EVIDENCE + MACHINE_EVIDENCE_PER_SOURCE * (sources - 1), MACHINE_EVIDENCE_CAP)


def clip(value: float, limit: float = 10.0) -> float:
    return -limit if value < -limit else limit if value > limit else value


def level_for(score: float) -> str:
    for upper, label in LEVEL_BANDS:
        if score < upper:
            return label
    return TOP_LEVEL
