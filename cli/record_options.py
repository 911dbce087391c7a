"""`detente record`'s options for the event types' own fields, made from the event classes.

A new event type is one class in `domain/events.py`: its fields become options here (`--ended-on` for
`ended_on`), with the class's `FIELD_HELP` as their help and a date's parser for a `PartialDate` field,
and `TYPE` lists it. Options and help are made when `record` is first parsed or asked for its help, not
when the `detente` group is built, so that `detente --help` does not import the domain.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from detente.domain.pair_event import PairEvent

TYPES_MARK = "{types}"
"""Where in the command's docstring the generated list of event types goes."""


@dataclass(frozen=True)
class FieldOption:
    """One type-specific field as an option: its name, whether it takes a date, and its help."""

    name: str
    is_date: bool
    help: str

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


def recorded_by_hand(event_types: Mapping[str, type[PairEvent]]) -> dict[str, type[PairEvent]]:
    """The types `detente record` takes: all but the annotations, which `correct` and `retract` make."""
    return {name: event_class for name, event_class in event_types.items() if not event_class.IS_ANNOTATION}


def field_options(event_types: Mapping[str, type[PairEvent]]) -> list[FieldOption]:
    """An option for each field the hand-recorded types add to the common ones (leaving out the fields only
    importers fill), in the order the catalogue first declares them; its help names the types that have the
    field, then what it holds."""
    from detente.domain.pair_event import specific_fields
    from detente.domain.validation import typed_fields

    types_of: dict[str, list[str]] = {}
    helps: dict[str, str] = {}
    dates: dict[str, bool] = {}
    for type_name, event_class in recorded_by_hand(event_types).items():
        declared = dict(typed_fields(event_class))
        for name in specific_fields(event_class):
            if name in event_class.MACHINE_FIELDS:
                continue
            types_of.setdefault(name, []).append(type_name)
            dates.setdefault(name, "PartialDate" in declared[name])
            if name in event_class.FIELD_HELP:
                helps.setdefault(name, event_class.FIELD_HELP[name])
    return [
        FieldOption(name, dates[name], f"{', '.join(types)}: {helps.get(name, name.replace('_', ' '))}.")
        for name, types in types_of.items()
    ]


def type_list(event_types: Mapping[str, type[PairEvent]], width: int = 72) -> str:
    """The names `record` takes, wrapped, as its help lists them."""
    return "\n".join(textwrap.wrap(", ".join(recorded_by_hand(event_types)) + ".", width, break_on_hyphens=False))


class RecordCommand(click.Command):
    """A command with options made on first use: `make_options()` gives them, and they stand after the
    parameter named `after`. Whatever asks for the parameters (parsing, help, completion) makes them;
    `detente --help`, which shows only the command's first line, does not. The docstring's TYPES_MARK
    becomes `describe_types()` when the help is shown."""

    def __init__(
        self,
        *args: Any,
        make_options: Callable[[], list[click.Parameter]],
        after: str,
        describe_types: Callable[[], str],
        **kwargs: Any,
    ) -> None:
        self._make_options: Callable[[], list[click.Parameter]] | None = make_options
        self._after = after
        self._describe_types = describe_types
        super().__init__(*args, **kwargs)

    @property  # type: ignore[override]
    def params(self) -> list[click.Parameter]:
        if self._make_options is not None:
            make, self._make_options = self._make_options, None
            at = next(i for i, param in enumerate(self._params) if param.name == self._after) + 1
            self._params[at:at] = make()
        return self._params

    @params.setter
    def params(self, value: list[click.Parameter]) -> None:
        self._params = value

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        written = self.help
        if written and TYPES_MARK in written:
            lines = []
            for line in inspect.cleandoc(written).splitlines():
                indent = line[: len(line) - len(line.lstrip())]
                described = self._describe_types().splitlines() if TYPES_MARK in line else [line.strip()]
                lines.extend(indent + part for part in described)
            self.help = "\n".join(lines)
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = written
