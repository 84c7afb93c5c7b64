"""Record series and their retention rules: data an administrator edits, every version kept."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Invalid, NotFound
from archive.models import RETENTION_TRIGGERS, RetentionRule, Series
from archive.permissions import Actor, Perm, require
from archive.services import audit
from archive.text import nfc


@dataclass(frozen=True)
class SeriesView:
    series: Series
    rule: RetentionRule


def current_rules(session: Session) -> dict[int, RetentionRule]:
    """The newest retention rule of every series."""
    newest = (
        select(RetentionRule.series_id, func.max(RetentionRule.version).label("v"))
        .group_by(RetentionRule.series_id)
        .subquery()
    )
    rows = session.scalars(
        select(RetentionRule).join(
            newest,
            (newest.c.series_id == RetentionRule.series_id) & (newest.c.v == RetentionRule.version),
        )
    )
    return {r.series_id: r for r in rows}


def list_series(session: Session, actor: Actor) -> list[SeriesView]:
    """Every series with its current retention rule."""
    require(actor, Perm.REGISTER_READ)
    rules = current_rules(session)
    return [
        SeriesView(s, rules[s.id]) for s in session.scalars(select(Series).order_by(Series.code))
    ]


def get_by_code(session: Session, code: str) -> Series:
    """The series with this code; refuses an unknown code."""
    series = session.scalar(select(Series).where(Series.code == code.strip().upper()))
    if series is None:
        raise NotFound("series.not_found", code=code)
    return series


def set_retention(
    session: Session,
    actor: Actor,
    *,
    series_id: int,
    period_years: int | None,
    trigger: str,
    note: str = "",
) -> RetentionRule:
    """A new version of a series' retention rule (the old versions stay); administrators only."""
    require(actor, Perm.SERIES_MANAGE)
    series = session.get(Series, series_id)
    if series is None:
        raise NotFound("series.not_found", code=series_id)
    permanent = period_years is None
    if (
        trigger not in RETENTION_TRIGGERS
        or permanent != (trigger == "none")
        or (period_years is not None and not 1 <= period_years <= 200)
    ):
        raise Invalid("retention.invalid", period_years=period_years, trigger=trigger)
    previous = current_rules(session)[series_id]
    rule = RetentionRule(
        series_id=series_id,
        version=previous.version + 1,
        period_years=period_years,
        trigger=trigger,
        note=nfc(note),
        created_by_id=actor.user_id,
    )
    session.add(rule)
    session.flush()
    audit.record(
        session,
        actor,
        "retention.changed",
        object_type="series",
        object_id=series_id,
        changes={
            "period_years": [previous.period_years, period_years],
            "trigger": [previous.trigger, trigger],
            "version": [previous.version, rule.version],
        },
    )
    return rule


def rule_history(session: Session, actor: Actor, series_id: int) -> list[RetentionRule]:
    """Every version of a series' retention rule, newest first."""
    require(actor, Perm.REGISTER_READ)
    return list(
        session.scalars(
            select(RetentionRule)
            .where(RetentionRule.series_id == series_id)
            .order_by(RetentionRule.version.desc())
        )
    )
