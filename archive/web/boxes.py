"""A box with its files in order: move a file to another box, move files up and down."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession
from archive.models import File, OutCard
from archive.permissions import Actor, Perm
from archive.services import files as file_service
from archive.services import out_cards, places
from archive.services.places import BoxHeader
from archive.web.forms import FormError, attempt, notice
from archive.web.templating import hx_redirect, render

router = APIRouter()
TEMPLATE = "boxes/box.html"


@dataclass(frozen=True)
class BoxPage:
    header: BoxHeader
    files: list[File]
    can_write: bool
    # Out-cards in the box's slots: where each file out is and until when.
    cards: dict[int, OutCard] = field(default_factory=dict)
    ok: str | None = None
    error: FormError | None = None
    order_error: FormError | None = None
    form: dict[str, str] = field(default_factory=dict)


def box_page(
    session: Session,
    actor: Actor,
    box_id: int,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    order_error: FormError | None = None,
    form: dict[str, str] | None = None,
) -> BoxPage:
    """The box, its path and fill, its files with person and series, the out-cards in its slots
    (four queries)."""
    return BoxPage(
        header=places.box_header(session, actor, box_id),
        files=file_service.files_in_box(session, actor, box_id),
        cards=out_cards.cards_in_box(session, box_id),
        can_write=actor.has(Perm.REGISTER_WRITE),
        ok=notice(ok),
        error=error,
        order_error=order_error,
        form=form or {},
    )


@router.get("/boxes/{box_id}")
def show_box(
    request: Request, box_id: int, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, TEMPLATE, box_page(session, actor, box_id, ok=ok))


@router.post("/boxes/{box_id}/move-file")
def move_file(
    request: Request,
    box_id: int,
    session: DbSession,
    actor: CurrentActor,
    file_id: int = Form(...),
    target: str = Form(""),
    reason: str = Form(""),
) -> Response:
    """Move one of this box's files to the box scanned or typed as the target."""
    error = attempt(
        session,
        lambda: file_service.move_file_to(
            session, actor, file_id=file_id, target=target, reason=reason
        ),
    )
    if error is None:
        return hx_redirect(request, f"/boxes/{box_id}?ok=file.moved")
    form = {"file_id": str(file_id), "target": target, "reason": reason}
    return render(
        request, TEMPLATE, box_page(session, actor, box_id, error=error, form=form), status=422
    )


@router.post("/boxes/{box_id}/shift")
def shift_file(
    request: Request,
    box_id: int,
    session: DbSession,
    actor: CurrentActor,
    file_id: int = Form(...),
    delta: int = Form(...),
) -> Response:
    """One step up or down; htmx swaps just the file list."""
    error = attempt(
        session, lambda: file_service.shift_file(session, actor, file_id=file_id, delta=delta)
    )
    if error is None and not request.headers.get("hx-request"):
        return hx_redirect(request, f"/boxes/{box_id}?ok=box.reordered")
    page = box_page(session, actor, box_id, order_error=error)
    return render(request, TEMPLATE, page, status=422 if error else 200, block="files")
