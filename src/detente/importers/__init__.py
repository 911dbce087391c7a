"""Importers for published event datasets: GDELT 2.0 events exports and ICEWS coded event files.

    >>> from detente.importers import detect_format, reader_for
    >>> fmt = detect_format(path)                          # "gdelt", "icews" or None
    >>> reader = reader_for(fmt, path, min_mentions=5, roots=["14", "18"])
    >>> outcome = store.import_lines(reader)               # streams the file
    >>> reader.filtered, reader.weight_mismatches          # counted while it streamed

Options by format (`OPTIONS`; their meanings are in the modules' docstrings). An option left off (None,
False, 0 or empty) is ignored, so a CLI may pass every option it has; one that does not apply to the
format is refused by name (InvalidImportOption):

- gdelt: `min_mentions` (int), `roots` (CAMEO root codes), `actor_types` (CAMEO type codes such as GOV,
  MIL; both actors must have one), `organisations` (bool: also keep UN, EU, NATO, ASEAN, World Bank);
- icews: `roots`, `sectors` (ICEWS sector names such as Government, Military; both actors must have one).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import gdelt, icews
from .errors import BadDatasetRow, InvalidImportOption, UnknownDatasetFormat
from .gdelt import GdeltReader
from .icews import IcewsReader
from .reader import DatasetReader
from .sniffing import dataset_format, detect_format

if TYPE_CHECKING:
    from detente.interchange.source import Source

READERS: dict[str, type[DatasetReader]] = {"gdelt": GdeltReader, "icews": IcewsReader}
OPTIONS: dict[str, tuple[str, ...]] = {"gdelt": gdelt.OPTIONS, "icews": icews.OPTIONS}

__all__ = [
    "OPTIONS",
    "READERS",
    "BadDatasetRow",
    "DatasetReader",
    "GdeltReader",
    "IcewsReader",
    "InvalidImportOption",
    "UnknownDatasetFormat",
    "dataset_format",
    "detect_format",
    "reader_for",
]


def reader_for(fmt: str | None, path: str | Path, *, source: Source | None = None, **options: Any) -> DatasetReader:
    """A reader of `path` in format `fmt` (detected from the file when None), with its options; it reads
    `source` (the path, already opened) when one is given."""
    path = Path(path)
    if fmt is None:
        fmt = dataset_format(source.head_lines()) if source is not None else detect_format(path)
    if fmt is None:
        raise UnknownDatasetFormat(path.name)
    if fmt not in READERS:
        raise InvalidImportOption(f"Unknown dataset format {fmt!r}: use one of {', '.join(READERS)}.")
    given = {name: value for name, value in options.items() if value not in (None, False, 0, "", (), [])}
    unknown = sorted(set(given) - set(OPTIONS[fmt]))
    if unknown:
        raise InvalidImportOption(
            f"{', '.join(unknown)} do(es) not apply to {fmt} files; {fmt} takes: {', '.join(OPTIONS[fmt])}."
        )
    reader = READERS[fmt](path, **given)
    return reader.use(source) if source is not None else reader
