"""Parameter types: dates with precision, moments on the knowledge clock, countries by code or name.

Each parses with the domain's own parser and reports a bad value through `self.fail()`, so it is a usage
error (exit 2) that says what to write instead. The domain is imported on first use, not at start-up.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date, datetime, timezone
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


EARLIEST_MOMENT = datetime.min.replace(tzinfo=timezone.utc)
LATEST_MOMENT = datetime.max.replace(tzinfo=timezone.utc)


class MomentType(click.ParamType):
    """A moment: a date (standing for the end of that day, month or year) or an ISO date-time.

    A moment past either end of the calendar (the end of 9999-12-31, or 0001-01-01T00:00+14:00, which is
    in year 0 in UTC) is read as that end: nothing is known or recorded beyond it, so the answer is the same.
    With `as_text`, the value is checked and kept as written (a source's publication date), and such a
    moment is refused."""

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
        except MalformedDateTime as error:
            if self.as_text or not error.out_of_range:
                self.fail(str(error), param, ctx)
            moment = LATEST_MOMENT if str(value).strip()[:4] >= "5000" else EARLIEST_MOMENT
        except MalformedDate as error:
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


class EventTypeType(click.ParamType):
    """An event type's name in the interchange format (visit-held, sanction-imposed, cameo, ...); the
    annotations (a correction, a retraction) have commands of their own."""

    name = "type"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from detente.domain.events import EVENT_TYPES, EventCorrected, EventRetracted

        event_class = EVENT_TYPES.get(value)
        if event_class is not None and event_class.IS_ANNOTATION:
            command = {EventCorrected: "correct", EventRetracted: "retract"}.get(event_class)
            made_by = f"`detente {command}`; use that command" if command else "another command, not `detente record`"
            self.fail(f"{value} records are made by {made_by}.", param, ctx)
        if event_class is not None:
            return value
        known = [name for name, event_class in EVENT_TYPES.items() if not event_class.IS_ANNOTATION]
        self.fail(f"Unknown event type {value!r}. Known types: {', '.join(known)}.", param, ctx)


class HalfLifeType(click.ParamType):
    """A half-life in days: a finite number above zero."""

    name = "days"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            days = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of days.", param, ctx)
        if not math.isfinite(days) or days <= 0:
            self.fail(f"{value!r} is not a half-life: give a number of days above 0, such as 180.", param, ctx)
        return days


def check_pair(ctx: click.Context, param: click.Parameter, b: Any) -> Any:
    """The second country of a pair must differ from the first: a self-pair is a usage error."""
    a = ctx.params.get("a")
    if a is not None and b is not None and a.code == b.code:
        raise click.BadParameter(f"{a.code} cannot act on itself: a pair needs two different countries.", ctx, param)
    return b


def check_other_pair(ctx: click.Context, param: click.Parameter, pair: Any) -> Any:
    """An option naming a second pair (chart --vs C D) must name two different countries too."""
    if pair and pair[0].code == pair[1].code:
        raise click.BadParameter(f"{pair[0].code} cannot act on itself: a pair needs two different countries.", ctx, param)
    return pair


def check_span(start: Any, end: Any, *, one_day: bool = True, today: date | None = None) -> None:
    """--from must not be after --to (or after today, when --to is not given); nor the same day, unless
    `one_day` (a chart needs a span to draw)."""
    if not one_day and end is not None and end.last_day == date.min:
        raise click.UsageError(f"--to {end} is the calendar's first day: there is no span before it to draw.")
    if start is None:
        return
    last = end.last_day if end is not None else (today or datetime.now(timezone.utc).date())
    to = f"--to {end}" if end is not None else f"today ({last})"
    if start.first_day > last:
        raise click.UsageError(f"--from {start} is after {to}: give the earlier date with --from.")
    if start.first_day == last and not one_day:
        raise click.UsageError(f"--from {start} and {to} are one day: give a span of two days or more.")


DATE = DateType()
MOMENT = MomentType()
PUBLISHED = MomentType(as_text=True)
COUNTRY = CountryType()
HALF_LIFE = HalfLifeType()
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
            type=HALF_LIFE,
            default=DEFAULT_HALF_LIFE_DAYS,
            show_default=True,
            metavar="DAYS",
            help="Days for an event's weight to halve.",
        ),
    )(wrapper)
