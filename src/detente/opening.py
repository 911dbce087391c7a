"""The checks before and just after a store is opened, each failing with a named error that says what to do.

Before: the driver and the cipher that the URL and the key need are installed, the key is a key, and the
SQLite file is where it should be (a reading command never creates a store; a writing one makes its folder).
After: a reading command finds detente's tables there (it never adds them to another program's database),
and the key matches the store: a store is encrypted from its first event or never.

Whether a store is encrypted is read from its first stored event, so that stores made before this check need
no marker: an unencrypted event's state is the transcoder's JSON, an encrypted one is AES-GCM output that
decrypts with the right key and is never valid JSON.
"""

from __future__ import annotations

import binascii
import json
import os
import zlib
from base64 import b64decode
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

from detente.domain.errors import DetenteError
from detente.projections import compression
from detente.settings import CIPHER_KEY_VARIABLE, is_postgres, prepare_folder, sqlite_file

if TYPE_CHECKING:
    from detente.store import Ledger

CONNECT_TIMEOUT_SECONDS = 10
"""How long to wait for a PostgreSQL server to answer a connection (libpq's connect_timeout), so that a
server that accepts and never answers stops the command instead of hanging it."""
KEY_SIZES = (16, 24, 32)
MAKE_KEY = 'python -c "from eventsourcing.cryptography import AESCipher; print(AESCipher.create_key(32))"'
CREATES_A_STORE = "create one with `detente import FILE` or `detente record ...`, or try `detente demo`"


class MissingExtra(DetenteError):
    def __init__(self, needed_for: str, extra: str) -> None:
        super().__init__(f"{needed_for} needs an optional part of detente: install it with pip install 'detente[{extra}]'.")


class MalformedCipherKey(DetenteError):
    def __init__(self, reason: str) -> None:
        super().__init__(
            f"{CIPHER_KEY_VARIABLE} is not a usable key ({reason}): it must be the base64 text of 16, 24 or 32 "
            f"random bytes. Make one with {MAKE_KEY}, "
            f"or unset {CIPHER_KEY_VARIABLE} for a store without encryption."
        )


class StoreNotFound(DetenteError):
    pass


class NotADetenteStore(DetenteError):
    pass


class StoreReadOnly(DetenteError):
    pass


class EncryptionMismatch(DetenteError):
    pass


def check_requirements(url: str, cipher_key: str | None) -> None:
    """The driver for the URL, and a well-formed key with the package that uses it."""
    if is_postgres(url) and find_spec("psycopg") is None:
        raise MissingExtra("A PostgreSQL store", "postgres")
    if not cipher_key:
        return
    if find_spec("cryptography") is None:
        raise MissingExtra(f"Encryption ({CIPHER_KEY_VARIABLE})", "crypto")
    try:
        size = len(b64decode(cipher_key.encode("utf-8")))  # as the library's AESCipher decodes it
    except (binascii.Error, UnicodeEncodeError) as error:
        raise MalformedCipherKey(f"not base64: {error}") from None
    if size not in KEY_SIZES:
        raise MalformedCipherKey(f"it decodes to {size} bytes")


def locate(url: str, create: bool) -> str:
    """The URL to open: a writing command's SQLite folder made, a reading command's file found (and opened
    read-only when it cannot be written), a PostgreSQL URL given a connect timeout."""
    if is_postgres(url):
        return with_connect_timeout(url)
    path = sqlite_file(url)
    if path is None:
        return url
    if path.is_dir():
        raise NotADetenteStore(f"{path} is a folder, not a detente store: name the store's file with --db PATH.")
    if create:
        if path.exists() and not _writable(path):
            raise StoreReadOnly(
                f"The store {path} is read-only: a writing command needs write access to the file and its folder "
                "(reading commands can still read it)."
            )
        prepare_folder(path)
        return url
    if not path.exists():
        raise StoreNotFound(f"No detente store at {path}: reading commands read an existing store; {CREATES_A_STORE}.")
    return url if _writable(path) else read_only_url(path)


