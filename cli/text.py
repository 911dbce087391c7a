"""The small readable renderings every command's `table` format shares: names, clocks, attributions,
sources, sections. The renderings of a whole state (status, explain, diff) are in `state_text.py`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

INDENT = "  "


def name(code: str) -> str:
    """'Russia (RUS)'."""
    from detente.domain.actors import Actor

    display = Actor.from_code(code).name
    return code if display == code else f"{display} ({code})"


def pair_title(a: str, b: str) -> str:
    return f"{name(a)} – {name(b)}"


def arrow(actor: str, target: str) -> str:
    return f"{actor}→{target}"


def signed(value: float) -> str:
    """+1.25, -0.40; a value that rounds to zero reads +0.00, never -0.00."""
    return f"{round(value, 2) + 0.0:+.2f}"


def clocks_line(state: Mapping[str, Any]) -> str:
    """How the answer was asked: which knowledge, which records, which attributions counted."""
    parts = [f"as known at {moment(state['known_at'])}" if state.get("known_at") else "with everything known now"]
    if state.get("recorded_by"):
        parts.append(f"as recorded by {moment(state['recorded_by'])}")
    parts.append("reported and confirmed events only" if state.get("confirmed_only") else "claims counted at reduced weight")
    parts.append(f"half-life {state['half_life_days']:g} days")
    return "; ".join(parts) + "."


def moment(text: str) -> str:
    return text.replace("T", " ").replace("+00:00", " UTC").replace(".999999", "")


def attribution(item: Mapping[str, Any]) -> str:
    """'alleged by USA, KOR; denied by PRK', 'confirmed', or '' for a plain report."""
    from detente.domain.sources import CLAIM_STATUSES, Status

    status = item.get("status") or Status.REPORTED.value
    claimed = ", ".join(item.get("claimed_by") or ())
    denied = ", ".join(item.get("denied_by") or ())
    parts = []
    if denied and status in CLAIM_STATUSES:
        parts.append(f"{Status.ALLEGED.value} by {claimed}" if claimed else Status.ALLEGED.value)
    elif status != Status.REPORTED.value:
        parts.append(f"{status} by {claimed}" if claimed else status)
    if denied:
        parts.append(f"denied by {denied}")
    return "; ".join(parts)


def source_label(source: Mapping[str, str]) -> str:
    """'Reuters, "Putin arrives in Pyongyang", 2024-06-19 <https://...>'."""
    parts = [source[key] for key in ("publisher",) if source.get(key)]
    if source.get("title"):
        parts.append(f"“{source['title']}”")
    if source.get("published"):
        parts.append(source["published"])
    text = ", ".join(parts)
    if source.get("url"):
        text = f"{text} <{source['url']}>" if text else source["url"]
    return text or "an undescribed source"


def sources_lines(sources: Sequence[Mapping[str, str]], indent: str) -> list[str]:
    if not sources:
        return [f"{indent}unsourced"]
    return [f"{indent}source: {source_label(source)}" for source in sources]


def section(title: str, lines: Iterable[str], none: str = "none") -> list[str]:
    body = list(lines)
    if not body:
        return [f"{title}: {none}"]
    return [f"{title}:"] + [INDENT + line for line in body]
