"""What every page form shares: a refused change re-renders the page with its message, and
a done change leaves a short notice on the page it returns to."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from archive.errors import ArchiveError, InvalidRows

T = TypeVar("T")

# Notices a page may show after a redirect (?ok=…); each has a UI label "ok.<key>".
NOTICES = frozenset(
    {
        "file.moved",
        "box.reordered",
        "layout.built",
        "store.created",
        "retention.changed",
        "user.created",
        "handover.created",
        "handover.completed",
        "handover.cancelled",
        "pages.moved",
        "pages.reordered",
        "page.removed",
        "page.text_corrected",
        "page.accepted",
        "page.ocr_requested",
    }
)


@dataclass(frozen=True)
class FormError:
    """A refusal to show on the page: the stable code and its params (the catalogue words it),
    and for a many-row refusal (an import) each row's own error."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)


def outcome(session: Session, action: Callable[[], T]) -> tuple[T | None, FormError | None]:
    """Run a service call in a savepoint: its result, or (undone) the refusal it raised.

    The request's transaction still commits, so a refused form changes nothing at all."""
    try:
        with session.begin_nested():
            return action(), None
    except InvalidRows as err:
        return None, FormError(err.code, dict(err.params), list(err.errors))
    except ArchiveError as err:
        return None, FormError(err.code, dict(err.params))


def trial(session: Session, action: Callable[[], T]) -> tuple[T | None, FormError | None]:
    """Run a service call to see what it would do, then undo it whatever happened: its result
    (plain values, read before the rollback) or its refusal."""
    savepoint = session.begin_nested()
    try:
        return action(), None
    except ArchiveError as err:
        return None, FormError(err.code, dict(err.params))
    finally:
        savepoint.rollback()


def attempt(session: Session, action: Callable[[], object]) -> FormError | None:
    """Run a service call for its effect only; the refusal, if any (see `outcome`)."""
    return outcome(session, action)[1]


def notice(ok: str | None) -> str | None:
    """The notice named by ?ok= when it is one we know (anything else is ignored)."""
    return ok if ok in NOTICES else None
