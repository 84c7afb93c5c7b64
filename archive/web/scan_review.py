"""Reading scanned pages: the review queue (page image beside its text, to correct, accept or
read again) and one page with its text, the words of a search highlighted on the image."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession
from archive.api.uploads import page_enqueuer
from archive.permissions import Actor, Perm
from archive.services import page_review, pages
from archive.services.pages import PageText
from archive.text import fold
from archive.web.forms import FormError, attempt, notice
from archive.web.templating import hx_redirect, render
from scanners.words import Word

router = APIRouter()
REVIEW_SHOWN = 20
# Word characters of a search term or an OCR word; punctuation around a word never matters.
WORD = re.compile(r"\w+")

Back = Literal["review", "page"]


@dataclass(frozen=True)
class ReviewPage:
    items: list[PageText]
    total: int
    can_change: bool
    ok: str | None = None
    error: FormError | None = None
    error_page_id: int | None = None
    typed: str | None = None  # the correction refused, shown again in its page's textarea

    @property
    def error_on_top(self) -> bool:
        """A refusal about no page of the list (one that has left the queue) shows above it."""
        return self.error is not None and self.error_page_id not in {
            item.view.id for item in self.items
        }


@dataclass(frozen=True)
class Highlight:
    """A matching word's box, in percent of the page image (scales with its rendered size)."""

    left: float
    top: float
    width: float
    height: float
    text: str
    box: tuple[int, int, int, int]  # the word's pixels on the image: left, top, width, height


@dataclass(frozen=True)
class PageDetail:
    found: PageText
    query: str
    highlights: list[Highlight]
    can_change: bool
    ok: str | None = None


def _terms(text: str) -> set[str]:
    return set(WORD.findall(fold(text)))


def highlights(words: Iterable[Word], query: str, *, width: int, height: int) -> list[Highlight]:
    """The boxes of the words that match a term of `query`, folded (no diacritics, no case)."""
    terms = _terms(query)
    if not terms or width <= 0 or height <= 0:
        return []
    return [
        Highlight(
            left=100 * word.left / width,
            top=100 * word.top / height,
            width=100 * word.width / width,
            height=100 * word.height / height,
            text=word.text,
            box=(word.left, word.top, word.width, word.height),
        )
        for word in words
        if _terms(word.text) & terms
    ]


def review_page(
    session: Session,
    actor: Actor,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    error_page_id: int | None = None,
    typed: str | None = None,
) -> ReviewPage:
    queue = pages.review_queue(session, actor)
    return ReviewPage(
        items=[pages.page_text(session, actor, view.id) for view in queue[:REVIEW_SHOWN]],
        total=len(queue),
        can_change=actor.has(Perm.SCAN),
        ok=ok,
        error=error,
        error_page_id=error_page_id,
        typed=typed,
    )


@router.get("/scans/review")
def show_review(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    """Pages read with low confidence (or not at all), lowest confidence first."""
    return render(request, "scans/review.html", review_page(session, actor, ok=notice(ok)))


@router.get("/pages/{page_id}")
def show_page(
    request: Request,
    page_id: int,
    session: DbSession,
    actor: CurrentActor,
    q: str = "",
    ok: str | None = None,
) -> Response:
    """A page image with its text; the words of `q` are highlighted on the image."""
    found = pages.page_text(session, actor, page_id)
    view = found.view
    page = PageDetail(
        found=found,
        query=q,
        highlights=highlights(found.words, q, width=view.width or 0, height=view.height or 0),
        can_change=actor.has(Perm.SCAN),
        ok=notice(ok),
    )
    return render(request, "scans/page.html", page)


def _act(
    request: Request,
    session: Session,
    actor: Actor,
    *,
    page_id: int,
    back: Back,
    done: str,
    action: Callable[[], object],
    typed: str | None = None,
) -> Response:
    """Run a review action; back to the queue (or the page) with a notice, or the refusal."""
    error = attempt(session, action)
    if error is None:
        url = f"/pages/{page_id}" if back == "page" else "/scans/review"
        return hx_redirect(request, f"{url}?ok={done}")
    page = review_page(session, actor, error=error, error_page_id=page_id, typed=typed)
    return render(request, "scans/review.html", page, status=422)


@router.post("/pages/{page_id}/text")
def correct_text(
    request: Request,
    page_id: int,
    session: DbSession,
    actor: CurrentActor,
    text: str = Form(""),
    back: Back = Form("review"),
) -> Response:
    """Save the archivist's reading of the page; it leaves the review queue."""
    return _act(
        request,
        session,
        actor,
        page_id=page_id,
        back=back,
        done="page.text_corrected",
        action=lambda: page_review.correct_text(session, actor, page_id=page_id, text=text),
        typed=text,
    )


@router.post("/pages/{page_id}/accept")
def accept(
    request: Request,
    page_id: int,
    session: DbSession,
    actor: CurrentActor,
    back: Back = Form("review"),
) -> Response:
    """Accept the page's text as read; it leaves the review queue."""
    return _act(
        request,
        session,
        actor,
        page_id=page_id,
        back=back,
        done="page.accepted",
        action=lambda: page_review.accept(session, actor, page_id=page_id),
    )


@router.post("/pages/{page_id}/ocr")
def read_again(
    request: Request,
    page_id: int,
    session: DbSession,
    actor: CurrentActor,
    back: Back = Form("review"),
) -> Response:
    """Queue the page to be read again (OCR); its text is replaced when the worker is done."""
    queue = page_enqueuer(request)
    return _act(
        request,
        session,
        actor,
        page_id=page_id,
        back=back,
        done="page.ocr_requested",
        action=lambda: page_review.rerun(session, actor, page_id=page_id, queue=queue),
    )
