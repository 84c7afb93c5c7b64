"""Errors on pages: a Vietnamese (or English) message from the catalogue, never a stack trace."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from archive.web.templating import hx_redirect, render

LOGIN_CODES = {"auth.required", "auth.bad_token"}


def render_error(request: Request, code: str, status: int, params: dict[str, Any]) -> Response:
    """The error page (or an htmx fragment) for a refused request; login when not logged in."""
    if code in LOGIN_CODES:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return hx_redirect(request, f"/login?next={quote(target)}")
    return render(
        request, "error.html", {"code": code, "params": params}, status=status, block="content"
    )
