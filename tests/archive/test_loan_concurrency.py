"""Two desks handing out the same file at the same moment: exactly one succeeds, enforced by the
database (the out-card's primary key), proven with real concurrent connections."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from archive.db import session_factory, transaction
from archive.errors import Conflict
from archive.models import Loan, OutCard, User
from archive.services import accounts, loan_desk, loans
from archive.services.loans import LoanRequest
from tests.databases import own_database
from tests.use_world import MONDAY, make_use_world

DESKS = 50


@pytest.fixture(params=["sqlite", "postgresql"])
def desk_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated database of its own: these tests commit for real, from several connections."""
    with own_database(request.param, tmp_path, connections=DESKS) as engine:
        yield engine


def test_fifty_desks_hand_out_the_same_file_and_exactly_one_loan_exists(
    desk_engine: Engine,
) -> None:
    factory = session_factory(desk_engine)
    with transaction(factory) as session:
        world = make_use_world(session, files=1)
        file_id = world.files[0].id
        borrower = world.actor(session, world.borrower)
        approver = world.actor(session, world.approver)
        loan_ids = []
        for _ in range(DESKS):
            loan = loans.request_loan(
                session, borrower, LoanRequest(file_ids=(file_id,), purpose_id=world.purpose.id)
            )
            loans.decide_loan(session, approver, loan_id=loan.id, approve=True)
            loan_ids.append(loan.id)
        archivist_id = world.archivist.id

    # On PostgreSQL every desk has its transaction open before any hands out; SQLite takes its
    # write lock at BEGIN, so there the desks queue on it (and must still all be refused but one).
    barrier = threading.Barrier(DESKS) if desk_engine.dialect.name == "postgresql" else None

    def desk(loan_id: int) -> str:
        try:
            # A write transaction, as every request that changes data opens one.
            with transaction(factory, write=barrier is None) as session:
                user = session.get(User, archivist_id)
                assert user is not None
                actor = accounts.actor_for(session, user)
                if barrier is not None:
                    barrier.wait(timeout=60)
                loan_desk.hand_out(
                    session, actor, loan_id=loan_id, file_ids=[file_id], today=MONDAY
                )
            return "ok"
        except Conflict as err:
            return err.code

    with ThreadPoolExecutor(DESKS) as pool:
        outcomes = list(pool.map(desk, loan_ids))

    assert outcomes.count("ok") == 1
    assert set(outcomes) == {"ok", "file.already_out"}
    with transaction(factory, write=False) as session:
        assert session.scalar(select(func.count()).select_from(OutCard)) == 1
        statuses = session.scalars(select(Loan.status).where(Loan.id.in_(loan_ids))).all()
        assert sorted(set(statuses)) == ["approved", "out"]
        assert statuses.count("out") == 1
