"""Files the CLI writes are written whole or not at all: to a temporary file beside them, then renamed.

The file ends with the permissions any new file of the user gets (0666 less the umask), not the 0600 of a
temporary file, so that a chart or an export can be shared as the user's other files are.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click


def _new_file_mode() -> int:
    """0666 less the process's umask (read by setting it and putting it back: there is no other way)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return 0o666 & ~mask


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
        os.chmod(temporary, _new_file_mode())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
