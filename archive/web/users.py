"""Users for administrators: the list with roles and office scope, and a form to add one."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession
from archive.models import ROLES, Office, User
from archive.permissions import Actor
from archive.services import accounts, offices
from archive.web.forms import FormError, attempt, notice
from archive.web.templating import hx_redirect, render

router = APIRouter()
TEMPLATE = "admin/users.html"


@dataclass(frozen=True)
class UserRow:
    user: User
    office_code: str
    roles: list[str]


@dataclass(frozen=True)
class UserForm:
    """The add-user form as last submitted (never the password)."""

    username: str = ""
    full_name: str = ""
    office_id: int | None = None
    roles: tuple[str, ...] = ("archivist",)
    department: str = ""
    all_offices: bool = False


@dataclass(frozen=True)
class UsersPage:
    rows: list[UserRow]
    offices: list[Office]
    roles: tuple[str, ...] = ROLES
    form: UserForm = field(default_factory=UserForm)
    ok: str | None = None
    error: FormError | None = None


def users_page(
    session: Session,
    actor: Actor,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    form: UserForm | None = None,
) -> UsersPage:
    users = accounts.list_users(session, actor)
    visible = offices.list_offices(session, actor)
    codes = {o.id: o.code for o in visible}
    rows = [UserRow(u, codes.get(u.office_id, ""), accounts.roles_of(session, u.id)) for u in users]
    return UsersPage(
        rows=rows,
        offices=visible,
        form=form or UserForm(office_id=actor.office_id),
        ok=notice(ok),
        error=error,
    )


@router.get("/users")
def list_users(
    request: Request, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, TEMPLATE, users_page(session, actor, ok=ok))


@router.post("/users")
def create_user(
    request: Request,
    session: DbSession,
    actor: CurrentActor,
    username: str = Form(""),
    full_name: str = Form(""),
    password: str = Form(""),
    office_id: int = Form(...),
    roles: list[str] = Form([]),
    department: str = Form(""),
    all_offices: bool = Form(default=False),
) -> Response:
    data = accounts.UserIn(
        username=username,
        full_name=full_name,
        password=password,
        office_id=office_id,
        roles=tuple(roles),
        department=department,
        all_offices=all_offices,
    )
    error = attempt(session, lambda: accounts.create_user(session, actor, data))
    if error is None:
        return hx_redirect(request, "/users?ok=user.created")
    form = UserForm(username, full_name, office_id, tuple(roles), department, all_offices)
    return render(request, TEMPLATE, users_page(session, actor, error=error, form=form), status=422)
