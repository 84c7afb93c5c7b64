"""Shared pieces of CLI commands: the runtime, a write transaction, Vietnamese error output."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from archive.db import transaction
from archive.errors import ArchiveError, InvalidRows
from archive.i18n import message
from archive.runtime import Runtime
from archive.settings import Settings


def runtime() -> Runtime:
    """Settings from the environment, read once for this command."""
    return Runtime(Settings())


@contextmanager
def unit_of_work(rt: Runtime, *, write: bool = True) -> Iterator[Session]:
    """A transaction for one command; a domain error prints its Vietnamese message and exits 1."""
    try:
        with transaction(rt.sessions, write=write) as session:
            yield session
    except InvalidRows as err:
        typer.echo(message(err.code, **err.params), err=True)
        for row in err.errors[:50]:
            typer.echo(
                f"  dòng {row.get('row')}, cột {row.get('column')}: {row.get('message')}", err=True
            )
        raise typer.Exit(1) from err
    except ArchiveError as err:
        typer.echo(message(err.code, **err.params), err=True)
        raise typer.Exit(1) from err
