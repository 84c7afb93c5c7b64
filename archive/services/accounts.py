"""Users, roles and office scope; password login, API tokens and browser sessions."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Integer, String, bindparam, cast, delete, select, union_all
from sqlalchemy.orm import Session

from archive.errors import Conflict, Invalid, NotFound, Unauthenticated
from archive.models import ROLES, ApiToken, Office, OfficeGrant, User, UserRole, WebSession, utcnow
from archive.permissions import Actor, Perm, require
from archive.services import audit, barcodes
from archive.text import nfc

MIN_PASSWORD = 10
_USERNAME = re.compile(r"^[a-z0-9._]{3,60}$")
_hasher = PasswordHasher()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# Built once: every authenticated request runs these two statements (issue 2: lookup p95 ≤ 3×
# a trivial endpoint), so the per-request cost is execution, not statement construction.
_SCOPE = union_all(
    select(UserRole.role.label("role"), cast(None, Integer).label("office_id")).where(
        UserRole.user_id == bindparam("user_id")
    ),
    select(cast(None, String).label("role"), OfficeGrant.office_id.label("office_id")).where(
        OfficeGrant.user_id == bindparam("user_id")
    ),
)


def actor_for(session: Session, user: User) -> Actor:
    """The acting identity of a user: roles and the offices they may see (one query)."""
    rows = session.execute(_SCOPE, {"user_id": user.id}).all()
    roles = frozenset(role for role, _ in rows if role is not None)
    office_ids: frozenset[int] | None = None
    if not user.all_offices:
        office_ids = frozenset({user.office_id, *(o for _, o in rows if o is not None)})
    return Actor(
        user_id=user.id,
        label=user.username,
        roles=roles,
        office_id=user.office_id,
        office_ids=office_ids,
    )


@dataclass(frozen=True)
class UserIn:
    username: str
    full_name: str
    password: str
    office_id: int
    roles: tuple[str, ...]
    department: str = ""
    all_offices: bool = False
    extra_office_ids: tuple[int, ...] = ()


def create_user(session: Session, actor: Actor, data: UserIn) -> User:
    """A new user; refuses a taken username, an unknown role or a short password."""
    require(actor, Perm.USERS_MANAGE)
    username = data.username.strip().lower()
    if not _USERNAME.match(username):
        raise Invalid("user.username", value=data.username)
    if len(data.password) < MIN_PASSWORD:
        raise Invalid("user.password_short", min=MIN_PASSWORD)
    for role in data.roles:
        if role not in ROLES:
            raise Invalid("user.role", role=role)
    if not data.roles:
        raise Invalid("user.role", role="")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Conflict("user.duplicate", username=username)
    office = session.get(Office, data.office_id)
    if office is None:
        raise NotFound("office.not_found", office_id=data.office_id)
    user = User(
        username=username,
        full_name=nfc(data.full_name),
        department=nfc(data.department),
        password_hash=_hasher.hash(data.password),
        office_id=data.office_id,
        all_offices=data.all_offices,
        card_code=barcodes.allocate(session, "card", office.code)[0],
    )
    session.add(user)
    session.flush()
    session.add_all(UserRole(user_id=user.id, role=r) for r in sorted(set(data.roles)))
    session.add_all(
        OfficeGrant(user_id=user.id, office_id=o) for o in sorted(set(data.extra_office_ids))
    )
    session.flush()
    audit.record(
        session,
        actor,
        "user.created",
        object_type="user",
        object_id=user.id,
        office_id=user.office_id,
        changes={
            "username": [None, username],
            "roles": [None, sorted(data.roles)],
            "all_offices": [None, data.all_offices],
            "extra_offices": [None, sorted(data.extra_office_ids)],
        },
    )
    return user


def set_password(session: Session, actor: Actor, *, user_id: int, password: str) -> None:
    """Replace a user's password (administrators, or the user themself)."""
    if actor.user_id != user_id:
        require(actor, Perm.USERS_MANAGE)
    if len(password) < MIN_PASSWORD:
        raise Invalid("user.password_short", min=MIN_PASSWORD)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user.not_found", user_id=user_id)
    user.password_hash = _hasher.hash(password)
    session.execute(delete(WebSession).where(WebSession.user_id == user_id))
    audit.record(
        session,
        actor,
        "user.password_changed",
        object_type="user",
        object_id=user_id,
        office_id=user.office_id,
    )


@dataclass(frozen=True)
class Profile:
    """The signed-in user as /me shows them."""

    user: User
    office_code: str


