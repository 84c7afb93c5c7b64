"""A file: all its details, where it is, a move form and its history."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession, get_runtime
from archive.models import OutCard
from archive.permissions import Actor, Perm
from archive.services import file_views, out_cards
from archive.services import files as file_service
from archive.services import pages as page_service
from archive.services.file_views import FileDetail, HistoryEntry
from archive.services.pages import FilePages
from archive.web.forms import FormError, attempt, notice
from archive.web.templating import hx_redirect, render

router = APIRouter()
TEMPLATE = "files/file.html"


@dataclass(frozen=True)
class FilePage:
    detail: FileDetail
    history: list[HistoryEntry]
    can_write: bool
    scans: FilePages | None = None  # None: the reader may not see scanned pages
    can_scan: bool = False
    review_below: float = 0.0  # pages read with less confidence are flagged
    ok: str | None = None
    error: FormError | None = None
    pages_error: FormError | None = None
    form: dict[str, str] = field(default_factory=dict)
    out_card: OutCard | None = None  # where the file is while it is out of its box


def file_page(
    session: Session,
    actor: Actor,
    file_id: int,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    pages_error: FormError | None = None,
    form: dict[str, str] | None = None,
    review_below: float = 0.0,
) -> FilePage:
    detail = file_views.file_detail(session, actor, file_id)
    sees_pages = actor.has(Perm.PERSONAL_DATA)
    return FilePage(
        detail=detail,
        history=file_views.history(session, actor, file_id),
        can_write=actor.has(Perm.REGISTER_WRITE),
        scans=page_service.file_pages(session, actor, file_id) if sees_pages else None,
        can_scan=actor.has(Perm.SCAN),
        review_below=review_below,
        ok=notice(ok),
        error=error,
        pages_error=pages_error,
        form=form or {},
        out_card=out_cards.card_of(session, file_id),
    )


def _review_below(request: Request) -> float:
    return get_runtime(request).settings.ocr_review_below


@router.get("/files/{file_id}")
def show_file(
    request: Request, file_id: int, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    page = file_page(session, actor, file_id, ok=ok, review_below=_review_below(request))
    return render(request, TEMPLATE, page)


@router.post("/files/{file_id}/move")
def move_file(
    request: Request,
    file_id: int,
    session: DbSession,
    actor: CurrentActor,
    target: str = Form(""),
    reason: str = Form(""),
) -> Response:
    """Move the file to the end of the box scanned or typed as the target."""
    error = attempt(
        session,
        lambda: file_service.move_file_to(
            session, actor, file_id=file_id, target=target, reason=reason
        ),
    )
    if error is None:
        return hx_redirect(request, f"/files/{file_id}?ok=file.moved")
    page = file_page(
        session,
        actor,
        file_id,
        error=error,
        form={"target": target, "reason": reason},
        review_below=_review_below(request),
    )
    return render(request, TEMPLATE, page, status=422)


def shifted(page_ids: list[int], page_id: int, delta: int) -> list[int]:
    """The order with `page_id` one step up (-1) or down (+1); unchanged at either end."""
    order = list(page_ids)
    if page_id not in order:
        return order
    at = order.index(page_id)
    to = at + (1 if delta > 0 else -1)
    if 0 <= to < len(order):
        order[at], order[to] = order[to], order[at]
    return order


def _pages_done(
    request: Request, session: Session, actor: Actor, file_id: int, error: FormError | None, ok: str
) -> Response:
    if error is None and not request.headers.get("hx-request"):
        return hx_redirect(request, f"/files/{file_id}?ok={ok}#scans")
    page = file_page(
        session, actor, file_id, pages_error=error, review_below=_review_below(request)
    )
    return render(request, TEMPLATE, page, status=422 if error else 200, block="scans")


@router.post("/files/{file_id}/pages/shift")
def shift_page(
    request: Request,
    file_id: int,
    session: DbSession,
    actor: CurrentActor,
    page_id: int = Form(...),
    delta: int = Form(...),
) -> Response:
    """One page one step up or down in the file; htmx swaps just the pages section."""
    error = attempt(
        session,
        lambda: page_service.reorder(
            session,
            actor,
            file_id=file_id,
            page_ids=shifted(
                [p.id for p in page_service.file_pages(session, actor, file_id).pages],
                page_id,
                delta,
            ),
        ),
    )
    return _pages_done(request, session, actor, file_id, error, "pages.reordered")


@router.post("/files/{file_id}/pages/remove")
def remove_page(
    request: Request,
    file_id: int,
    session: DbSession,
    actor: CurrentActor,
    page_id: int = Form(...),
    reason: str = Form(""),
) -> Response:
    """Take a page out of the file (kept in the store; the removal and its reason audited)."""
    error = attempt(
        session, lambda: page_service.remove(session, actor, page_id=page_id, reason=reason)
    )
    return _pages_done(request, session, actor, file_id, error, "page.removed")
