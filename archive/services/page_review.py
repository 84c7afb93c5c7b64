"""The review queue's actions: correct a page's text, accept it as read, or read it again."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from archive.db import after_commit
from archive.errors import Invalid
from archive.models import Page, utcnow
from archive.permissions import Actor
from archive.services import search_outbox
from archive.services.pages import audit_page, writable_page
from archive.text import nfc

MAX_TEXT = 200_000


def _reviewed(page: Page, actor: Actor) -> None:
    page.needs_review = False
    page.reviewed_by_id = actor.user_id
    page.reviewed_at = utcnow()


def correct_text(session: Session, actor: Actor, *, page_id: int, text: str) -> Page:
    """Replace the page's text with the archivist's reading (its word boxes no longer apply)."""
    page = writable_page(session, actor, page_id)
    cleaned = nfc(text).strip()
    if len(cleaned) > MAX_TEXT:
        raise Invalid("page.text_too_long", limit=MAX_TEXT)
    audit_page(
        session,
        actor,
        "page.text_corrected",
        page,
        {
            "chars": [len(page.text or ""), len(cleaned)],
            "text_source": [page.text_source, "manual"],
        },
    )
    page.text, page.text_source, page.words = cleaned, "manual", "[]"
    _reviewed(page, actor)
    if page.file_id is not None:
        search_outbox.mark(session, [page.file_id])
    return page


def accept(session: Session, actor: Actor, *, page_id: int) -> Page:
    """Accept the page's text as read: it leaves the review queue unchanged."""
    page = writable_page(session, actor, page_id)
    if not page.needs_review:
        raise Invalid("page.not_in_review", page_id=page_id)
    audit_page(session, actor, "page.review_accepted", page, {"confidence": page.confidence})
    _reviewed(page, actor)
    return page


def rerun(
    session: Session, actor: Actor, *, page_id: int, queue: Callable[[list[int]], None] | None
) -> Page:
    """Read the page again (after a better scan setting, or a fixed OCR install): the worker
    replaces its text; it stays where it is in its file."""
    page = writable_page(session, actor, page_id)
    audit_page(session, actor, "page.ocr_requested", page, {"status": [page.status, "pending"]})
    page.status, page.attempts, page.error_code, page.claimed_at = "pending", 0, None, None
    page.needs_review = False
    session.flush()
    if queue is not None:
        after_commit(session, lambda: queue([page_id]))
    return page
