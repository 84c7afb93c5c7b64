"""Rendering pages: one Jinja2 environment, the reader's language, htmx partials and redirects."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from archive.api.deps import CSRF_FIELD, language
from archive.i18n import message, ui

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _local(value: Any, fmt: str = "%d/%m/%Y %H:%M") -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and getattr(value, "hour", None) is not None:
        return str(value.astimezone(LOCAL_TZ).strftime(fmt))
    return str(value.strftime("%d/%m/%Y"))


def _date(value: Any) -> str:
    return "" if value is None else str(value.strftime("%d/%m/%Y"))


def _number(value: Any, digits: int = 0) -> str:
    """Vietnamese number format: 1.546,25."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


TEMPLATES.env.filters["local"] = _local
TEMPLATES.env.filters["vndate"] = _date
TEMPLATES.env.filters["vnnum"] = _number


def _messenger(lang: str) -> Any:
    def msg(code: str, /, **params: Any) -> str:
        return message(code, lang, **params)

    return msg


def render(
    request: Request,
    template: str,
    page: Any = None,
    *,
    status: int = 200,
    block: str | None = None,
    **extra: Any,
) -> Response:
    """A page (or, for htmx requests that name a block, just that block) for the reader."""
    lang = language(request)
    user = getattr(request.state, "user", None)
    context = {
        "request": request,
        "page": page,
        "lang": lang,
        "user": user,
        "t": lambda key: ui(key, lang),
        "msg": _messenger(lang),
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "csrf_field": CSRF_FIELD,
        **extra,
    }
    if block and request.headers.get("hx-request"):
        tmpl = TEMPLATES.env.get_template(template)
        html = "".join(tmpl.blocks[block](tmpl.new_context(context)))
        return Response(html, status_code=status, media_type="text/html")
    return TEMPLATES.TemplateResponse(request, template, context, status_code=status)


def hx_redirect(request: Request, url: str) -> Response:
    """Go to `url`: 200 + HX-Redirect for htmx, 303 otherwise."""
    if request.headers.get("hx-request"):
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)
