"""JSON Lines in: one object a line, each checked for what JSON allows and a record cannot hold.

Refused, each as the line's own error: NaN and Infinity (not JSON), numbers too large to be finite or
longer than `MAX_DIGITS` digits, nesting deeper than `MAX_NESTING`, and a lone surrogate escape such as
`"\\ud800"` (valid JSON, but no text: it could not be stored).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from typing import Any

from detente.domain.errors import DetenteError

from .lines import numbered_lines
from .limits import MAX_DIGITS, MAX_NESTING
from .source import Source

RawLine = tuple[int, Any]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


class _Refused(ValueError):
    """Raised from inside json.loads by the number and constant hooks."""


def read_jsonl(source: Source) -> Iterator[RawLine]:
    for number, line in numbered_lines(source):
        if isinstance(line, DetenteError):
            yield number, line
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            yield number, not_utf8()
            continue
        yield number, parsed_object(text, line)


def not_utf8() -> DetenteError:
    return DetenteError("not UTF-8: re-save the file as UTF-8 (or fix this line) and import again")


def parsed_object(text: str, raw: bytes) -> dict[str, Any] | DetenteError:
    """The line's object, or why it is not one a record can be made of."""
    try:
        value = json_value(text, raw)
    except json.JSONDecodeError as error:
        return DetenteError(f"not valid JSON ({error.msg} at column {error.colno}); is the line truncated?")
    except DetenteError as error:
        return error
    if not isinstance(value, dict):
        return DetenteError("each line must be a JSON object")
    return value


def json_value(text: str, raw: bytes | None = None) -> Any:
    """The JSON value of `text` (whose UTF-8 is `raw`), refused with a DetenteError if a record could not
    hold it; malformed JSON raises json.JSONDecodeError."""
    raw = text.encode("utf-8", "surrogatepass") if raw is None else raw
    try:
        value = _DECODER.decode(text)
    except _Refused as error:
        raise DetenteError(str(error)) from None
    except RecursionError:
        raise _too_deep() from None
    if raw.count(b"[") + raw.count(b"{") > MAX_NESTING and _depth(value) > MAX_NESTING:
        raise _too_deep()
    if _SURROGATE_ESCAPE.search(raw) and _holds_lone_surrogate(value):
        raise DetenteError(
            "holds a lone surrogate escape (such as \\ud800), which is not text: fix the escape (a character "
            "outside the basic plane is written as a pair, \\ud83d\\ude00) or remove it"
        )
    return value


def _constant(name: str) -> Any:
    raise _Refused(f"{name} is not a number JSON allows: write the value as text, or leave the field out")


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_DIGITS:
        raise _Refused(f"holds a number of {len(digits)} digits (at most {MAX_DIGITS}): is it a value at all?")
    return int(digits)


def _real(digits: str) -> float:
    value = float(digits)
    if not math.isfinite(value) or len(digits) > MAX_DIGITS:
        raise _Refused(f"holds a number too large or too long to be read ({digits[:40]}…): write it as text")
    return value


_DECODER = json.JSONDecoder(parse_constant=_constant, parse_int=_integer, parse_float=_real)


def _too_deep() -> DetenteError:
    return DetenteError(f"nested deeper than {MAX_NESTING} levels of lists and objects: a record needs 3")


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [*value.keys(), *value.values()]
    return list(value) if isinstance(value, list) else []


def _depth(value: Any) -> int:
    deepest, level = 0, [value]
    while level:
        deepest += 1
        level = [child for item in level for child in _children(item) if isinstance(child, (dict, list))]
    return deepest


def _holds_lone_surrogate(value: Any) -> bool:
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str) and _LONE_SURROGATE.search(item):
            return True
        pending.extend(_children(item))
    return False
