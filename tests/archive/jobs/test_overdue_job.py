"""The worker's hourly overdue run: today's date in the archive's time zone, the configured
levels, idempotent."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from archive import migrate
from archive.db import make_engine, session_factory, transaction
from archive.jobs.tasks import mark_overdue_now
from archive.models import Loan, Notice
from archive.services import loan_desk, loans
from archive.services.loans import LoanRequest
from archive.settings import Settings
from tests.use_world import MONDAY, make_use_world


def test_the_overdue_run_marks_loans_due_long_ago_once(tmp_path: Path) -> None:
    settings = Settings(env="test", data_dir=tmp_path / "var", database_url="")
    engine = make_engine(settings.effective_database_url)
    migrate.upgrade(engine)
    with transaction(session_factory(engine)) as session:
        world = make_use_world(session, files=1)
        loan = loans.request_loan(
            session,
            world.actor(session, world.borrower),
            LoanRequest(file_ids=(world.files[0].id,), purpose_id=world.purpose.id),
        )
        loans.decide_loan(
            session, world.actor(session, world.approver), loan_id=loan.id, approve=True
        )
        loan_desk.hand_out(
            session,
            world.actor(session, world.archivist),
            loan_id=loan.id,
            file_ids=[world.files[0].id],
            today=MONDAY,  # due in March 2026: long past by any real today
        )
    first = mark_overdue_now(settings)
    again = mark_overdue_now(settings)
    assert (first.raised, again.raised) == (1, 0)
    with transaction(session_factory(engine), write=False) as session:
        assert session.scalar(select(Loan.overdue_level)) == 3
        kinds = session.scalars(select(Notice.kind).where(Notice.level == 3)).all()
        assert kinds and set(kinds) == {"loan.overdue"}
    engine.dispose()
