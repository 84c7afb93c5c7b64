"""Domain errors → RFC 9457 problem+json with a stable code and Vietnamese and English messages."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from archive.errors import ArchiveError, Conflict, Forbidden, Invalid, NotFound, Unauthenticated
from archive.i18n import message
from archive.services.search_index import BackendUnavailable
from indexes.backend import IndexUnusable, IndexWriteFailed

STATUS: dict[type[ArchiveError], int] = {
    ArchiveError: 400,
    Invalid: 422,
    NotFound: 404,
    Conflict: 409,
    Forbidden: 403,
    Unauthenticated: 401,
    # The request was fine; the search index is not (an administrator's matter).
    IndexUnusable: 503,
    IndexWriteFailed: 503,
    BackendUnavailable: 503,
}
PROBLEM_TYPE = "urn:bhxh-archive:problem:"


def status_of(err: ArchiveError) -> int:
    for cls in type(err).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def problem(
    code: str,
    status: int,
    lang: str,
    *,
    params: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> JSONResponse:
    """An RFC 9457 problem document with a stable code and messages in both languages."""
    params = params or {}
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + code,
        "title": message(code, "en", **params),
        "status": status,
        "detail": message(code, lang, **params),
        "code": code,
        "message_vi": message(code, "vi", **params),
        "message_en": message(code, "en", **params),
        "params": {
            k: v if isinstance(v, int | float | str | bool) or v is None else str(v)
            for k, v in params.items()
        },
    }
    body.update(extra or {})
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        body, status_code=status, media_type="application/problem+json", headers=headers
    )
