"""The inbox: notices for approvers (a loan to decide), borrowers (a decision, an overdue loan)
and archivists (overdue loans of their office)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive.errors import NotFound
from archive.models import Notice, OfficeGrant, User, UserRole, utcnow
from archive.permissions import ROLE_PERMS, Actor, Perm


@dataclass(frozen=True)
class NoticeView:
    id: int
    kind: str
    loan_id: int | None
    level: int
    params: dict[str, Any]
    created_at: datetime
    read: bool


def users_holding(session: Session, perm: Perm, office_id: int) -> list[int]:
    """Active users who hold `perm` and whose scope covers the office."""
    roles = [role for role, perms in ROLE_PERMS.items() if perm in perms]
    granted = select(OfficeGrant.user_id).where(OfficeGrant.office_id == office_id)
    stmt = (
        select(User.id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            User.active.is_(True),
            UserRole.role.in_(roles),
            or_(User.office_id == office_id, User.all_offices.is_(True), User.id.in_(granted)),
        )
        .distinct()
        .order_by(User.id)
    )
    return list(session.scalars(stmt))


def notify(
    session: Session,
    user_ids: list[int],
    *,
    kind: str,
    loan_id: int | None = None,
    level: int = 0,
    params: dict[str, Any] | None = None,
) -> int:
    """One notice per user; a notice already sent (same user, kind, loan, level) is not repeated."""
    if not user_ids:
        return 0
    rows = [
        {
            "user_id": uid,
            "kind": kind,
            "loan_id": loan_id,
            "level": level,
            "params": json.dumps(params or {}, ensure_ascii=False, default=str),
            "created_at": utcnow(),
        }
        for uid in sorted(set(user_ids))
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(Notice).values(rows).on_conflict_do_nothing()
    result = session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


def inbox(
    session: Session, actor: Actor, *, unread_only: bool = False, limit: int = 100
) -> list[NoticeView]:
    """The actor's notices, newest first."""
    if actor.user_id is None:
        return []
    stmt = select(Notice).where(Notice.user_id == actor.user_id)
    if unread_only:
        stmt = stmt.where(Notice.read_at.is_(None))
    stmt = stmt.order_by(Notice.created_at.desc(), Notice.id.desc()).limit(limit)
    return [
        NoticeView(
            id=n.id,
            kind=n.kind,
            loan_id=n.loan_id,
            level=n.level,
            params=json.loads(n.params),
            created_at=n.created_at,
            read=n.read_at is not None,
        )
        for n in session.scalars(stmt)
    ]


def unread_count(session: Session, actor: Actor) -> int:
    if actor.user_id is None:
        return 0
    stmt = select(func.count()).where(Notice.user_id == actor.user_id, Notice.read_at.is_(None))
    return int(session.scalar(stmt) or 0)


def mark_read(session: Session, actor: Actor, *, notice_id: int) -> None:
    """Mark one of the actor's own notices read (reading is not audited: it changes no record)."""
    done = session.execute(
        update(Notice)
        .where(Notice.id == notice_id, Notice.user_id == actor.user_id)
        .values(read_at=func.coalesce(Notice.read_at, utcnow()))
    )
    if not getattr(done, "rowcount", 0):
        raise NotFound("notice.not_found", notice_id=notice_id)
