"""Named errors for every rule the domain enforces.

Each message says what was wrong and what to do about it; the CLI shows it as it is.
"""

from __future__ import annotations


class DetenteError(Exception):
    """Base class of every error detente raises on purpose."""


class UnknownActor(DetenteError):
    def __init__(self, name: str, suggestions: list[str]) -> None:
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"Unknown country or organisation {name!r}.{hint} "
            "Use an ISO 3166 alpha-3 code (e.g. RUS), a country name, or one of the listed organisations."
        )
        self.name = name
        self.suggestions = suggestions


class MalformedDate(DetenteError):
    def __init__(self, text: str, reason: str = "") -> None:
        extra = f" ({reason})" if reason else ""
        super().__init__(f"Malformed date {text[:80]!r}{extra}: write YYYY, YYYY-MM or YYYY-MM-DD.")
        self.text = text


class MalformedDateTime(DetenteError):
    def __init__(self, text: str, reason: str = "", *, out_of_range: bool = False) -> None:
        self.out_of_range = out_of_range
        """A well-formed moment that has no UTC equivalent inside the years 0001-9999."""
        extra = f" ({reason})" if reason else ""
        super().__init__(
            f"Malformed moment {text[:80]!r}{extra}: write YYYY, YYYY-MM, YYYY-MM-DD or an ISO date-time "
            "such as 2024-06-17T09:30:00+00:00 (or ...Z)."
        )


class InvalidEvent(DetenteError):
    """An event that cannot be recorded as given."""


class UnstorableValue(InvalidEvent):
    """A value no store could hold and give back: too long for its column, a NUL, text that is not valid
    Unicode, a number JSON cannot write. The same limits on SQLite and PostgreSQL (domain.validation)."""


class SelfPair(InvalidEvent):
    def __init__(self, actor: str) -> None:
        super().__init__(f"{actor} cannot act on itself: a pair needs two distinct actors.")


class UnknownEventType(InvalidEvent):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(f"Unknown event type {name!r}. Known types: {', '.join(known)}.")


class UnknownCameoCode(InvalidEvent):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"Unknown CAMEO event code {code!r}: use a code from the CAMEO 1.1b3 table, as text "
            "with its leading zero (e.g. '042')."
        )


class InvalidStatus(InvalidEvent):
    def __init__(self, status: str, allowed: list[str]) -> None:
        super().__init__(f"Unknown attribution status {status!r}; use one of: {', '.join(allowed)}.")


class MissingClaimant(InvalidEvent):
    def __init__(self, status: str) -> None:
        super().__init__(f"An event whose status is {status!r} must say who: give claimed_by.")


class DatedInTheFuture(InvalidEvent):
    def __init__(self, record_id: str, occurred: str, today: str) -> None:
        super().__init__(
            f"Event {record_id!r} is dated {occurred}, after today ({today}). Only an announced "
            "visit may lie in the future, and only through its planned date."
        )


class DuplicateEventId(InvalidEvent):
    def __init__(self, record_id: str, where: str) -> None:
        super().__init__(f"Event id {record_id!r} is already used by {where}; choose another id.")


class ConflictingRecord(InvalidEvent):
    def __init__(self, record_id: str, where: str) -> None:
        super().__init__(
            f"Record id {record_id!r} is already stored as {where}, which says something else (another date, "
            "actor, type or field). If this record corrects it, record an event-corrected that refers to it; "
            "if it is another act, give it another id."
        )


class UnknownReference(InvalidEvent):
    def __init__(self, record_id: str, refers_to: str, pair: str | None = None) -> None:
        where = f" for {pair}" if pair else ""
        super().__init__(
            f"Event {record_id!r} refers to {refers_to!r}, which is not recorded{where}. "
            "Record the referenced event first, or check the id (detente events A B lists a pair's ids)."
        )


class WrongReferenceType(InvalidEvent):
    def __init__(self, record_id: str, refers_to: str, expected: str, found: str) -> None:
        super().__init__(
            f"Event {record_id!r} refers to {refers_to!r}, a {found}; it must refer to a {expected}."
        )


class SanctionNotActive(InvalidEvent):
    def __init__(self, refers_to: str) -> None:
        super().__init__(f"Sanction {refers_to!r} has already been lifted; a sanction is lifted once.")


class DetentionNotActive(InvalidEvent):
    def __init__(self, refers_to: str) -> None:
        super().__init__(f"Detention {refers_to!r} has already ended in a release.")


class VisitNotPending(InvalidEvent):
    def __init__(self, refers_to: str) -> None:
        super().__init__(f"Announced visit {refers_to!r} has already been held or cancelled.")


class EventAlreadyRetracted(InvalidEvent):
    def __init__(self, refers_to: str) -> None:
        super().__init__(f"Event {refers_to!r} has already been retracted.")


class EndsBeforeItStarts(InvalidEvent):
    def __init__(self, record_id: str, refers_to: str) -> None:
        super().__init__(
            f"Event {record_id!r} is dated before the event it ends ({refers_to!r}); check both dates."
        )


class InvalidCorrection(InvalidEvent):
    """A correction names a field the referenced event does not have, or a bad value."""


class ConditionAlreadyEnded(InvalidEvent):
    def __init__(self, refers_to: str, kind: str | None) -> None:
        super().__init__(f"{refers_to!r} ({kind}) has already been ended; a standing condition ends once.")
