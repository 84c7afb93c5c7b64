"""Record series with their current retention; administrators add a new retention version."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from archive.api.deps import CurrentActor, DbSession
from archive.errors import NotFound
from archive.models import RETENTION_TRIGGERS, RetentionRule
from archive.permissions import Actor, Perm
from archive.services import series as series_service
from archive.services.series import SeriesView
from archive.web.forms import FormError, attempt, notice
from archive.web.templating import hx_redirect, render

router = APIRouter()


@dataclass(frozen=True)
class SeriesListPage:
    rows: list[SeriesView]
    ok: str | None = None


@dataclass(frozen=True)
class SeriesPage:
    view: SeriesView
    versions: list[RetentionRule]
    can_manage: bool
    triggers: tuple[str, ...] = RETENTION_TRIGGERS
    ok: str | None = None
    error: FormError | None = None
    form: dict[str, str] = field(default_factory=dict)


def series_page(
    session: Session,
    actor: Actor,
    series_id: int,
    *,
    ok: str | None = None,
    error: FormError | None = None,
    form: dict[str, str] | None = None,
) -> SeriesPage:
    view = next(
        (v for v in series_service.list_series(session, actor) if v.series.id == series_id), None
    )
    if view is None:
        raise NotFound("series.not_found", code=series_id)
    return SeriesPage(
        view=view,
        versions=series_service.rule_history(session, actor, series_id),
        can_manage=actor.has(Perm.SERIES_MANAGE),
        ok=notice(ok),
        error=error,
        form=form or {},
    )


@router.get("/series")
def list_series(request: Request, session: DbSession, actor: CurrentActor) -> Response:
    return render(
        request,
        "admin/series_list.html",
        SeriesListPage(rows=series_service.list_series(session, actor)),
    )


@router.get("/series/{series_id}")
def show_series(
    request: Request, series_id: int, session: DbSession, actor: CurrentActor, ok: str | None = None
) -> Response:
    return render(request, "admin/series.html", series_page(session, actor, series_id, ok=ok))


def _years(text: str) -> int | None:
    """Empty means permanent; anything not a whole number is refused by the service's rule."""
    text = text.strip()
    return int(text) if text.isdigit() else (None if not text else -1)


@router.post("/series/{series_id}/retention")
def set_retention(
    request: Request,
    series_id: int,
    session: DbSession,
    actor: CurrentActor,
    period_years: str = Form(""),
    trigger: str = Form("none"),
    note: str = Form(""),
) -> Response:
    error = attempt(
        session,
        lambda: series_service.set_retention(
            session,
            actor,
            series_id=series_id,
            period_years=_years(period_years),
            trigger=trigger,
            note=note,
        ),
    )
    if error is None:
        return hx_redirect(request, f"/series/{series_id}?ok=retention.changed")
    form = {"period_years": period_years, "trigger": trigger, "note": note}
    return render(
        request,
        "admin/series.html",
        series_page(session, actor, series_id, error=error, form=form),
        status=422,
    )
