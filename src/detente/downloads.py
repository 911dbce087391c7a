"""Fetching files over HTTP into a cache folder: whole or not at all, checked, retried a bounded number
of times. The standard library's urllib is enough for this (plain GETs of static files).

A download goes to `NAME.part` beside its final place and is renamed only once complete, so a cache
never holds half a file under its real name: an interrupted sync leaves a `.part` that the next run
continues with an HTTP range request (or starts again, if the server ignores ranges).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from detente import __version__
from detente.domain.errors import DetenteError

CHUNK = 1 << 16
USER_AGENT = f"detente/{__version__} (+https://github.com/detente)"


class DownloadFailed(DetenteError):
    """A file that could not be fetched after every attempt; the message says why and what to check."""


class DamagedFile(DetenteError):
    """A fetched file whose size or MD5 is not the one the list gives."""


@dataclass(frozen=True)
class Fetcher:
    attempts: int = 3
    """Tries per file (network errors, timeouts, HTTP errors, a connection cut short)."""
    timeout: float = 30.0
    """Seconds without an answer before a try is given up."""
    pause: float = 1.0
    """Seconds before the second try; doubled before each later one."""

    def fetch(self, url: str, target: Path) -> Path:
        """`url` saved as `target`; DownloadFailed after the last try."""
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        problem = ""
        for attempt in range(self.attempts):
            if attempt:
                time.sleep(self.pause * 2 ** (attempt - 1))
            try:
                self._fetch_once(url, partial)
            except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
                problem = describe(error)
                continue
            os.replace(partial, target)
            return target
        raise DownloadFailed(f"cannot fetch {url} after {self.attempts} tries: {problem}; check the address and the network.")

    def _fetch_once(self, url: str, partial: Path) -> None:
        have = partial.stat().st_size if partial.exists() else 0
        headers = {"User-Agent": USER_AGENT, **({"Range": f"bytes={have}-"} if have else {})}
        request = urllib.request.Request(url, headers=headers)
        try:
            answer = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            if error.code == 416 and have:  # the part is already whole: nothing left to send
                return
            raise
        with answer:
            resumed = have and answer.status == 206
            expected = answer.length
            written = 0
            with partial.open("ab" if resumed else "wb") as copy:
                while chunk := answer.read(CHUNK):
                    copy.write(chunk)
                    written += len(chunk)
            if expected is not None and written < expected:
                raise http.client.IncompleteRead(b"", expected - written)


def describe(error: BaseException) -> str:
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        return f"{error.reason}"
    if isinstance(error, http.client.IncompleteRead):
        return "the connection closed before the whole file came"
    if isinstance(error, socket.timeout | TimeoutError):
        return "no answer in time"
    return f"{type(error).__name__}: {error}"


def check(path: Path, size: int, md5: str) -> None:
    """DamagedFile unless the file has this size and MD5."""
    actual = path.stat().st_size
    if actual != size:
        raise DamagedFile(f"{path.name} has {actual} bytes, not the {size} the list gives: not imported.")
    digest = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as data:
        while chunk := data.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() != md5.lower():
        raise DamagedFile(
            f"{path.name} has MD5 {digest.hexdigest()}, not the {md5} the list gives: not imported (the copy "
            "was removed; a later sync fetches it again)."
        )
