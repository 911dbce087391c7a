"""Hypothesis strategies: random but valid pair histories, with late reports, corrections and retractions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

START = date(2020, 1, 1)
KINDS = [
    "accusation-made",
    "agreement-signed",
    "sanction-imposed",
    "sanction-lifted",
    "visit-announced",
    "visit-held",
    "arms-transferred",
    "cameo",
    "event-corrected",
    "event-retracted",
    "allegation-denied",
    "armed-conflict-began",
    "armed-conflict-ended",
    "peace-concluded",
    "relations-severed",
    "relations-restored",
    "relations-downgraded",
    "territory-occupied",
    "occupation-ended",
    "alliance-formed",
    "treaty-ended",
    "gdelt",
]
CLOSERS = ("sanction-lifted", "visit-held", "event-corrected", "event-retracted", "allegation-denied", "armed-conflict-ended",
           "peace-concluded", "relations-restored", "treaty-ended", "occupation-ended")  # fmt: skip
CODES = ["042", "051", "057", "112", "163", "173", "190", "0841", "036"]


@st.composite
def histories(draw: st.DrawFn, max_size: int = 14) -> list[dict[str, Any]]:
    """Interchange records for the pair RUS–PRK. References point at earlier ids; some will break a
    rule (a second lift of one sanction, say) and the store must refuse exactly those."""
    size = draw(st.integers(min_value=1, max_value=max_size))
    records: list[dict[str, Any]] = []
    for n in range(size):
        kind = draw(st.sampled_from(KINDS))
        day = START + timedelta(days=draw(st.integers(0, 1500)))
        precision = draw(st.sampled_from(["day", "day", "day", "month", "year"]))
        text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": day.isoformat()[:4]}[precision]
        late = draw(st.integers(0, 400))
        actor, target = draw(st.sampled_from([("RUS", "PRK"), ("PRK", "RUS")]))
        record: dict[str, Any] = {
            "id": f"e{n}",
            "type": kind,
            "date": text,
            "actor": actor,
            "target": target,
            "sources": [{"title": f"report {n}", "published": (day + timedelta(days=late)).isoformat()}],
        }
        earlier = [r["id"] for r in records]
        if kind in CLOSERS:
            if not earlier:
                continue
            if kind not in ("visit-held", "peace-concluded") or draw(st.booleans()):
                record["refers_to"] = draw(st.sampled_from(earlier))
        if kind == "event-corrected":
            shifted = START + timedelta(days=draw(st.integers(0, 1500)))
            record["changes"] = {"date": shifted.isoformat()}
        if kind == "cameo":
            record["code"] = draw(st.sampled_from(CODES))
        if kind == "gdelt":
            # A machine-coded row as the GDELT importer writes it: its id names the dataset, its source the URL.
            record.update(type="cameo", id=f"gdelt:{n}", code=draw(st.sampled_from(CODES)), date=day.isoformat())
            record["sources"] = [{"url": f"https://site{draw(st.integers(0, 3))}.example/a", "published": day.isoformat()}]
            record["provenance"] = {"dataset": "gdelt", "source_id": str(n)}
        if kind == "sanction-imposed":
            record["scope"] = draw(st.sampled_from(["targeted", "sectoral", "comprehensive"]))
        if kind == "armed-conflict-began":
            record["intensity"] = draw(st.sampled_from(["minor", "war"]))
        if kind == "armed-conflict-ended":
            record["how"] = draw(st.sampled_from(["ceasefire", "withdrawal", "peace-agreement"]))
        if kind == "relations-downgraded":
            record["measure"] = draw(st.sampled_from(["ambassador-recalled", "embassy-closed"]))
        if kind == "territory-occupied":
            record.update(territory="a province", annexed=draw(st.booleans()))
        if kind == "alliance-formed":
            record["obligations"] = draw(st.lists(st.sampled_from(["defense", "consultation", "nonaggression"]), min_size=1, max_size=2))
        if kind == "visit-announced":
            record["planned"] = (day + timedelta(days=draw(st.integers(0, 60)))).isoformat()
        if kind in ("arms-transferred", "accusation-made", "armed-conflict-began", "sanction-imposed") and draw(st.booleans()):
            record["status"] = "alleged"
            record["claimed_by"] = ["USA"]
        records.append(record)
    return records


moments = st.integers(0, 2200).map(lambda days: START + timedelta(days=days))
