"""Named errors of the dataset importers; each message says what to do next."""

from __future__ import annotations

from detente.domain.errors import DetenteError
from detente.interchange.limits import clipped


class BadDatasetRow(DetenteError):
    """A row of a dataset file that cannot be imported as it stands (it is reported and skipped)."""


class UnknownDatasetFormat(DetenteError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"{name!r} is neither a GDELT 2.0 events export (61 tab-separated columns, no header) nor an "
            "ICEWS .tab file (header starting 'Event ID'): check the file, or name the format (gdelt, icews)."
        )


class InvalidImportOption(DetenteError):
    """An importer option with a value the dataset cannot have (a root code 21, an actor type 'GOVT')."""


def number_in(text: str, column: str) -> float:
    """A dataset's numeric cell, or the row's error."""
    try:
        return float(text)
    except ValueError:
        raise BadDatasetRow(f"{column} {clipped(text)} is not a number: is the row shifted?") from None
