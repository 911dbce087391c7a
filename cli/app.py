"""The context object the group builds once, and the one place library errors become click's.

The store is opened on first use, so `detente --help` and usage errors never touch a database.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from functools import update_wrapper
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from detente.service import Detente

F = TypeVar("F", bound=Callable[..., Any])

DEBUG_VARIABLE = "DETENTE_DEBUG"
PERSISTENCE_MODULES = ("sqlalchemy", "eventsourcing", "psycopg", "sqlite3")


class App:
    """What every command shares: where the store is, and the store once opened."""

    def __init__(self, db: str | None = None) -> None:
        self.db = db
        self._store: Detente | None = None

    @property
    def store(self) -> Detente:
        """The store for a writing command: made if it does not exist yet."""
        return self.open(create=True)

    def open(self, *, create: bool) -> Detente:
        """The store, opened on first use; without `create` (reading commands) it must exist already."""
        if self._store is None:
            from detente import api
            from detente.settings import UnsupportedDatabase

            try:
                self._store = api.open_store(self.db, create=create)
            except UnsupportedDatabase as error:
                raise click.UsageError(str(error)) from None
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


def _set_db(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(App).db = value


def uses_store(command: F | None = None, *, warns: bool = True) -> Any:
    """For writing commands: pass the store as the first argument, opened (and made if need be) when the
    command runs; accept `--db` after the command too. See `_with_store` for `warns`."""
    return _with_store(command, create=True, warns=warns)


def reads_store(command: F | None = None, *, warns: bool = True) -> Any:
    """For reading commands: as `uses_store`, but the store must exist; a reading command never creates
    a store or adds detente's tables to a database."""
    return _with_store(command, create=False, warns=warns)


def _with_store(command: F | None, *, create: bool, warns: bool) -> Any:
    """Unless `warns` is false, a command that ends normally then says on standard error, in one line after
    its output, how many stored events it had to leave out because they cannot be read."""

    def decorate(command: F) -> F:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            ctx = click.get_current_context()
            store = ctx.ensure_object(App).open(create=create)
            result = command(store, *args, **kwargs)
            if warns:
                warning = left_out_warning(store.left_out())
                if warning:
                    ctx.call_on_close(lambda: click.echo(warning, err=True))
            return result

        update_wrapper(wrapper, command)
        return db_option(wrapper)  # type: ignore[return-value]

    return decorate(command) if command is not None else decorate


def left_out_warning(count: int) -> str | None:
    if not count:
        return None
    events = "1 stored event cannot be read and is" if count == 1 else f"{count} stored events cannot be read and are"
    return f"Warning: {events} left out; run `detente doctor` to list them."


db_option = click.option("--db", metavar="URL", expose_value=False, callback=_set_db, help="The store (as the global --db).")
"""`--db` after the command name too, for commands that open the store."""


class DetenteGroup(click.Group):
    """Turns the library's errors into click's, so that an analyst sees a message and never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort, EOFError):
            raise
        except BrokenPipeError:
            _silence_stdout()  # the reader stopped early (`detente export | head`): not an error to report
            raise click.exceptions.Exit(1) from None
        except Exception as error:
            if os.environ.get(DEBUG_VARIABLE):
                raise
            raise click.ClickException(explain(error, ctx)) from error


def explain(error: Exception, ctx: click.Context) -> str:
    """The message for an error from below the CLI: the library's own, or one that says what to check."""
    from detente.domain.errors import DetenteError

    if isinstance(error, DetenteError):
        return str(error)
    if type(error).__module__.split(".")[0] in PERSISTENCE_MODULES:
        app = ctx.find_object(App)
        where = _masked(app.db) if app and app.db else "the default store"
        detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if "readonly database" in detail:
            return (
                f"Cannot write to {where}: it is read-only. Writing commands, and reading commands while the store's "
                "view is behind its log, need write access to the file and its folder."
            )
        return (
            f"Cannot use {where}: {detail}. Check --db / DETENTE_DATABASE_URL (a SQLite file path, or "
            "postgresql+psycopg://user@host/db) and that the database is reachable."
        )
    if isinstance(error, ModuleNotFoundError) and error.name:
        return (
            f"detente needs the package {error.name!r}, which is not installed here: reinstall detente "
            f"(pip install --force-reinstall detente) or install it (pip install {error.name.split('.')[0]})."
        )
    return (
        f"Unexpected error: {type(error).__name__}: {error}. This is a bug in detente; please report it with the "
        f"command you ran (set {DEBUG_VARIABLE}=1 to see the traceback)."
    )


def _silence_stdout() -> None:
    """Point standard output at the null device, so that flushing it at exit does not fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _masked(url: str) -> str:
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:***@", url)
