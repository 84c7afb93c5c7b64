"""Administration: record series and retention rules, users, the audit trail."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict

from archive.api.deps import CurrentActor, DbSession
from archive.api.schemas import ERRORS
from archive.services import accounts, audit, series, staff_cards

router = APIRouter(responses=ERRORS)


class RuleOut(BaseModel):
    version: int
    period_years: int | None
    trigger: str
    note: str
    created_at: datetime


class SeriesOut(BaseModel):
    id: int
    code: str
    name: str
    name_en: str
    kind: str
    restricted: bool
    retention: RuleOut


class RetentionIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "period_years": 70,
                    "trigger": "closed_year",
                    "note": "Theo quyết định số 12/QĐ-BHXH",
                }
            ]
        }
    )
    period_years: int | None
    trigger: str
    note: str = ""


class UserIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "username": "lan.nt",
                    "full_name": "Nguyễn Thị Lan",
                    "password": "một-mật-khẩu-dài",
                    "office_id": 2,
                    "roles": ["archivist"],
                    "department": "Phòng Tiếp nhận và Trả kết quả",
                }
            ]
        }
    )
    username: str
    full_name: str
    password: str
    office_id: int
    roles: list[str]
    department: str = ""
    all_offices: bool = False
    extra_office_ids: list[int] = []


class UserOut(BaseModel):
    id: int
    username: str
    full_name: str
    office_id: int
    department: str
    roles: list[str]
    all_offices: bool
    active: bool


class EventOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: int | None
    office_id: int | None
    changes: dict[str, Any]
    hash: str


class VerifyOut(BaseModel):
    checked: int
    intact: bool
    first_broken_id: int | None
    reason: str


def _rule(r: Any) -> RuleOut:
    return RuleOut(
        version=r.version,
        period_years=r.period_years,
        trigger=r.trigger,
        note=r.note,
        created_at=r.created_at,
    )


@router.get("/series", tags=["series"])
def list_series(session: DbSession, actor: CurrentActor) -> list[SeriesOut]:
    """Record series with their current retention rule."""
    return [
        SeriesOut(
            id=v.series.id,
            code=v.series.code,
            name=v.series.name,
            name_en=v.series.name_en,
            kind=v.series.kind,
            restricted=v.series.restricted,
            retention=_rule(v.rule),
        )
        for v in series.list_series(session, actor)
    ]


@router.post("/series/{series_id}/retention", status_code=201, tags=["series"])
def set_retention(
    series_id: int, body: RetentionIn, session: DbSession, actor: CurrentActor
) -> RuleOut:
    """A new version of the series' retention rule (administrators)."""
    return _rule(series.set_retention(session, actor, series_id=series_id, **body.model_dump()))


@router.get("/series/{series_id}/retention", tags=["series"])
def retention_history(series_id: int, session: DbSession, actor: CurrentActor) -> list[RuleOut]:
    """Every version of the series' retention rule, newest first."""
    return [_rule(r) for r in series.rule_history(session, actor, series_id)]


def _user_out(session: DbSession, user: Any) -> UserOut:
    return UserOut(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        office_id=user.office_id,
        department=user.department,
        roles=accounts.roles_of(session, user.id),
        all_offices=user.all_offices,
        active=user.active,
    )


@router.get("/users", tags=["users"])
def list_users(session: DbSession, actor: CurrentActor) -> list[UserOut]:
    """All users (administrators)."""
    return [_user_out(session, u) for u in accounts.list_users(session, actor)]


@router.get("/users/cards.pdf", tags=["users"], response_class=Response)
def print_staff_cards(
    session: DbSession,
    actor: CurrentActor,
    office_id: int | None = None,
    username: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads the default
) -> Response:
    """Staff cards to print (ten per A4 page): the barcode the loans desk scans. Users without
    a card code get one now."""
    pdf = staff_cards.cards_pdf(session, actor, office_id=office_id, usernames=tuple(username))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="the-muon-ho-so.pdf"'},
    )


@router.post("/users", status_code=201, tags=["users"])
def create_user(body: UserIn, session: DbSession, actor: CurrentActor) -> UserOut:
    """A new user with roles and an office scope (administrators)."""
    data = accounts.UserIn(
        **{
            **body.model_dump(),
            "roles": tuple(body.roles),
            "extra_office_ids": tuple(body.extra_office_ids),
        }
    )
    return _user_out(session, accounts.create_user(session, actor, data))


@router.get("/audit/events", tags=["audit"])
def list_events(
    session: DbSession,
    actor: CurrentActor,
    action: str | None = None,
    object_type: str | None = None,
    object_id: int | None = None,
    actor_id: int | None = None,
    office_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before_id: int | None = None,
    limit: int = Query(100, ge=1, le=1000),
) -> list[EventOut]:
    """Audit events, newest first, filtered (inspectors and administrators)."""
    flt = audit.EventFilter(
        action=action,
        object_type=object_type,
        object_id=object_id,
        actor_id=actor_id,
        office_id=office_id,
        since=since,
        until=until,
    )
    return [
        EventOut(
            id=e.id,
            at=e.at,
            actor=e.actor_label,
            action=e.action,
            object_type=e.object_type,
            object_id=e.object_id,
            office_id=e.office_id,
            changes=json.loads(e.changes),
            hash=e.hash,
        )
        for e in audit.list_events(session, actor, flt, limit=limit, before_id=before_id)
    ]


@router.get("/audit/verify", tags=["audit"])
def verify(session: DbSession, actor: CurrentActor) -> VerifyOut:
    """Re-hash the whole chain and report the first broken link."""
    r = audit.verify(session, actor)
    return VerifyOut(
        checked=r.checked,
        intact=r.first_broken_id is None,
        first_broken_id=r.first_broken_id,
        reason=r.reason,
    )
