"""YAML in: a list of records (or a mapping with an `events` list), read item by item, safely.

The file streams through libyaml's parser (PyYAML's own when libyaml is absent); each item is composed
here, without recursion, and built with PyYAML's safe constructor. What makes an item its own error, at
its line, while the other items are still read: a tag the safe constructor does not know
(`!!python/object/apply`, a custom `!tag`), an alias to an anchor that encloses it (a self-reference),
an alias to an anchor that is not defined, nesting deeper than `MAX_NESTING`, an item that expands to more
than `MAX_YAML_VALUES` values through aliases (a "billion laughs"). YAML cannot be resynchronised after a
syntax error, a line or an item longer than `MAX_RECORD_BYTES` or text that is not UTF-8: reading stops
there with that error at its line, and the items before it are kept.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import yaml
from yaml import events, nodes

from detente.domain.errors import DetenteError

from .jsonl import RawLine
from .limits import MAX_NESTING, MAX_YAML_ANCHORED_CHARACTERS, MAX_YAML_ANCHORS, MAX_YAML_VALUES
from .source import Source, UnreadableFile
from .yaml_stream import CheckedLines

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_OPENERS = (events.SequenceStartEvent, events.MappingStartEvent)
_CLOSERS = (events.SequenceEndEvent, events.MappingEndEvent)


class _ItemError(Exception):
    pass


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
        self.anchors: dict[str, tuple[nodes.Node | None, int]] = {}
        self.last_end_line: int | None = None
        self.anchored_characters = 0
        self.in_mapping = False  # the list is the `events` of a mapping
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
        except _ItemError as error:
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
            return {key: _plain(item) for key, item in value.items()}
        except _ItemError as error:
            return DetenteError(str(error))

    def _compose_or_refuse(self) -> nodes.Node:
        try:
            return self.compose()
        except _ItemError as error:
            raise UnreadableFile(str(error)) from None

    def compose(self) -> nodes.Node:
        """The next node, built from the parser's events with a stack rather than recursion."""
        stack: list[list[Any]] = []  # open collections: [node, anchor, values counted]
        try:
            while True:
                event = self.loader.get_event()
                if isinstance(event, _OPENERS):
                    stack.append(self._opened(event))
                    if len(stack) > MAX_NESTING:
                        raise _ItemError(
                            f"nested deeper than {MAX_NESTING} levels of lists and mappings: a record needs 3"
                        )
                    continue
                if isinstance(event, events.AliasEvent):
                    node, size = self._alias(event.anchor)
                elif isinstance(event, events.ScalarEvent):
                    node, size = self._scalar(event), 1
                else:
                    node, anchor, size = stack.pop()
                    node.end_mark = event.end_mark
                    if isinstance(node, nodes.MappingNode):
                        node.value = list(zip(node.value[::2], node.value[1::2]))
                    self._define(anchor, node, size)
                if not stack:
                    return node
                stack[-1][0].value.append(node)
                stack[-1][2] += size
                if stack[-1][2] > MAX_YAML_VALUES:
                    raise _ItemError(
                        f"expands to more than {MAX_YAML_VALUES:,} values through its aliases (an alias bomb?): "
                        "write the values out, or use fewer aliases"
                    )
        except _ItemError:
            self._abandon(stack)
            raise

    def _opened(self, event: Any) -> list[Any]:
        kind = nodes.SequenceNode if isinstance(event, events.SequenceStartEvent) else nodes.MappingNode
        tag = event.tag if event.tag not in (None, "!") else self.loader.resolve(kind, None, event.implicit)
        self._define(event.anchor, None, 0)  # until it closes, an alias to it is a self-reference
        return [kind(tag, [], event.start_mark, None, flow_style=event.flow_style), event.anchor, 1]

    def _scalar(self, event: Any) -> nodes.ScalarNode:
        tag = event.tag
        if tag in (None, "!"):
            tag = self.loader.resolve(nodes.ScalarNode, event.value, event.implicit)
        node = nodes.ScalarNode(tag, event.value, event.start_mark, event.end_mark, style=event.style)
        self._define(event.anchor, node, 1)
        return node

    def _define(self, anchor: str | None, node: nodes.Node | None, size: int) -> None:
        if anchor is None:
            return
        if anchor not in self.anchors and len(self.anchors) >= MAX_YAML_ANCHORS:
            raise _ItemError(f"defines more than {MAX_YAML_ANCHORS:,} anchors in one file: write the values out")
        previous = self.anchors.get(anchor, (None, 0))[0]
        held = self.anchored_characters + _span(node) - _span(previous)
        if held > MAX_YAML_ANCHORED_CHARACTERS:
            raise _ItemError(
                f"its anchors and those before it hold more than {MAX_YAML_ANCHORED_CHARACTERS >> 20} Mi characters "
                "of values (each kept for the aliases that may follow): write the values out, or use fewer anchors"
            )
        self.anchored_characters = held
        self.anchors[anchor] = (node, size)

    def _alias(self, anchor: str) -> tuple[nodes.Node, int]:
        if anchor not in self.anchors:
            raise _ItemError(
                f"uses the alias *{anchor}, but no anchor &{anchor} is defined before it (or its item was rejected)"
            )
        node, size = self.anchors[anchor]
        if node is None:
            raise _ItemError(
                f"the alias *{anchor} is inside the anchor &{anchor} it refers to: a value cannot contain itself"
            )
        return node, size

    def _abandon(self, stack: list[list[Any]]) -> None:
        """Forget the anchors of the collections left open and skip the rest of the item's events."""
        for _, anchor, _ in stack:
            if anchor in self.anchors:
                self.anchored_characters -= _span(self.anchors.pop(anchor)[0])
        depth = len(stack)
        while depth:
            event = self.loader.get_event()
            depth += isinstance(event, _OPENERS) - isinstance(event, _CLOSERS)


def _span(node: nodes.Node | None) -> int:
    """How many characters of the file a (closed) node spans; an open one holds nothing yet."""
    if node is None or node.end_mark is None:
        return 0
    return int(node.end_mark.index - node.start_mark.index)


def _plain(value: Any) -> Any:
    """The interchange form of a YAML value: YAML reads 2024-06-17 as a date and 2024 as a number, the
    interchange format wants text; what JSON cannot hold (sets, bytes, NaN) is refused."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise _ItemError(
                f"holds {value}, which is not a number a record can hold: write it as text or leave it out"
            )
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    raise _ItemError(
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
