"""`archive loans overdue` and `archive holidays` on a real SQLite data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive import migrate
from archive.cli import app
from archive.db import make_engine, session_factory, transaction
from archive.services import loan_desk, loans
from archive.services.loans import LoanRequest
from tests.use_world import MONDAY, make_use_world


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ARCHIVE_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", "")
    monkeypatch.setenv("ARCHIVE_ENV", "dev")
    engine = make_engine(f"sqlite:///{tmp_path / 'var' / 'archive.sqlite3'}")
    migrate.upgrade(engine)
    with transaction(session_factory(engine)) as session:
        world = make_use_world(session, files=2)
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
            today=MONDAY,
        )
    engine.dispose()
    return tmp_path / "var"


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result.output


def test_the_overdue_run_marks_levels_and_lists_loans(data_dir: Path) -> None:
    quiet = json.loads(run("loans", "overdue", "--today", "16/03/2026", "--json"))
    assert quiet == {"raised": 0, "overdue": []}
    late = json.loads(run("loans", "overdue", "--today", "24/03/2026", "--json"))
    [line] = late["overdue"]
    assert (late["raised"], line["level"], line["days_late"]) == (1, 2, 6)
    assert line["borrower"] == "Nguyễn Thị Lan" and line["files"] == ["HS-001"]
    again = json.loads(run("loans", "overdue", "--today", "24/03/2026", "--json"))
    assert again["raised"] == 0
    assert "mức 2" in run("loans", "overdue", "--today", "24/03/2026")


def test_holidays_are_added_listed_and_refused_twice(data_dir: Path) -> None:
    assert "Đã thêm ngày nghỉ 17/02/2026: Tết Nguyên đán" in run(
        "holidays", "add", "17/02/2026", "Tết Nguyên đán"
    )
    listed = run("holidays", "list", "--year", "2026")
    assert "17/02/2026  Tết Nguyên đán" in listed and "02/09/2026  Quốc khánh" in listed
    assert "đã là ngày nghỉ" in run("holidays", "add", "17/02/2026", "Tết", code=1)
    assert "không hợp lệ" in run("holidays", "add", "31/02/2026", "x", code=2)
    assert "không hợp lệ" in run("loans", "overdue", "--today", "hôm qua", code=2)
