"""YAML in: a list of records (or a mapping with an `events` list), read item by item, safely.

The file streams through libyaml's parser (PyYAML's own when libyaml is absent), fed checked lines
(`yaml_stream`); each item is composed by `yaml_composer`, without recursion and within bounds, and built
with PyYAML's safe constructor. What makes an item its own error, at
its line, while the other items are still read: a tag the safe constructor does not know
(`!!python/object/apply`, a custom `!tag`), an alias to an anchor that encloses it (a self-reference),
an alias to an anchor that is not defined, nesting deeper than `MAX_NESTING`, an item that expands to more
than `MAX_YAML_VALUES` values through aliases (a "billion laughs"). YAML cannot be resynchronised after a
syntax error, a line or an item longer than `MAX_RECORD_BYTES` or text that is not UTF-8: reading stops
there with that error at its line, and the items before it are kept. A second document in the file is
reported, not dropped.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any

import yaml
from yaml import events, nodes

from detente.domain.errors import DetenteError

from .jsonl import RawLine
from .source import Source, UnreadableFile
from .yaml_composer import Composer, ItemError
from .yaml_stream import CheckedLines

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def read_yaml(source: Source) -> Iterator[RawLine]:
    stream = CheckedLines(source)
    items = _Items(Loader(stream), stream, offset=source.first_line - 1)
    try:
        yield from _read_items(items)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        number = mark.line + 1 + items.offset if mark is not None else stream.line
        if stream.failure is None or number < stream.failure[0]:
            yield (
                number,
                DetenteError(f"{_problem(error)}: nothing from this line on was read; fix it and import again"),
            )
            return
    except UnreadableFile as error:
        yield stream.line, DetenteError(str(error))
        return
    finally:
        items.loader.dispose()
    if stream.failure is not None:
        yield stream.failure


def _read_items(items: _Items) -> Iterator[RawLine]:
    """The items in order; one that reaches the line where the stream failed may be cut short: not given."""
    if not items.open_dataset():
        return
    while not items.loader.check_event(events.SequenceEndEvent):
        number = items.line_of_next()
        value = items.next_item()
        failure = items.stream.failure
        if failure is not None and items.last_end_line is not None and items.last_end_line >= failure[0]:
            return
        yield number, value
    second = items.close_dataset()
    if second is not None:
        yield (
            second,
            DetenteError(
                "a second YAML document starts here, and detente reads one list of records a file: "
                "join the lists (or split the file) and import again"
            ),
        )


class _Items:
    """The dataset's items, composed one at a time from the parser's events; anchors are file-wide."""

    def __init__(self, loader: Any, stream: CheckedLines, offset: int) -> None:
        self.loader, self.stream, self.offset = loader, stream, offset
        self.compose = Composer(loader).compose
        self.in_mapping = False  # the list is the `events` of a mapping
        self.last_end_line: int | None = None
        """The line where the last item composed ends (None after an item rejected while composing)."""

    def line_of_next(self) -> int:
        number = self.loader.peek_event().start_mark.line + 1 + self.offset
        self.stream.item_start = (number, self.stream.served)
        return number

    def open_dataset(self) -> bool:
        """Move into the list of records; False for an empty file."""
        self.loader.get_event()  # the stream's start
        if self.loader.check_event(events.StreamEndEvent):
            return False
        self.loader.get_event()  # the document's start
        if self.loader.check_event(events.SequenceStartEvent):
            self.loader.get_event()
            return True
        if self.loader.check_event(events.ScalarEvent) and self.loader.peek_event().value in ("", "~", "null"):
            return False
        if self.loader.check_event(events.MappingStartEvent):
            self.loader.get_event()
            while not self.loader.check_event(events.MappingEndEvent):
                self.line_of_next()
                key = self._compose_or_refuse()
                if isinstance(key, nodes.ScalarNode) and key.value == "events":
                    if self.loader.check_event(events.SequenceStartEvent):
                        self.loader.get_event()
                        self.in_mapping = True
                        return True
                    break
                self._compose_or_refuse()
        raise UnreadableFile("a YAML dataset is a list of records, or a mapping with an `events` list")

    def close_dataset(self) -> int | None:
        """Read past the end of the list (and of its mapping); the line of a second document, if any."""
        self.loader.get_event()  # the list's end
        if self.in_mapping:
            while not self.loader.check_event(events.MappingEndEvent):
                self.line_of_next()
                self._compose_or_refuse()
            self.loader.get_event()
        self.loader.get_event()  # the document's end
        if self.loader.check_event(events.DocumentStartEvent):
            return int(self.loader.peek_event().start_mark.line) + 1 + self.offset
        return None

    def next_item(self) -> dict[str, Any] | DetenteError:
        self.last_end_line = None
        try:
            node = self.compose()
        except ItemError as error:
            return DetenteError(str(error))
        self.last_end_line = node.end_mark.line + 1 + self.offset
        try:
            value = self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            return DetenteError(
                f"{error.problem}: detente reads only plain YAML values (text, numbers, dates, lists, mappings), "
                "no tags such as !!python/... or !custom; remove the tag"
            )
        except (ValueError, OverflowError) as error:
            return DetenteError(f"holds a value YAML cannot read ({error}): quote it to keep it as text")
        finally:
            self.loader.constructed_objects, self.loader.recursive_objects = {}, {}
        if not isinstance(value, dict):
            return DetenteError("each item must be a mapping of fields")
        try:
            return {key: _from_yaml(item) for key, item in value.items()}
        except ItemError as error:
            return DetenteError(str(error))

    def _compose_or_refuse(self) -> nodes.Node:
        try:
            return self.compose()
        except ItemError as error:
            raise UnreadableFile(str(error)) from None


def _from_yaml(value: Any) -> Any:
    """The interchange form of a YAML value: YAML reads 2024-06-17 as a date and 2024 as a number, the
    interchange format wants text; what JSON cannot hold (sets, bytes, NaN) is refused."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        if _LONE_SURROGATE.search(value):
            raise ItemError("holds a lone surrogate escape (such as \\ud800), which is not text: fix or remove it")
        return value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ItemError(f"holds {value}, which is not a number a record can hold: write it as text or leave it out")
        return value
    if isinstance(value, (list, tuple)):
        return [_from_yaml(item) for item in value]
    if isinstance(value, dict):
        return {key: _from_yaml(item) for key, item in value.items()}
    raise ItemError(
        f"holds a {type(value).__name__}, which a record cannot hold: use text, numbers, lists and mappings"
    )


def _problem(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError):
        text = " ".join(part for part in (error.context, error.problem) if part)
    else:
        text = str(error).splitlines()[0]
    if "utf-8" in text.lower() or "octet" in text.lower():
        return "not UTF-8: re-save the file as UTF-8"
    return f"not valid YAML ({text})"
