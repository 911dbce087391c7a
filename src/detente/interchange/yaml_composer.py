"""Composing YAML nodes from the parser's events, one item at a time, within bounds.

PyYAML's own composer recurses (deep nesting is a RecursionError) and expands aliases without limit (a
"billion laughs"); this one keeps a stack, and counts: nesting up to `MAX_NESTING`, the values an item
expands to through aliases up to `MAX_YAML_VALUES`, anchors up to `MAX_YAML_ANCHORS` spanning up to
`MAX_YAML_ANCHORED_CHARACTERS` of the file (anchors are file-wide: they live while the file is read). An
alias to an anchor still open is a self-reference. Each breach is an `ItemError`, after which the rest of
the item's events are skipped, so that the next item can be read.
"""

from __future__ import annotations

from typing import Any

from yaml import events, nodes

from .limits import MAX_NESTING, MAX_YAML_ANCHORED_CHARACTERS, MAX_YAML_ANCHORS, MAX_YAML_VALUES

_OPENERS = (events.SequenceStartEvent, events.MappingStartEvent)
_CLOSERS = (events.SequenceEndEvent, events.MappingEndEvent)


class ItemError(Exception):
    """What makes one item unreadable; its message says what to do."""


class Composer:
    """Nodes from a loader's events; the anchors defined so far in the file, with what they hold."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.anchors: dict[str, tuple[nodes.Node | None, int]] = {}
        self.anchored_characters = 0

    def compose(self) -> nodes.Node:
        """The next node, built from the parser's events with a stack rather than recursion."""
        stack: list[list[Any]] = []  # open collections: [node, anchor, values counted]
        try:
            while True:
                event = self.loader.get_event()
                if isinstance(event, _OPENERS):
                    stack.append(self._opened(event))
                    if len(stack) > MAX_NESTING:
                        raise ItemError(
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
                    raise ItemError(
                        f"expands to more than {MAX_YAML_VALUES:,} values through its aliases (an alias bomb?): "
                        "write the values out, or use fewer aliases"
                    )
        except ItemError:
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
            raise ItemError(f"defines more than {MAX_YAML_ANCHORS:,} anchors in one file: write the values out")
        previous = self.anchors.get(anchor, (None, 0))[0]
        held = self.anchored_characters + _span(node) - _span(previous)
        if held > MAX_YAML_ANCHORED_CHARACTERS:
            raise ItemError(
                f"its anchors and those before it hold more than {MAX_YAML_ANCHORED_CHARACTERS >> 20} Mi characters "
                "of values (each kept for the aliases that may follow): write the values out, or use fewer anchors"
            )
        self.anchored_characters = held
        self.anchors[anchor] = (node, size)

    def _alias(self, anchor: str) -> tuple[nodes.Node, int]:
        if anchor not in self.anchors:
            raise ItemError(
                f"uses the alias *{anchor}, but no anchor &{anchor} is defined before it (or its item was rejected)"
            )
        node, size = self.anchors[anchor]
        if node is None:
            raise ItemError(
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
