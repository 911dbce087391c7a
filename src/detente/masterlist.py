"""GDELT 2.0's `masterfilelist.txt`: every 15-minute file GDELT has published, one per line.

Each line is `SIZE MD5 URL` (bytes, hex digest, address), e.g.

    150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip

The list is in time order and holds the events exports (`.export.CSV.zip`), the mentions and the GKG of
each quarter hour; a sync takes the events exports whose time (the 14 digits that begin the file name,
UTC) lies in its span, ends included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from detente.domain.errors import DetenteError

MASTER_LIST = "masterfilelist.txt"
EXPORT_SUFFIX = ".export.CSV.zip"
_LINE = re.compile(r"^(\d+) ([0-9a-fA-F]{32}) (\S+)$")


class BadSpan(DetenteError):
    """A --from/--to that is not a date or an ISO date-time, or a span that ends before it starts."""


@dataclass(frozen=True)
class ListedFile:
    size: int
    md5: str
    url: str

    @property
    def name(self) -> str:
        """The file name, by which it is fetched from the base URL (so a mirror need not rewrite the list)."""
        return self.url.rsplit("/", 1)[-1]

    @property
    def moment(self) -> datetime | None:
        """The quarter hour the file covers, from its name; None if the name does not start with one."""
        try:
            return datetime.strptime(self.name[:14], "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
        except ValueError:
            return None


def parse(line: str) -> ListedFile | None:
    """One line of the list; None for a line that is not `SIZE MD5 URL` (GDELT's list has a few)."""
    match = _LINE.match(line.strip())
    if match is None:
        return None
    return ListedFile(int(match.group(1)), match.group(2).lower(), match.group(3))


def exports_between(lines: Iterable[str], start: datetime, end: datetime) -> list[ListedFile]:
    """The events exports of the list whose time is in [start, end], in the list's order, each once."""
    chosen: dict[str, ListedFile] = {}
    for line in lines:
        listed = parse(line)
        if listed is None or not listed.name.endswith(EXPORT_SUFFIX):
            continue
        moment = listed.moment
        if moment is not None and start <= moment <= end:
            chosen.setdefault(listed.name, listed)
    return list(chosen.values())


def last_moment(lines: Iterable[str]) -> datetime | None:
    """The latest time the list covers (to tell whether a cached copy covers a span)."""
    latest = None
    for line in lines:
        listed = parse(line)
        moment = listed.moment if listed else None
        if moment is not None and (latest is None or moment > latest):
            latest = moment
    return latest


def span(start: str, end: str) -> tuple[datetime, datetime]:
    """--from and --to as UTC moments; a date covers its whole day, so --from D --to D is that day."""
    first, last = moment_of(start, end_of_day=False), moment_of(end, end_of_day=True)
    if last < first:
        raise BadSpan(f"--to {end} is before --from {start}: give the earlier moment first.")
    return first, last


def moment_of(text: str, *, end_of_day: bool) -> datetime:
    """A date (its first or last second) or an ISO date-time (UTC unless it says otherwise)."""
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time(23, 59, 59) if end_of_day else time(0, 0))
            return moment.replace(tzinfo=timezone.utc)
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadSpan(
            f"{text!r} is neither a date (2019-10-24) nor an ISO date-time (2019-10-24T14:30:00, UTC): check it."
        ) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)

