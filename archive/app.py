"""create_app(settings) -> FastAPI: the API under /api/v1 and the web UI, one error policy."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from archive.api import routes as api_routes
from archive.api.deps import language
from archive.api.errors import problem, status_of
from archive.errors import ArchiveError, InvalidRows
from archive.jobs import LazyTasks
from archive.runtime import Runtime
from archive.services import search_outbox
from archive.settings import Settings
from archive.web import routes as web_routes
from archive.web.errors import render_error

log = logging.getLogger("archive")
STATIC = Path(__file__).parent / "web" / "static"


def create_app(settings: Settings) -> FastAPI:
    """The whole service for these settings (the engine is opened lazily, once)."""
    app = FastAPI(
        title="Kho lưu trữ hồ sơ BHXH — API",
        version="1",
        description="Register of an archive's files and places: lookup, locations, files, "
        "handovers, imports, reports, audit. Errors are RFC 9457 problem+json with a stable `code` "
        "and Vietnamese and English messages. Authenticate with `Authorization: Bearer <token>` "
        "(`archive users token USERNAME`, or POST /api/v1/auth/token).",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/v1/docs",
        redoc_url=None,
    )
    runtime = app.state.runtime = Runtime(settings)
    tasks = app.state.tasks = LazyTasks(settings)
    # Changes that mark files for the search index queue the index writer once committed.
    runtime.session_info[search_outbox.NOTIFY] = tasks.enqueue_index
    app.add_middleware(ServerTiming)
    app.include_router(api_routes.router, prefix="/api/v1")
    app.include_router(web_routes.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _install_error_handlers(app)
    return app


class ServerTiming:
    """Adds `Server-Timing: app;dur=<ms>` to every response: the time spent inside the app."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                ms = (time.perf_counter() - start) * 1000
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={ms:.2f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, timed_send)


def app_from_env() -> FastAPI:
    """The uvicorn factory: settings from the environment."""
    return create_app(Settings())


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _install_error_handlers(app: FastAPI) -> None:
    async def on_archive_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ArchiveError)
        status = status_of(exc)
        if not _is_api(request):
            return render_error(request, exc.code, status, exc.params)
        extra = {"errors": exc.errors} if isinstance(exc, InvalidRows) else None
        return problem(exc.code, status, language(request), params=exc.params, extra=extra)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        errors = [
            {
                "loc": [str(p) for p in e.get("loc", ())],
                "msg": e.get("msg", ""),
                "type": e.get("type", ""),
            }
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors)
        if not _is_api(request):
            return render_error(request, "request.invalid", 422, {"detail": detail})
        return problem(
            "request.invalid",
            422,
            language(request),
            params={"detail": detail},
            extra={"errors": errors},
        )

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        code = {404: "route.not_found", 405: "method.not_allowed"}.get(exc.status_code, "error")
        if not _is_api(request):
            return render_error(request, code, exc.status_code, {})
        return problem(code, exc.status_code, language(request))

    async def on_crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        if not _is_api(request):
            return render_error(request, "internal", 500, {})
        return problem("internal", 500, language(request))

    app.add_exception_handler(ArchiveError, on_archive_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(Exception, on_crash)
