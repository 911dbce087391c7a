"""What the dataset readers share: stream a file line by line, number the lines, keep the counters.

A reader is iterable as `(line number, Record | DetenteError)`, the shape `Detente.import_lines` takes
(which also takes raw interchange records, as the JSON, CSV and YAML readers give them). A dataset row
becomes its `Record` directly (`interchange.records.cameo_record`), not through the interchange form. Rows outside the reader's filter are not yielded, only counted. After an
iteration the reader holds:

- `rows`: data rows read (header and blank lines excluded);
- `filtered`: rows outside the filter (not between two states, or narrowed away by an option);
- `left_out`: the same rows by reason (`LEFT_OUT_REASONS`): no country on one side, the same country on
  both, a side that is not a state (a region, an organisation), or narrowed away by an option;
- `weight_mismatches`: `(line number, message)` for each row whose own weight disagrees with the
  vendored CAMEO table (such rows are still imported, with the table's weight).

Iterating again reads the file again and resets the counters. A reader may be handed the file already
opened (`use(source)`, when its format was recognised from its first lines): that source is read by the
first iteration and closed after it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from detente.domain.cameo import CameoCode
from detente.domain.errors import DetenteError
from detente.interchange.formats import RawLine
from detente.interchange.jsonl import not_utf8
from detente.interchange.lines import numbered_lines
from detente.interchange.records import Record
from detente.interchange.file_opening import open_source
from detente.interchange.source import Source

from .errors import BadDatasetRow


NO_COUNTRY = "no country"
SAME_COUNTRY = "same country"
NOT_A_STATE = "not a state"
BY_OPTION = "filter"
LEFT_OUT_REASONS = (NO_COUNTRY, SAME_COUNTRY, NOT_A_STATE, BY_OPTION)
"""Why a row was left out; `convert` returns one of these (None counts as BY_OPTION)."""


class DatasetReader:
    dataset: ClassVar[str] = ""
    has_header: ClassVar[bool] = False

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.file_name = self.path.name
        self.rows = 0
        self.filtered = 0
        self.left_out: Counter[str] = Counter()
        self.weight_mismatches: list[tuple[int, str]] = []
        self._source: Source | None = None

    def use(self, source: Source) -> DatasetReader:
        """Read this opened file (the path's) on the next iteration, rather than opening the path."""
        self._source = source
        return self

    def __iter__(self) -> Iterator[RawLine]:
        self.rows, self.filtered, self.weight_mismatches = 0, 0, []
        self.left_out = Counter()
        source, self._source = self._source, None
        if source is None:
            with open_source(self.path) as opened:
                yield from self._rows(opened)
            return
        try:
            yield from self._rows(source)
        finally:
            source.close()

    def _rows(self, source: Source) -> Iterator[RawLine]:
        expect_header = self.has_header
        for number, line in numbered_lines(source):
            if isinstance(line, DetenteError):
                self.rows += 1
                yield number, line
                continue
            try:
                text = line.decode("utf-8")
            except UnicodeDecodeError:
                self.rows += 1
                yield number, not_utf8()
                continue
            fields = text.rstrip("\r\n").split("\t")
            if expect_header:
                self.read_header(fields)
                expect_header = False
                continue
            self.rows += 1
            try:
                record = self.convert(number, fields)
            except BadDatasetRow as error:
                yield number, error
                continue
            if record is None or isinstance(record, str):
                self.filtered += 1
                self.left_out[record or BY_OPTION] += 1
                continue
            yield number, record

    def read_header(self, fields: list[str]) -> None:
        """Check the header row (readers of files with one); raise UnreadableFile if it is wrong."""

    def convert(self, number: int, fields: list[str]) -> Record | str | None:
        """The record of one row, or why it is outside the filter (a LEFT_OUT_REASONS item; None: BY_OPTION)."""
        raise NotImplementedError

    def note_weight(self, number: int, column: str, value: float, code: CameoCode, expected: float) -> None:
        """Report a row whose own weight is not the one its dataset's table gives for its code."""
        if value != expected:
            self.weight_mismatches.append(
                (
                    number,
                    f"{column} {value:g} differs from {expected:g}, the {self.dataset.upper()} weight of CAMEO "
                    f"code {code.code}; imported with detente's weight for the code ({code.goldstein:g})",
                )
            )
