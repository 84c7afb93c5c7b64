"""Log in and out; the language toggle."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from archive.api.deps import SESSION_COOKIE, DbSession, get_runtime
from archive.errors import Unauthenticated
from archive.services import accounts
from archive.web.templating import render

router = APIRouter()
LOGIN_CSRF_COOKIE = "archive_login_csrf"


@dataclass(frozen=True)
class LoginPage:
    next: str
    error: str | None = None
    username: str = ""


def _safe_next(value: str) -> str:
    """Only local paths, so a crafted link cannot send a user elsewhere after login."""
    return value if value.startswith("/") and not value.startswith("//") else "/"


def _login_page(request: Request, page: LoginPage, status: int = 200) -> Response:
    token = secrets.token_urlsafe(24)
    request.state.csrf_token = token
    response = render(request, "login.html", page, status=status)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict")
    return response


@router.get("/login")
def login_form(request: Request, next: str = "/") -> Response:
    return _login_page(request, LoginPage(next=_safe_next(next)))


@router.post("/login")
def login(
    request: Request,
    session: DbSession,
    username: str = Form(""),
    password: str = Form(""),
    csrf_token: str = Form(""),
    next: str = Form("/"),
) -> Response:
    if not accounts.csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE, ""), csrf_token):
        return _login_page(
            request, LoginPage(next=_safe_next(next), error="auth.csrf", username=username), 400
        )
    try:
        user = accounts.authenticate(session, username=username, password=password)
    except Unauthenticated as err:
        return _login_page(
            request, LoginPage(next=_safe_next(next), error=err.code, username=username), 401
        )
    settings = get_runtime(request).settings
    opened = accounts.open_session(session, user, hours=settings.session_hours)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        opened.token,
        httponly=True,
        samesite="lax",
        secure=settings.env == "prod",
        max_age=settings.session_hours * 3600,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    if user.language in ("vi", "en"):
        response.set_cookie("lang", user.language, samesite="lax")
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession, csrf_token: str = Form("")) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        _, web_session = accounts.session_user(session, cookie)
        if not accounts.csrf_ok(web_session.csrf_token, csrf_token):
            raise Unauthenticated("auth.csrf")
        accounts.close_session(session, cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/lang/{lang}")
def set_language(lang: str, request: Request) -> Response:
    """Switch the UI language and return to the page the reader was on."""
    back = _safe_next(
        request.headers.get("referer", "/").split(request.base_url.netloc, 1)[-1] or "/"
    )
    response = RedirectResponse(back, status_code=303)
    response.set_cookie("lang", "en" if lang == "en" else "vi", samesite="lax", max_age=365 * 86400)
    return response
