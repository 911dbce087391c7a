"""Checking and normalising the importers' filter options, so that a typo fails before the import."""

from __future__ import annotations

from collections.abc import Iterable

from .errors import InvalidImportOption

ROOT_CODES = frozenset(f"{root:02d}" for root in range(1, 21))
"""CAMEO's twenty root codes, 01 MAKE PUBLIC STATEMENT to 20 USE UNCONVENTIONAL MASS VIOLENCE."""

# CAMEO actor type and role codes (GDELT's CAMEO.type.txt), as found in Actor1Type1Code/Actor2Type1Code.
ACTOR_TYPES = frozenset(
    {
        "AGR", "AMN", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV", "GRP", "HLH", "HRI",
        "IGO", "IMG", "INS", "INT", "IRC", "JUD", "LAB", "LEG", "MED", "MIL", "MNC", "MOD", "NGM", "NGO",
        "OPP", "PKO", "RAD", "REB", "REF", "SEP", "SET", "SPY", "UAF", "UIS", "UNO",
    }
)  # fmt: skip


def root_codes(values: Iterable[str | int] | None) -> frozenset[str] | None:
    """Root codes as two-digit text ('4' and 4 become '04'); None keeps every root."""
    if values is None:
        return None
    roots = frozenset(str(value).strip().zfill(2) for value in _items(values))
    unknown = sorted(roots - ROOT_CODES)
    if unknown:
        raise InvalidImportOption(f"Unknown CAMEO root code(s) {unknown}: roots run from 01 to 20.")
    return roots or None


def actor_types(values: Iterable[str] | None) -> frozenset[str] | None:
    """CAMEO actor type codes in capitals; None keeps every actor."""
    if values is None:
        return None
    types = frozenset(str(value).strip().upper() for value in _items(values))
    unknown = sorted(types - ACTOR_TYPES)
    if unknown:
        raise InvalidImportOption(
            f"Unknown CAMEO actor type(s) {unknown}: use codes such as GOV, MIL, JUD, LEG, COP, SPY "
            f"(all: {', '.join(sorted(ACTOR_TYPES))})."
        )
    return types or None


def sector_names(values: Iterable[str] | None) -> frozenset[str] | None:
    """ICEWS sector names, compared without regard to case; None keeps every actor."""
    if values is None:
        return None
    sectors = frozenset(str(value).strip().casefold() for value in _items(values) if str(value).strip())
    return sectors or None


def at_least(value: int | str | None, name: str) -> int:
    """A non-negative whole number (0 when not given)."""
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise InvalidImportOption(f"{name} must be a whole number, not {value!r}.") from None
    if number < 0:
        raise InvalidImportOption(f"{name} must be 0 or more, not {number}.")
    return number


def _items(values: Iterable[str | int] | str | int) -> list[str | int]:
    """Accept a single value or a comma-separated string as well as a list ('GOV,MIL')."""
    if isinstance(values, (str, int)):
        values = [values]
    items: list[str | int] = []
    for value in values:
        if isinstance(value, str):
            items.extend(part for part in value.split(",") if part.strip())
        else:
            items.append(value)
    return items
