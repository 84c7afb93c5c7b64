"""API of the inbox: a user's notices (loans to approve, decisions, overdue loans)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel

from archive.api.deps import CurrentActor, DbSession
from archive.api.schemas import ERRORS
from archive.services import notices

router = APIRouter(tags=["use of records"], responses=ERRORS)


class NoticeOut(BaseModel):
    id: int
    kind: str
    loan_id: int | None
    level: int
    params: dict[str, object]
    created_at: datetime
    read: bool


def _notice(view: notices.NoticeView) -> NoticeOut:
    return NoticeOut(
        id=view.id,
        kind=view.kind,
        loan_id=view.loan_id,
        level=view.level,
        params=view.params,
        created_at=view.created_at,
        read=view.read,
    )


@router.get("/notices")
def inbox(session: DbSession, actor: CurrentActor, unread: bool = False) -> list[NoticeOut]:
    """The user's notices, newest first."""
    return [_notice(v) for v in notices.inbox(session, actor, unread_only=unread)]


@router.post("/notices/{notice_id}/read", status_code=204)
def mark_read(notice_id: int, session: DbSession, actor: CurrentActor) -> Response:
    notices.mark_read(session, actor, notice_id=notice_id)
    return Response(status_code=204)
