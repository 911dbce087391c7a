"""ICEWS coded event files (`events.YYYY.*.tab`, or zipped) as records to import.

An ICEWS .tab file has a header row and tab-separated columns (`REQUIRED` must be among them). Each kept
row becomes one `cameo` record:

- id `icews:<Event ID>:<Event Date>` (ICEWS reuses an Event ID on different dates);
- code `CAMEO Code` as text; date `Event Date`; actor and target from `Source Country` and
  `Target Country`, full English names resolved strictly by `Actor.from_name` (plus ICEWS's own
  spellings; never a code: ICEWS's `NA` is a missing value, not Namibia);
- one source: the `Publisher`, published on the `Event Date`. ICEWS has no publication-time column; it
  dates an event by the story that reports it, so that day is the best knowledge time the file gives.
  It is kept as a date: a `known_at` query on that day includes the event, one on the day before does
  not; no time of day is invented;
- provenance: dataset, file, Event ID, Intensity (as `dataset_weight`), Story ID and Sentence Number
  (whole numbers), Publisher, and the actors' names and sectors.

By default a row is kept when both countries are states and differ; a country written `NA` or left
empty names none. The others are counted by reason in `left_out`. Options narrow that; the CLI exposes
them under these names:

- `roots` (`--root 14 --root 18`, or '14,18'): keep rows whose CAMEO root code is one of these;
- `sectors` (`--sector Government --sector Military`): keep rows where both the source and the target
  have at least one of these ICEWS sectors (compared without regard to case).

Bad rows (wrong column count, malformed dates or numbers, unknown CAMEO codes, country names detente
cannot resolve, lines not in UTF-8) are yielded as errors with their line numbers. An `Intensity` that is
not ICEWS's Goldstein weight for the code is listed in `weight_mismatches`. Detente scores every event on
one scale, GDELT's Goldstein table, so codes 016, 022, 164 and 165 weigh as GDELT weighs them; the
row's Intensity is kept in its provenance.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

from detente.domain.actors import Actor
from detente.domain.cameo import CameoCode, cameo
from detente.domain.errors import DetenteError
from detente.interchange.limits import clipped
from detente.interchange.formats import UnreadableFile
from detente.interchange.records import Record, cameo_record

from . import options
from .actors import MISSING, state_for_name
from .errors import BadDatasetRow, number_in
from .reader import BY_OPTION, NO_COUNTRY, NOT_A_STATE, SAME_COUNTRY, DatasetReader

HEADER_START = "Event ID"
REQUIRED = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number", "Publisher",
)  # fmt: skip
OPTIONS = ("roots", "sectors")


class IcewsReader(DatasetReader):
    """Stream an ICEWS events file as (line number, raw record | error); see the module docstring."""

    dataset = "icews"
    has_header = True

    def __init__(
        self, path: str | Path, *, roots: Iterable[str | int] | None = None, sectors: Iterable[str] | None = None
    ) -> None:
        super().__init__(path)
        self.roots = options.root_codes(roots)
        self.sectors = options.sector_names(sectors)
        self.columns: dict[str, int] = {}
        self.width = 0

    def read_header(self, fields: list[str]) -> None:
        missing = [name for name in REQUIRED if name not in fields]
        if missing:
            raise UnreadableFile(
                f"{self.path.name} lacks the ICEWS column(s) {missing}: is it an ICEWS events file with its "
                "header row?"
            )
        self.columns = {name: index for index, name in enumerate(fields)}
        self.width = len(fields)

    def convert(self, number: int, fields: list[str]) -> Record | str | None:
        if len(fields) != self.width:
            raise BadDatasetRow(
                f"expected {self.width} tab-separated columns (as in the header), found {len(fields)}: "
                "is the line truncated?"
            )
        row = dict(zip(self.columns, fields))
        actor, target = _country(row, "Source Country"), _country(row, "Target Country")
        if isinstance(actor, str) or isinstance(target, str):
            return NO_COUNTRY if NO_COUNTRY in (actor, target) else NOT_A_STATE
        if actor == target:
            return SAME_COUNTRY
        code = _cameo(row["CAMEO Code"])
        if self.roots is not None and code.root not in self.roots:
            return BY_OPTION
        if self.sectors is not None and not (self._in_sectors(row["Source Sectors"]) and self._in_sectors(row["Target Sectors"])):
            return BY_OPTION
        record = self._record(row, actor, target, code)
        self.note_weight(number, "Intensity", record.specific["provenance"]["dataset_weight"], code, code.goldstein_icews)
        return record

    def _in_sectors(self, text: str) -> bool:
        assert self.sectors is not None
        return any(sector.strip().casefold() in self.sectors for sector in text.split(","))

    def _record(self, row: dict[str, str], actor: Actor, target: Actor, code: CameoCode) -> Record:
        event_id, day = row["Event ID"].strip(), _day(row["Event Date"])
        if not event_id:
            raise BadDatasetRow("Event ID is empty: every ICEWS row needs one.")
        return cameo_record(
            f"icews:{event_id}:{day}",
            code.code,
            day,
            actor,
            target,
            f"{row['Source Name']} → {row['Target Name']}: {row['Event Text'] or code.name}",
            {"publisher": row["Publisher"], "published": day},
            {
                "dataset": "icews",
                "file": self.file_name,
                "source_id": event_id,
                "dataset_weight": number_in(row["Intensity"], "Intensity"),
                "story_id": _whole(row["Story ID"], "Story ID"),
                "sentence_number": _whole(row["Sentence Number"], "Sentence Number"),
                "publisher": row["Publisher"],
                "source_name": row["Source Name"],
                "source_sectors": row["Source Sectors"],
                "target_name": row["Target Name"],
                "target_sectors": row["Target Sectors"],
            },
        )


def _country(row: dict[str, str], column: str) -> Actor | str:
    """The state a country column names, else why none (missing: `NA` or empty; an organisation)."""
    name = row[column].strip()
    if name in MISSING:
        return NO_COUNTRY
    try:
        actor = state_for_name(name)
    except DetenteError as error:
        raise BadDatasetRow(f"{column} {clipped(name)}: {error}") from None
    return NOT_A_STATE if actor.is_organisation else actor


def _whole(text: str, column: str) -> int | None:
    """A whole-number column; None when the row leaves it missing."""
    text = text.strip()
    if text in MISSING:
        return None
    try:
        return int(text)
    except ValueError:
        raise BadDatasetRow(f"{column} {text!r} is not a whole number: is the row shifted?") from None


def _cameo(text: str) -> CameoCode:
    try:
        return cameo(text)
    except DetenteError:
        raise BadDatasetRow(
            f"CAMEO Code {clipped(text)} is not a CAMEO event code (was the file saved by a spreadsheet that dropped "
            "its leading zero?): check the row."
        ) from None


def _day(text: str) -> str:
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadDatasetRow(f"Event Date {clipped(text)} is not a date written YYYY-MM-DD: check the row.") from None

