"""The limits every import obeys, whatever the file holds, and the clipping of values echoed in messages.

A file is read in chunks of `CHUNK_BYTES`; a line (a record, for YAML and for a CSV row spanning lines)
longer than `MAX_RECORD_BYTES` is reported and skipped without being held in memory. Nesting deeper than
`MAX_NESTING` and YAML aliases that expand past `MAX_YAML_VALUES` values are per-record errors. With these
limits an import's peak memory stays under `MEMORY_BOUND_MIB` (measured, see README "Limits").
"""

from __future__ import annotations

MAX_RECORD_BYTES = 1 << 20
"""1 MiB: the longest line (JSON Lines, CSV, GDELT, ICEWS) or record (YAML item, multi-line CSV row) read."""

CHUNK_BYTES = 1 << 20
"""How much is read from a file at a time."""

MAX_NESTING = 32
"""The deepest nesting of lists and mappings in one record (records need 3: sources → source → field)."""

MAX_DIGITS = 100
"""The longest number (in digits) a JSON line may hold; Python refuses to convert more than 4,300 anyway."""

MAX_YAML_VALUES = 100_000
"""How many values one YAML item may expand to, counting each use of an alias (a "billion laughs" stops here)."""

MAX_YAML_ANCHORS = 10_000
"""How many anchors one YAML file may define."""

MAX_YAML_ANCHORED_CHARACTERS = 16 << 20
"""How much of a YAML file (in characters) its anchored values may span: they are kept for later aliases."""

MEMORY_BOUND_MIB = 300
"""The peak memory (resident set) of an import, whatever the file (measured on hostile files)."""

ECHOED_CHARACTERS = 200
"""The most characters of a rejected value that a message repeats."""

KEPT_REJECTIONS = 10_000
"""How many rejected rows an import keeps the message of; the others are only counted."""

MESSAGE_CHARACTERS = 600
"""The longest message reported for one row; longer ones keep their start and their end (the advice)."""


def clipped(value: object, limit: int = ECHOED_CHARACTERS) -> str:
    """`repr(value)`, shortened to about `limit` characters with an ellipsis, for echoing in a message."""
    if isinstance(value, str) and len(value) > limit:
        quoted = repr(value[:limit])
        return f"{quoted[:-1]}…{quoted[-1]}"
    text = repr(value)
    return text if len(text) <= limit + 2 else f"{text[:limit]}…"


def clipped_message(message: str, limit: int = MESSAGE_CHARACTERS) -> str:
    """A message shortened to `limit` characters: its start and its end, with what was left out counted."""
    if len(message) <= limit:
        return message
    keep = limit // 2
    left_out = len(message) - 2 * keep
    return f"{message[:keep]} … ({left_out} characters left out) … {message[-keep:]}"
