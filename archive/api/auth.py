"""Tokens and the current user."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict

from archive.api.deps import CurrentActor, DbSession
from archive.api.schemas import ERRORS
from archive.services import accounts

router = APIRouter(tags=["auth"], responses=ERRORS)


class TokenIn(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"username": "admin", "password": "mật-khẩu-dài", "name": "máy quét bàn 1"}
            ]
        }
    )
    username: str
    password: str
    name: str = "api"
    days: int | None = 365


class TokenOut(BaseModel):
    token: str
    token_type: str = "bearer"


class MeOut(BaseModel):
    id: int
    username: str
    full_name: str
    office_code: str
    roles: list[str]
    permissions: list[str]
    all_offices: bool


class PingOut(BaseModel):
    ok: bool


@router.get("/ping", tags=["health"])
def ping() -> PingOut:
    """Liveness: answers without touching the database (also the benchmarks' trivial endpoint)."""
    return PingOut(ok=True)


@router.post("/auth/token", status_code=201)
def create_token(body: TokenIn, session: DbSession) -> TokenOut:
    """Exchange a username and password for a bearer token (shown once)."""
    user = accounts.authenticate(session, username=body.username, password=body.password)
    actor = accounts.actor_for(session, user)
    return TokenOut(
        token=accounts.issue_token(session, actor, user_id=user.id, name=body.name, days=body.days)
    )


@router.get("/me")
def me(session: DbSession, actor: CurrentActor) -> MeOut:
    """Who I am: roles, permissions, office."""
    me = accounts.profile(session, actor)
    user = me.user
    return MeOut(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        office_code=me.office_code,
        roles=sorted(actor.roles),
        permissions=sorted(p.value for p in actor.perms),
        all_offices=user.all_offices,
    )
