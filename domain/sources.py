"""Where an event's record comes from, and how firmly it is attributed."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from enum import Enum
from typing import Any

from .dates import parse_moment
from .errors import InvalidEvent, MalformedDate, MalformedDateTime


class Status(str, Enum):
    """How the record attributes the event: as fact, or as somebody's claim."""

    REPORTED = "reported"
    CONFIRMED = "confirmed"
    ALLEGED = "alleged"
    DENIED = "denied"


STATUSES = [status.value for status in Status]
CLAIM_STATUSES = {Status.ALLEGED.value, Status.DENIED.value}
ATTESTED_STATUSES = (Status.REPORTED.value, Status.CONFIRMED.value)
"""The statuses of what a source states as fact (not a claim): what `--confirmed-only` keeps."""


@dataclass(frozen=True)
class Source:
    """A document that reports the event. Every field is optional; `published` is when the world
    could first read it (a date, or an ISO date-time), which makes it the event's knowledge time."""

    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    language: str | None = None
    published: str | None = None

    def __post_init__(self) -> None:
        moment = None
        if self.published is not None:
            try:
                moment = parse_moment(self.published, end_of_period=False)
            except (MalformedDate, MalformedDateTime) as error:
                reason = "it lies outside the years 0001–9999 in UTC" if "outside" in str(error) else "it is malformed"
                raise InvalidEvent(
                    f"Source published date {self.published[:80]!r}: {reason}; write YYYY-MM-DD or an "
                    "ISO date-time."
                ) from None
        # Kept from the check above: every fact derived from the event asks for it again.
        self.__dict__["_published_at"] = moment

    @property
    def published_at(self) -> datetime | None:
        """The start of the publication day (or the exact moment, when one is given), in UTC."""
        return self.__dict__["_published_at"]

    def as_dict(self) -> dict[str, str]:
        return {name: value for name in SOURCE_FIELDS if (value := getattr(self, name)) is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Source:
        unknown = set(data) - {"title", "url", "publisher", "language", "published"}
        if unknown:
            raise InvalidEvent(
                f"Unknown source field(s) {sorted(unknown)}: a source has title, url, publisher, "
                "language and published."
            )
        values = {key: (str(value) if value is not None else None) for key, value in data.items()}
        return cls(**values)


SOURCE_FIELDS = tuple(field.name for field in fields(Source))


def first_published(sources: tuple[Source, ...]) -> datetime | None:
    """The earliest publication moment among the sources, if any is dated."""
    moments = [moment for source in sources if (moment := source.published_at) is not None]
    return min(moments) if moments else None
