"""Parameter types: dates with precision, moments on the knowledge clock, countries by code or name.

Each parses with the domain's own parser and reports a bad value through `self.fail()`, so it is a usage
error (exit 2) that says what to write instead. The domain is imported on first use, not at start-up.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

import click

from detente.projections.scoring import DEFAULT_HALF_LIFE_DAYS

Decorator = Callable[[Any], Any]


def stacked(*decorators: Decorator) -> Decorator:
    """Several click options (or arguments) as one decorator, listed in the order they are shown."""

    def apply(command: Any) -> Any:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command

    return apply


class DateType(click.ParamType):
    """A real-world date: YYYY, YYYY-MM or YYYY-MM-DD (a PartialDate)."""

    name = "date"

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "YYYY[-MM[-DD]]"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from detente.domain.dates import PartialDate
        from detente.domain.errors import MalformedDate

        try:
            return PartialDate.parse(value)
        except MalformedDate as error:
            self.fail(str(error), param, ctx)


class MomentType(click.ParamType):
    """A moment: a date (standing for the end of that day, month or year) or an ISO date-time.

    With `as_text`, the value is checked and kept as written (a source's publication date)."""

    name = "moment"

    def __init__(self, as_text: bool = False) -> None:
        self.as_text = as_text

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "DATE|DATETIME"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from detente.domain.dates import parse_moment
        from detente.domain.errors import MalformedDate, MalformedDateTime

        try:
            moment = parse_moment(value)
        except (MalformedDate, MalformedDateTime) as error:
            self.fail(str(error), param, ctx)
        return str(value).strip() if self.as_text else moment


class CountryType(click.ParamType):
    """A country or organisation by code (RUS, ru) or name (Russia, North Korea); an Actor."""

    name = "country"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from detente.domain.actors import Actor
        from detente.domain.errors import UnknownActor

        try:
            return Actor.resolve(value)
        except UnknownActor as error:
            self.fail(str(error), param, ctx)


ANNOTATIONS = {"event-corrected": "correct", "event-retracted": "retract"}


class EventTypeType(click.ParamType):
    """An event type's name in the interchange format (visit-held, sanction-imposed, cameo, ...)."""

    name = "type"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from detente.domain.events import EVENT_TYPES

        if value in ANNOTATIONS:
            self.fail(f"{value} records are made by `detente {ANNOTATIONS[value]}`; use that command.", param, ctx)
        if value in EVENT_TYPES:
            return value
        known = [name for name in EVENT_TYPES if name not in ANNOTATIONS]
        self.fail(f"Unknown event type {value!r}. Known types: {', '.join(known)}.", param, ctx)


DATE = DateType()
MOMENT = MomentType()
PUBLISHED = MomentType(as_text=True)
COUNTRY = CountryType()
EVENT_TYPE = EventTypeType()


def knowledge_options(command: Any) -> Any:
    """--known-at, --recorded-by, --confirmed-only and --half-life, passed on together as `clocks`."""

    def wrapper(*args: Any, known_at: Any, recorded_by: Any, confirmed_only: bool, half_life_days: float, **kwargs: Any) -> Any:
        clocks = {"known_at": known_at, "recorded_by": recorded_by, "confirmed_only": confirmed_only, "half_life_days": half_life_days}
        return command(*args, clocks=clocks, **kwargs)

    update_wrapper(wrapper, command)
    return stacked(
        click.option("--known-at", type=MOMENT, help="As the world knew it at this moment: sources published by then."),
        click.option("--recorded-by", type=MOMENT, help="As this store held it at this moment: records entered by then."),
        click.option("--confirmed-only", is_flag=True, help="Count reported and confirmed events only, not claims."),
        click.option(
            "--half-life",
            "half_life_days",
            type=click.FloatRange(min=0, min_open=True),
            default=DEFAULT_HALF_LIFE_DAYS,
            show_default=True,
            metavar="DAYS",
            help="Days for an event's weight to halve.",
        ),
    )(wrapper)
