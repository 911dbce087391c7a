"""`detente sync gdelt`: fetch the GDELT 2.0 events exports of a span into a cache, check them, import them.

    >>> sync = GdeltSync(base_url=DEFAULT_BASE_URL, cache=default_cache())
    >>> files = sync.plan(*masterlist.span("2019-10-24", "2019-10-24"))   # the day's 96 exports
    >>> reports = [sync.import_one(store, listed, min_mentions=5) for listed in files]

- The list (`masterfilelist.txt`) is read from the base URL and kept in the cache; a cached list is used
  again while it covers the span (GDELT appends to it in time order).
- Each export is fetched from the base URL by its file name, so a mirror need not rewrite the list; its
  size and MD5 are checked before it is read, and a damaged copy is removed and reported, not imported.
- A file already in the cache is not fetched again; one whose import stops is imported again by the next
  run, and records already stored are skipped, so an interrupted sync resumes where it stopped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from detente import masterlist
from detente.downloads import DamagedFile, DownloadFailed, Fetcher, check
from detente.importers.inputs import DataInput
from detente.importing import FileReport, import_file
from detente.masterlist import MASTER_LIST, ListedFile
from detente.service import Detente

DEFAULT_BASE_URL = "http://data.gdeltproject.org/gdeltv2/"
BASE_URL_VARIABLE = "DETENTE_GDELT_URL"


def default_cache() -> Path:
    """$XDG_CACHE_HOME/detente/gdelt, i.e. ~/.cache/detente/gdelt by default."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "detente" / "gdelt"


@dataclass
class GdeltSync:
    base_url: str
    cache: Path
    fetcher: Fetcher = field(default_factory=Fetcher)
    fetched: list[str] = field(default_factory=list)
    """Names of the files this sync downloaded (the list included), in order."""

    def url_of(self, name: str) -> str:
        return self.base_url.rstrip("/") + "/" + name

    def plan(self, start: datetime, end: datetime) -> list[ListedFile]:
        """The events exports the list gives for the span, in time order."""
        return masterlist.exports_between(self._list_lines(end), start, end)

    def is_cached(self, listed: ListedFile) -> bool:
        path = self.cache / listed.name
        return path.is_file() and path.stat().st_size == listed.size

    def import_one(self, store: Detente, listed: ListedFile, track: Any = None, **options: Any) -> FileReport:
        """Fetch (unless cached), check and import one export; a failure is its report's problem."""
        try:
            path = self._checked_copy(listed)
        except DownloadFailed as error:
            return FileReport(listed.name, format="gdelt", problem=f"{error} Not imported; the next sync tries again.")
        except DamagedFile as error:
            return FileReport(listed.name, format="gdelt", problem=str(error))
        return import_file(store, DataInput(listed.name, path), "gdelt", track=track, **options)

    def _checked_copy(self, listed: ListedFile) -> Path:
        path = self.cache / listed.name
        if not self.is_cached(listed):
            self.fetcher.fetch(self.url_of(listed.name), path)
            self.fetched.append(listed.name)
        try:
            check(path, listed.size, listed.md5)
        except DamagedFile:
            path.unlink(missing_ok=True)
            raise
        return path

    def _list_lines(self, end: datetime) -> Iterator[str]:
        cached = self.cache / MASTER_LIST
        if not (cached.is_file() and _covers(cached, end)):
            cached.with_name(cached.name + ".part").unlink(missing_ok=True)  # the list grows: never resume it
            try:
                self.fetcher.fetch(self.url_of(MASTER_LIST), cached)
            except DownloadFailed as error:
                raise DownloadFailed(f"{error} (the list of GDELT files; is --base-url or ${BASE_URL_VARIABLE} right?)") from None
            self.fetched.append(MASTER_LIST)
            if not _covers(cached, datetime.min.replace(tzinfo=timezone.utc)):
                cached.unlink()
                raise DownloadFailed(
                    f"{self.url_of(MASTER_LIST)} is not a GDELT file list (no `SIZE MD5 URL` line): is --base-url "
                    f"(or ${BASE_URL_VARIABLE}) the folder that holds GDELT's masterfilelist.txt?"
                )
        with cached.open(encoding="utf-8", errors="replace") as lines:
            yield from lines


def _covers(cached: Path, end: datetime) -> bool:
    """Whether a cached list reaches the span's end (a later entry exists, or the last one is the end)."""
    with cached.open(encoding="utf-8", errors="replace") as lines:
        latest = masterlist.last_moment(lines)
    return latest is not None and latest >= end
