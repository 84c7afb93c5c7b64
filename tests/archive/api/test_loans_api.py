"""Loans through HTTP: request → approval → hand-out at the desk by card and barcodes → return,
refusals as problem+json that change nothing, the inbox, overdue lists, holidays."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.clock import local_today
from archive.models import AuditEvent, Loan, OutCard
from archive.services import accounts
from tests.apps import bearer, make_app, seeded
from tests.use_world import make_use_world


@pytest.fixture
def desk(factory: sessionmaker[Session], tmp_path: Path) -> tuple[TestClient, dict[str, Any]]:
    with seeded(factory) as session:
        world = make_use_world(session)
        tokens = {
            name: accounts.issue_token(
                session, accounts.actor_for(session, user), user_id=user.id, name="t"
            )
            for name, user in {
                "borrower": world.borrower,
                "approver": world.approver,
                "archivist": world.archivist,
            }.items()
        }
        facts = {
            "tokens": tokens,
            "files": [(f.id, f.barcode, f.sheet_count) for f in world.files],
            "card": world.borrower.card_code,
            "purpose": world.purpose.id,
        }
    return TestClient(make_app(factory, tmp_path), raise_server_exceptions=True), facts


def _as(client: TestClient, facts: dict[str, Any], who: str) -> dict[str, str]:
    return bearer(facts["tokens"][who])


def test_a_loan_through_http_from_request_to_return(
    desk: tuple[TestClient, dict[str, Any]], factory: sessionmaker[Session]
) -> None:
    client, facts = desk
    (f1, bc1, sheets1), (f2, bc2, _s) = facts["files"][:2]
    created = client.post(
        "/api/v1/loans",
        json={"file_ids": [f1, f2], "purpose_id": facts["purpose"], "note": "Giải quyết hưu"},
        headers=_as(client, facts, "borrower"),
    )
    assert created.status_code == 201, created.text
    loan = created.json()
    assert loan["status"] == "requested" and [i["file_id"] for i in loan["items"]] == [f1, f2]

    inbox = client.get("/api/v1/notices", headers=_as(client, facts, "approver")).json()
    assert [n["kind"] for n in inbox] == ["loan.requested"]
    own = client.post(
        f"/api/v1/loans/{loan['id']}/decision",
        json={"approve": True},
        headers=_as(client, facts, "borrower"),
    )
    assert own.status_code == 403
    approved = client.post(
        f"/api/v1/loans/{loan['id']}/decision",
        json={"approve": True},
        headers=_as(client, facts, "approver"),
    )
    assert approved.json()["status"] == "approved"

    out = client.post(
        "/api/v1/loans/desk/hand-out",
        json={"card": facts["card"], "barcodes": [bc1, bc2]},
        headers=_as(client, facts, "archivist"),
    )
    assert out.status_code == 200, out.text
    assert out.json()["status"] == "out" and out.json()["due_date"] is not None

    back = client.post(
        "/api/v1/loans/returns",
        json={
            "lines": [
                {"barcode": bc1, "sheets": sheets1},
                {"barcode": bc2, "condition": "rách bìa"},
            ]
        },
        headers=_as(client, facts, "archivist"),
    )
    assert back.status_code == 200, back.text
    [returned] = back.json()
    assert returned["status"] == "returned"
    assert returned["items"][1]["discrepancy"] == "condition: rách bìa"
    with seeded(factory) as session:
        assert session.scalar(select(func.count()).select_from(OutCard)) == 0


def test_bad_input_is_a_problem_and_changes_nothing(
    desk: tuple[TestClient, dict[str, Any]], factory: sessionmaker[Session]
) -> None:
    client, facts = desk
    with seeded(factory) as session:
        before = session.scalar(select(func.count()).select_from(AuditEvent))
    for body in (
        {"file_ids": [], "purpose_id": facts["purpose"]},
        {"file_ids": [999_999], "purpose_id": facts["purpose"]},
        {"file_ids": [facts["files"][0][0]], "purpose_id": 999},
    ):
        r = client.post("/api/v1/loans", json=body, headers=_as(client, facts, "borrower"))
        assert r.status_code in (404, 422), r.text
        assert r.headers["content-type"].startswith("application/problem+json")
    r = client.post(
        "/api/v1/loans/desk/hand-out",
        json={"card": facts["card"], "barcodes": [facts["files"][0][1]]},
        headers=_as(client, facts, "archivist"),
    )
    assert r.status_code == 404 and r.json()["code"] == "desk.no_approved_loan"
    assert "không có phiếu mượn đã duyệt" in r.json()["detail"]
    with seeded(factory) as session:
        assert session.scalar(select(func.count()).select_from(Loan)) == 0
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == before


def test_holidays_move_due_dates(desk: tuple[TestClient, dict[str, Any]]) -> None:
    client, facts = desk
    listed = client.get("/api/v1/holidays?year=2026", headers=_as(client, facts, "borrower"))
    assert {"day": "2026-09-02", "name": "Quốc khánh"} in listed.json()
    refused = client.post(
        "/api/v1/holidays",
        json={"day": str(date(2026, 2, 17)), "name": "Tết"},
        headers=_as(client, facts, "archivist"),
    )
    assert refused.status_code == 403


def test_the_usage_register_and_report_show_the_loan(
    desk: tuple[TestClient, dict[str, Any]],
) -> None:
    client, facts = desk
    (f1, bc1, _s) = facts["files"][0]
    loan = client.post(
        "/api/v1/loans",
        json={"file_ids": [f1], "purpose_id": facts["purpose"]},
        headers=_as(client, facts, "borrower"),
    ).json()
    client.post(
        f"/api/v1/loans/{loan['id']}/decision",
        json={"approve": True},
        headers=_as(client, facts, "approver"),
    )
    client.post(
        "/api/v1/loans/desk/hand-out",
        json={"card": facts["card"], "barcodes": [bc1]},
        headers=_as(client, facts, "archivist"),
    )
    today = local_today()
    period = {"office_id": loan["office_id"], "first": str(today), "last": str(today)}
    register = client.get(
        "/api/v1/reports/usage-register", params=period, headers=_as(client, facts, "archivist")
    ).json()
    assert register["counts"] == {"loan": 1, "reading": 0, "lookup": 0, "copy": 0}
    assert register["uses"][0]["reference"] == loan["number"]
    pdf = client.get(
        "/api/v1/reports/usage-register.pdf", params=period, headers=_as(client, facts, "archivist")
    )
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    report = client.get(
        "/api/v1/reports/use",
        params={"first": str(today), "last": str(today)},
        headers=_as(client, facts, "approver"),
    ).json()
    assert report["totals"]["loans"] == 1
    reversed_period = client.get(
        "/api/v1/reports/use",
        params={"first": str(today), "last": "2000-01-01"},
        headers=_as(client, facts, "approver"),
    )
    assert reversed_period.status_code == 422
    assert reversed_period.headers["content-type"].startswith("application/problem+json")
    staff = client.get(
        "/api/v1/reports/usage-register", params=period, headers=_as(client, facts, "borrower")
    )
    assert staff.status_code == 403
