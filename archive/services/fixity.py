"""Fixity of the scanned originals: re-hash everything in the store, and check that every
original the database refers to is there (issue 3, item 6). A run is audited with its counts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import ScanSource
from archive.permissions import Actor, Perm, require
from archive.services import audit
from scanners.storage import FixityProblem, OriginalStore, verify


@dataclass
class FixityReport:
    """What a fixity run found; `problems` lists each one (empty: all is well)."""

    referenced: int
    checked: int = 0
    problems: list[FixityProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for problem in self.problems:
            out[problem.kind.value] = out.get(problem.kind.value, 0) + 1
        return out


def referenced_originals(session: Session) -> list[str]:
    """Every original the database refers to."""
    return list(session.scalars(select(ScanSource.sha256).distinct().order_by(ScanSource.sha256)))


def check(
    session: Session,
    actor: Actor,
    store: OriginalStore,
    *,
    progress: Callable[[], None] | None = None,
) -> FixityReport:
    """Re-hash the store and look for every referenced original; records the run in the audit
    log (in the caller's transaction)."""
    require(actor, Perm.AUDIT_READ)
    expected = referenced_originals(session)
    report = FixityReport(referenced=len(expected))

    def hashed(_path: Path) -> None:
        report.checked += 1
        if progress is not None:
            progress()

    report.problems.extend(verify(store, expected, on_file=hashed))
    audit.record(
        session,
        actor,
        "scan.fixity_checked",
        object_type="originals",
        object_id=None,
        changes={
            "referenced": report.referenced,
            "checked": report.checked,
            "problems": report.counts(),
        },
    )
    return report