def profile(session: Session, actor: Actor) -> Profile:
    """The acting user's own record and office code; refuses system actors."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    if user is None:
        raise NotFound("user.not_found", user_id=actor.user_id)
    office = session.get(Office, user.office_id)
    assert office is not None
    return Profile(user=user, office_code=office.code)


def list_users(session: Session, actor: Actor) -> list[User]:
    """All users, for administrators."""
    require(actor, Perm.USERS_MANAGE)
    return list(session.scalars(select(User).order_by(User.username)))


def roles_of(session: Session, user_id: int) -> list[str]:
    """The roles a user holds, sorted."""
    return sorted(session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))


def authenticate(session: Session, *, username: str, password: str) -> User:
    """The active user with these credentials; refuses anything else with one generic error."""
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.active:
        _hasher.hash(password)  # same cost either way, so timing does not reveal usernames
        raise Unauthenticated("auth.bad_credentials")
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError) as err:
        raise Unauthenticated("auth.bad_credentials") from err
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def issue_token(
    session: Session, actor: Actor, *, user_id: int, name: str, days: int | None = 365
) -> str:
    """A new API bearer token for a user (shown once; only its hash is kept)."""
    if actor.user_id != user_id:
        require(actor, Perm.USERS_MANAGE)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("user.not_found", user_id=user_id)
    token = "bhxh_" + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=days) if days else None
    row = ApiToken(
        user_id=user_id, name=nfc(name) or "api", token_hash=_token_hash(token), expires_at=expires
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "token.issued",
        object_type="api_token",
        object_id=row.id,
        office_id=user.office_id,
        changes={"user_id": [None, user_id], "name": [None, row.name]},
    )
    return token


@dataclass(frozen=True)
class Identity:
    """Who is acting, and the names a page header shows."""

    actor: Actor
    username: str
    full_name: str


# One statement per authenticated API request: the token, its user, their roles and extra offices
# (issue 2: lookup p95 ≤ 3× a trivial endpoint, so per-request overhead is what counts).
_TOKEN_IDENTITY = (
    select(
        User.id,
        User.username,
        User.full_name,
        User.office_id,
        User.all_offices,
        User.active,
        ApiToken.expires_at,
        ApiToken.revoked_at,
        UserRole.role,
        OfficeGrant.office_id.label("grant"),
    )
    .join(ApiToken, ApiToken.user_id == User.id)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .outerjoin(OfficeGrant, OfficeGrant.user_id == User.id)
    .where(ApiToken.token_hash == bindparam("token_hash"))
)


def identity_for_token(session: Session, token: str, *, now: datetime | None = None) -> Identity:
    """The identity behind a valid, unexpired, unrevoked token of an active user."""
    now = now or utcnow()
    rows = session.execute(_TOKEN_IDENTITY, {"token_hash": _token_hash(token)}).all()
    if not rows:
        raise Unauthenticated("auth.bad_token")
    first = rows[0]
    expired = first.expires_at is not None and first.expires_at <= now
    if first.revoked_at is not None or expired or not first.active:
        raise Unauthenticated("auth.bad_token")
    roles = frozenset(r.role for r in rows if r.role is not None)
    office_ids = (
        None
        if first.all_offices
        else frozenset({first.office_id, *(r.grant for r in rows if r.grant is not None)})
    )
    actor = Actor(
        user_id=first.id,
        label=first.username,
        roles=roles,
        office_id=first.office_id,
        office_ids=office_ids,
    )
    return Identity(actor=actor, username=first.username, full_name=first.full_name)


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf_token: str
    expires_at: datetime


def open_session(session: Session, user: User, *, hours: int) -> NewSession:
    """A browser session for a logged-in user: a cookie token and its CSRF secret."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(hours=hours)
    session.add(
        WebSession(
            user_id=user.id, token_hash=_token_hash(token), csrf_token=csrf, expires_at=expires
        )
    )
    session.flush()
    audit.record(
        session,
        Actor(user_id=user.id, label=user.username),
        "session.opened",
        object_type="user",
        object_id=user.id,
        office_id=user.office_id,
    )
    return NewSession(token, csrf, expires)


def session_user(session: Session, token: str) -> tuple[User, WebSession]:
    """The user and session behind a cookie token; refuses unknown or expired sessions."""
    row = session.scalar(select(WebSession).where(WebSession.token_hash == _token_hash(token)))
    if row is None or row.expires_at <= utcnow():
        raise Unauthenticated("auth.required")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise Unauthenticated("auth.required")
    return user, row


def close_session(session: Session, token: str) -> None:
    """Log out: forget the session behind this cookie token."""
    session.execute(delete(WebSession).where(WebSession.token_hash == _token_hash(token)))


def csrf_ok(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a form's CSRF token with the session's."""
    return bool(given) and secrets.compare_digest(expected, given or "")


def bootstrap_admin(
    session: Session, actor: Actor, *, office_id: int, username: str = "admin"
) -> str | None:
    """On an empty installation, the first administrator with a random password (returned once);
    None when any user exists already."""
    if session.scalar(select(User.id).limit(1)) is not None:
        return None
    password = secrets.token_urlsafe(12)
    create_user(
        session,
        actor,
        UserIn(
            username=username,
            full_name="Quản trị hệ thống",
            password=password,
            office_id=office_id,
            roles=("administrator",),
            all_offices=True,
        ),
    )
    return password
