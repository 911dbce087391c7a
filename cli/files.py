"""Files the CLI writes are written whole or not at all: to a temporary file beside them, then renamed."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary path to write to; it becomes `path` only if the block ends without an error."""
    folder = path.expanduser().resolve().parent
    if not folder.is_dir():
        raise click.ClickException(f"No folder {folder}: create it first, or write elsewhere.")
    handle, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