def with_connect_timeout(url: str) -> str:
    parsed = make_url(url)
    if "connect_timeout" in parsed.query:
        return url
    timed = parsed.update_query_dict({"connect_timeout": str(CONNECT_TIMEOUT_SECONDS)})
    return timed.render_as_string(hide_password=False)


def read_only_url(path: Path) -> str:
    """A SQLite URI that reads `path` without writing anything, not even WAL's shared-memory file: a
    read-only file or folder cannot hold one. `immutable` also skips locking, so it is used only when no
    write-ahead log waits to be read (the last writer to close checkpoints and removes it)."""
    wal = path.with_name(path.name + "-wal")
    pending_log = wal.exists() and wal.stat().st_size > 0
    return f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro{'' if pending_log else '&immutable=1'}&uri=true"


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)


def check_is_store(ledger: Ledger, url: str) -> None:
    """Whether the database holds detente's event table (for reading commands, which never create it)."""
    table = ledger.recorder.events_table_name  # type: ignore[attr-defined]
    where = sqlite_file(url) or _masked_database(url)
    try:
        found = inspect(ledger.recorder.datastore.engine).has_table(table)  # type: ignore[attr-defined]
    except DatabaseError as error:
        if "not a database" not in str(error):
            raise
        raise NotADetenteStore(f"{where} is not a SQLite database, so not a detente store: name a store with --db.") from None
    if found:
        return
    if sqlite_file(url) is not None and Path(where).stat().st_size > 0:
        raise NotADetenteStore(
            f"{where} is not a detente store (it has no {table} table), and reading commands leave it as it is: "
            "name a detente store with --db, or make one in a new file (`detente --db NEW.db import FILE`)."
        )
    raise StoreNotFound(f"No detente store in {where} (it has no {table} table yet): {CREATES_A_STORE}.")


PROBED_EVENTS = 8
"""How many of the log's first events tell whether a store is encrypted: one damaged event (which the reading
commands leave out, see `detente doctor`) must not make a plaintext store look encrypted."""


def check_encryption(ledger: Ledger, url: str) -> None:
    """Refuse a key the store was not written with, and no key for a store written with one."""
    first = ledger.recorder.select_notifications(start=None, limit=PROBED_EVENTS)
    if not first:
        return  # an empty store takes the key (or none) its first event is written with
    states, cipher = [notification.state for notification in first], ledger.mapper.cipher
    where = sqlite_file(url) or _masked_database(url)
    if cipher is None:
        if not any(_is_json(decompress(state)) for state in states):
            raise EncryptionMismatch(
                f"The stored events of {where} cannot be read: the store looks encrypted. Set "
                f"{CIPHER_KEY_VARIABLE} to the key it was written with."
            )
        return
    from cryptography.exceptions import InvalidTag

    for state in states:
        try:
            cipher.decrypt(state)
            return
        except (ValueError, InvalidTag):  # damaged, or written with another key or none
            pass
    if any(_is_json(decompress(state)) for state in states):
        raise EncryptionMismatch(
            f"{where} is a store without encryption, and a store is encrypted from its first event or never: "
            f"unset {CIPHER_KEY_VARIABLE} to use it (nothing was written). For an encrypted copy, "
            f"`detente export` it and `detente import` the file into a new store with the key set."
        )
    raise EncryptionMismatch(
        f"The stored events of {where} cannot be decrypted with this key: set {CIPHER_KEY_VARIABLE} to the key "
        "the store was written with."
    )


def decompress(state: bytes) -> bytes:
    """A stored state as the mapper's compressor gives it back (compression.py), or as it is if that fails."""
    try:
        return compression.decompress(state)
    except zlib.error:
        return state


def _is_json(state: bytes) -> bool:
    try:
        json.loads(state)
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def _masked_database(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)
