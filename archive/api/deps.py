"""Request dependencies: the unit of work, the acting user (bearer token or session cookie)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from archive.clock import local_today
from archive.db import transaction
from archive.errors import Unauthenticated
from archive.permissions import Actor
from archive.runtime import Runtime
from archive.services import accounts

T = TypeVar("T")
SESSION_COOKIE = "archive_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class SignedIn:
    """Who is signed in, as the page header shows them."""

    username: str
    full_name: str
    perms: frozenset[str] = frozenset()


def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def db_session(request: Request) -> AsyncIterator[Session]:
    """One transaction per request, committed before the response is sent (scope="function").

    Async on purpose: opening a session does no I/O (it begins on first use, with BEGIN IMMEDIATE
    for writes on SQLite), so only the end of the transaction goes to the threadpool, once, and
    not at all when no query ran. A sync generator cost two threadpool hops on every request."""
    runtime = get_runtime(request)
    factory = runtime.sessions if request.method in SAFE_METHODS else runtime.write_sessions
    session = factory()
    try:
        yield session
    except BaseException:
        await run_in_threadpool(_end, session, commit=False)
        raise
    if session.in_transaction():
        await run_in_threadpool(_end, session, commit=True)
    else:
        session.close()


def _end(session: Session, *, commit: bool) -> None:
    try:
        if commit:
            session.commit()
    finally:
        session.close()


DbSession = Annotated[Session, Depends(db_session, scope="function")]


async def _csrf_from(request: Request) -> str | None:
    header = request.headers.get(CSRF_HEADER)
    if header:
        return header
    if request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        return value if isinstance(value, str) else None
    return None


async def csrf_submitted(request: Request) -> str | None:
    """The CSRF token a changing request carries (header, or form field); reads no database."""
    if request.method in SAFE_METHODS:
        return None
    return await _csrf_from(request)


def authenticate(request: Request, session: Session, csrf: str | None) -> Actor:
    """The user behind a bearer token or a session cookie (with CSRF checked on changes)."""
    authorization = request.headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        identity = accounts.identity_for_token(session, authorization[7:].strip())
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if not cookie:
            raise Unauthenticated("auth.required")
        user, web_session = accounts.session_user(session, cookie)
        request.state.csrf_token = web_session.csrf_token
        if request.method not in SAFE_METHODS and not accounts.csrf_ok(
            web_session.csrf_token, csrf
        ):
            raise Unauthenticated("auth.csrf")
        identity = accounts.Identity(
            accounts.actor_for(session, user), user.username, user.full_name
        )
    # Plain values, not an ORM row: a refused request rolls back and expires its rows, and the
    # error page rendered afterwards still names the user in its header.
    request.state.user = SignedIn(
        username=identity.username,
        full_name=identity.full_name,
        perms=frozenset(p.value for p in identity.actor.perms),
    )
    return identity.actor


def current_actor(
    request: Request, session: DbSession, csrf: Annotated[str | None, Depends(csrf_submitted)]
) -> Actor:
    """The acting user of a request (see authenticate).

    Synchronous on purpose: FastAPI runs it in the threadpool, so its queries never block the
    event loop that serves every other request."""
    return authenticate(request, session, csrf)


async def in_one_thread(request: Request, work: Callable[[Session, Actor], T]) -> T:
    """Authenticate and do `work` in one read unit of work on one threadpool thread.

    For the hottest read routes (the desk's scanner looks up constantly): the DbSession and
    CurrentActor dependencies plus a sync handler cost three threadpool hops per request, this
    one (issue 2: lookup p95 ≤ 3× a trivial endpoint). Same authentication, same transaction
    rules; domain errors propagate to the same handlers."""
    csrf = await csrf_submitted(request)
    runtime = get_runtime(request)

    def run() -> T:
        with transaction(runtime.sessions, write=False) as session:
            return work(session, authenticate(request, session, csrf))

    return await run_in_threadpool(run)


CurrentActor = Annotated[Actor, Depends(current_actor)]


def language(request: Request) -> str:
    """The reader's language: ?lang=, the `lang` cookie, Accept-Language, then Vietnamese."""
    lang = request.query_params.get("lang") or request.cookies.get("lang")
    if lang in ("vi", "en"):
        return lang
    accept = request.headers.get("accept-language", "")
    return "en" if accept.lower().startswith("en") else "vi"


Language = Annotated[str, Depends(language)]


def today(request: Request) -> date:
    """Today's date in the archive's time zone (due dates, the reading room's day)."""
    return local_today(get_runtime(request).settings.timezone)


Today = Annotated[date, Depends(today)]
