"""Readable renderings of a state: the `table` format of status, explain and diff, section by section
(conditions, band, lists, drivers), from the shared small renderings of `text.py`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .text import INDENT, arrow, attribution, clocks_line, pair_title, section, signed, sources_lines


def status_text(state: Mapping[str, Any], a: str, b: str) -> str:
    heading = [f"{pair_title(a, b)} on {state['as_of']}", clocks_line(state), ""]
    if state["event_count"] == 0:
        return "\n".join(heading + [f"No events recorded for this pair up to {state['as_of']}: the score is +0.00 (neutral)."])
    sides = state["directed"]
    directed = f"{arrow(state['a'], state['b'])} {signed(sides['a_to_b'])} · {arrow(state['b'], state['a'])} {signed(sides['b_to_a'])}"
    counts = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in state["counts"].items())
    lines = heading + section("Conditions in force", (_condition(c) for c in state["conditions"])) + [""]
    lines += [
        f"{INDENT}score    {signed(state['score'])}  {state['level']}{_reason(state)}",
        f"{INDENT}band     {band(state)}",
        f"{INDENT}trend    {signed(state['trend'])} over the last 90 days",
        f"{INDENT}by side  {directed}",
        f"{INDENT}events   {state['event_count']} counted as {_evidence(state)}; in the last 365 days: {counts}",
        "",
    ]
    lines += section("Active sanctions", (_sanction(s) for s in state["active_sanctions"]))
    lines += section("Active detentions", (_detention(d) for d in state["active_detentions"]))
    lines += section("Pending visits", (_pending(v) for v in state["pending_visits"]))
    visit = state["last_visit"]
    lines += section("Last visit", [_visit(visit)] if visit else [])
    shown = {item["id"] for key in ("transfers", "aid") for item in state[key]}
    other_claims = [claim for claim in state["claims"] if claim["id"] not in shown]
    for title, items, render in (
        ("Agreements", state["agreements"], _agreement),
        ("Transfers", state["transfers"], _transfer),
        ("Aid", state["aid"], _aid),
        ("Other claims", other_claims, _claim),
    ):
        if items:
            lines += section(title, (render(item) for item in items))
    lines += ["", f"What moves the score (top {len(state['drivers'])}; `detente explain` shows their sources):"]
    lines += [INDENT + _driver(driver) for driver in state["drivers"]]
    lines += [INDENT + line for line in _others(state)]
    return "\n".join(lines)


def band(state: Mapping[str, Any]) -> str:
    """'-5.89 … -3.22 (80 %), hostile to strained'."""
    levels = state.get("level_range") or [state["level"]]
    spans = f", {levels[0]} to {levels[-1]}" if len(levels) > 1 else ""
    return f"{signed(state['score_low'])} … {signed(state['score_high'])} (80 %){spans}"


def _evidence(state: Mapping[str, Any]) -> str:
    evidence = state.get("evidence") or {}
    return f"{evidence.get('events', 0)} acts ({evidence.get('effective_events', 0):g} effective)"


def _others(state: Mapping[str, Any]) -> list[str]:
    others = state.get("other_drivers") or {}
    if not others.get("count"):
        return []
    return [f"{others['count']} other events: {signed(others['contribution'])}"]


def _condition(item: Mapping[str, Any]) -> str:
    detail = f", {item['detail']}" if item.get("detail") else ""
    claim = f", {attribution(item)}" if attribution(item) else ""
    return (
        f"{item['name']}  {arrow(item['by'], item['on'])} since {item['since']}{detail}{claim}  weight {signed(item['weight'])}"
        f"  [{item['id']}]{_source_suffix(item)}"
    )


def _reason(state: Mapping[str, Any]) -> str:
    """The level's reason, when it is more than the score's band (a condition or an armed act caps it)."""
    reason = state["level_reason"]
    return "" if reason.startswith("score") else f"  ({reason})"


def _source_suffix(item: Mapping[str, Any]) -> str:
    return f"  (source: {item['source']})" if item.get("source") else "  (unsourced)"


def _sanction(item: Mapping[str, Any]) -> str:
    scope = f", {item['scope']}" if item.get("scope") else ""
    claim = f", {attribution(item)}" if attribution(item) else ""
    return f"since {item['since']}  {arrow(item['by'], item['on'])}{scope}{claim}  [{item['id']}]{_source_suffix(item)}"


def _detention(item: Mapping[str, Any]) -> str:
    who = ", ".join(part for part in (item.get("person"), item.get("charge")) if part)
    who = f": {who}" if who else ""
    return f"since {item['since']}  {item['held_by']} holds a citizen of {item['citizen_of']}{who}  [{item['id']}]{_source_suffix(item)}"


def _pending(item: Mapping[str, Any]) -> str:
    planned = f"planned for {item['planned']}" if item.get("planned") else "no date set"
    overdue = ", overdue" if item.get("overdue") else ""
    return f"{arrow(item['visitor'], item['host'])} announced {item['announced_on']}, {planned}{overdue}  [{item['id']}]"


def _visit(item: Mapping[str, Any]) -> str:
    place = f", {item['place']}" if item.get("place") else ""
    return f"{item['date']}  {arrow(item['visitor'], item['host'])}{place}  [{item['id']}]{_source_suffix(item)}"


def _agreement(item: Mapping[str, Any]) -> str:
    return f"{item['date']}  {item['title'] or 'untitled'}  [{item['id']}]"


def _transfer(item: Mapping[str, Any]) -> str:
    claim = f"  ({attribution(item)})" if attribution(item) else ""
    return f"{item['date']}  {item['type']} {arrow(item['by'], item['to'])} {item['items']}".rstrip() + f"{claim}  [{item['id']}]"


def _aid(item: Mapping[str, Any]) -> str:
    claim = f"  ({attribution(item)})" if attribution(item) else ""
    return f"{item['date']}  {item['kind'] or 'aid'} {arrow(item['by'], item['to'])}{claim}  [{item['id']}]"


def _claim(item: Mapping[str, Any]) -> str:
    summary = f"  {item['summary']}" if item.get("summary") else ""
    return f"{item['date']}  {item['type']} {arrow(item['actor'], item['target'])} ({attribution(item)}){summary}  [{item['id']}]"


def _driver(item: Mapping[str, Any]) -> str:
    if item.get("kind") == "adjustment":
        return f"{signed(item['contribution'])}  {item['summary']}"
    claim = f" ({attribution(item)})" if attribution(item) else ""
    summary = f"  {item['summary']}" if item.get("summary") else ""
    what = f"condition {item['type']}" if item.get("kind") == "condition" else item["type"]
    rows = f" ×{item['events']} rows, {item['independent_sources']} sources" if item.get("events", 1) > 1 else ""
    return f"{signed(item['contribution'])}  {item['date']}  {what} {arrow(item['actor'], item['target'])}{rows}{claim}{summary}  [{item['id']}]"


def explain_text(state: Mapping[str, Any], a: str, b: str) -> str:
    lines = [
        f"Why {pair_title(a, b)} is {state['level']} ({signed(state['score'])}) on {state['as_of']}",
        clocks_line(state),
        f"Level: {state['level_reason']}.",
        "",
    ]
    if not state["drivers"]:
        return "\n".join(lines + ["No events recorded for this pair up to that date: nothing drives the score."])
    for number, driver in enumerate(state["drivers"], start=1):
        if driver.get("kind") == "adjustment":
            lines.append(f"{number}. {signed(driver['contribution'])}  {driver['summary']}")
            continue
        claim = f"; {attribution(driver)}" if attribution(driver) else ""
        what = f"condition {driver['type']}" if driver.get("kind") == "condition" else driver["type"]
        when = f"since {driver['date']}" if driver.get("kind") == "condition" else driver["date"]
        rows = f", {driver['events']} rows from {driver['independent_sources']} sources" if driver.get("events", 1) > 1 else ""
        lines.append(
            f"{number}. {signed(driver['contribution'])}  {when}  {what} "
            f"{arrow(driver['actor'], driver['target'])}  (CAMEO {driver['code']}, weight {signed(driver['weight'])}{rows}{claim})  [{driver['id']}]"
        )
        if driver.get("summary"):
            lines.append(f"   {driver['summary']}")
        lines += sources_lines(driver["sources"], "   ")
    lines += _others(state)
    lines += [
        "",
        f"Band: {band(state)}.",
        "A condition contributes its weight while it holds; an act its share of the flow, M·w·g / (k + Σw), where g is",
        "its Goldstein weight and w its attribution factor × evidence × decay by age (docs/methodology.md).",
    ]
    return "\n".join(lines)


def fact_line(fact: Mapping[str, Any]) -> str:
    claim = f" ({attribution(fact)})" if attribution(fact) else ""
    summary = f"  {fact['summary']}" if fact.get("summary") else ""
    return f"{fact['date']}  {fact['type']} {arrow(fact['actor'], fact['target'])}{claim}{summary}  [{fact['id']}]"


def diff_text(result: Mapping[str, Any], a: str, b: str, labels: tuple[str, str]) -> str:
    before, after = result["before"], result["after"]
    width = max(len(labels[0]), 22)
    rows = [
        ("", labels[0], labels[1]),
        ("score", f"{signed(before['score'])} {before['level']}", f"{signed(after['score'])} {after['level']}  ({signed(result['score_change'])})"),
        ("events", str(before["event_count"]), str(after["event_count"])),
        ("sanctions", str(len(before["active_sanctions"])), str(len(after["active_sanctions"]))),
        ("detentions", str(len(before["active_detentions"])), str(len(after["active_detentions"]))),
        ("pending visits", str(len(before["pending_visits"])), str(len(after["pending_visits"]))),
    ]
    lines = [f"{pair_title(a, b)}: what changed", ""]
    lines += [f"{INDENT}{label:<15}{left:<{width}}  {right}".rstrip() for label, left, right in rows]
    lines.append("")
    lines += section(f"Counted after, not before ({len(result['added'])})", (fact_line(f) for f in result["added"]))
    lines += section(f"Counted before, not after ({len(result['removed'])})", (fact_line(f) for f in result["removed"]))
    lines += section(f"Read differently ({len(result['changed'])})", (changed_line(f) for f in result["changed"]))
    return "\n".join(lines)


def changed_line(fact: Mapping[str, Any]) -> str:
    changes = "; ".join(f"{name} {_shown(old)} → {_shown(new)}" for name, (old, new) in fact["fields"].items())
    return f"{fact['date']}  {fact['type']} {fact['actor']}→{fact['target']}  {changes}  [{fact['id']}]"


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "—"
    return "—" if value in (None, "") else str(value)
