"""The fixed vocabularies of the event types' own fields, with where each comes from in the literature.

The event classes (`domain/events.py`) check their fields against these; the projections weigh by them.
"""

from __future__ import annotations

SANCTION_SCOPES = ("targeted", "sectoral", "comprehensive")
"""The Global Sanctions Data Base's breadth, simplified: listed people, firms or ships (`targeted`); whole
sectors such as finance, energy or arms (`sectoral`); the whole economy (`comprehensive`)."""
AID_CODES = {"economic": "071", "military": "072", "humanitarian": "073", "food": "073", "technical": "070"}
"""The CAMEO code of each kind of aid."""
PLEDGE_CODES = {"economic": "0311", "military": "0312", "judicial": "0313", "intelligence": "0314"}
"""The CAMEO code of each domain of a pledge of cooperation."""
CONFLICT_INTENSITIES = ("minor", "war")
"""UCDP/PRIO's two intensity levels: `minor` (25–999 battle deaths a year), `war` (1,000 or more)."""
CONFLICT_ENDINGS = ("ceasefire", "armistice", "peace-agreement", "withdrawal", "victory", "lapsed")
"""How an armed conflict ended (after UCDP's conflict termination types); a ceasefire or an armistice
leaves the pair in a `ceasefire` until peace is concluded."""
TRUCES = ("ceasefire", "armistice")
DOWNGRADE_MEASURES = ("ambassador-recalled", "ambassador-expelled", "charge-level", "embassy-closed")
"""Representation below full diplomatic relations, as the Diplometrics DDR and COW Diplomatic Exchange code it."""
OBLIGATIONS = ("defense", "offense", "neutrality", "nonaggression", "consultation")
"""ATOP's five alliance obligations; a defense or offense obligation makes an alliance, the others a pact."""
ALLIANCE_OBLIGATIONS = ("defense", "offense")


def either(words: tuple[str, ...] | list[str]) -> str:
    """'a, b or c': a vocabulary as a field's help says it."""
    words = list(words)
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"
