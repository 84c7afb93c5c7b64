"""A file: all its details, where it is, a move form and its history."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession
from archive.permissions import Actor, Perm
from archive.services import file_views
from archive.services import files as file_service
from archive.services.file_views import FileDetail, HistoryEntry
from archive.web.forms import FormError, attempt, notice
from archive.web.templating import hx_redirect, render

router = APIRouter()
TEMPLATE = "files/file.html"


@dataclass(frozen=True)
class FilePage:
    detail: FileDetail
    history: list[HistoryEntry]
    can_write: bool
    ok: str | None = None
    error: FormError | None = None
    form: dict[str, str] = field(default_factory=dict)


def file_page(
    session: Session,
    actor: Actor,
    file_id: int,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    form: dict[str, str] | None = None,
) -> FilePage:
    return FilePage(
        detail=file_views.file_detail(session, actor, file_id),
        history=file_views.history(session, actor, file_id),
        can_write=actor.has(Perm.REGISTER_WRITE),
        ok=notice(ok),
        error=error,
        form=form or {},
    )


@router.get("/files/{file_id}")
def show_file(
    request: Request, file_id: int, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, TEMPLATE, file_page(session, actor, file_id, ok=ok))


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
        session, actor, file_id, error=error, form={"target": target, "reason": reason}
    )
    return render(request, TEMPLATE, page, status=422)
