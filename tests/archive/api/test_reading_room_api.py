"""The reading room and lookups through HTTP: a visit from registration to close, approval by
someone else, identity numbers masked for readers without personal data, the closing-time check,
and bad input refused as problem+json with nothing changed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.models import AuditEvent, Lookup, ReadingVisit, User
from archive.services import accounts, loan_desk, loans
from archive.services.loans import LoanRequest
from tests.apps import bearer, make_app, seeded
from tests.factories import ADMIN
from tests.use_world import MONDAY, make_use_world, make_user, restricted_file

CCCD = "079212345123"
MASKED = "0792•••••123"


@dataclass(frozen=True)
class Desk:
    client: TestClient
    tokens: dict[str, dict[str, str]]
    ids: dict[str, int]
    barcodes: dict[str, str]

    def call(self, who: str, method: str, path: str, **kwargs: Any) -> Any:
        return self.client.request(method, f"/api/v1{path}", headers=self.tokens[who], **kwargs)


def _token(session: Session, user: User) -> dict[str, str]:
    return bearer(accounts.issue_token(session, ADMIN, user_id=user.id, name="test"))


def _desk(factory: sessionmaker[Session], tmp_path: Path, **settings: Any) -> Desk:
    with seeded(factory) as session:
        world = make_use_world(session, files=3)
        secret = restricted_file(session, world)
        head = make_user(session, "truongkho", world.office, ("archivist", "approver"))
        inspector = make_user(session, "thanhtra", world.office, ("inspector",))
        # File 3 is out on loan.
        loan = loans.request_loan(
            session,
            world.actor(session, world.borrower),
            LoanRequest(file_ids=(world.files[2].id,), purpose_id=world.purpose.id),
        )
        loans.decide_loan(
            session, world.actor(session, world.approver), loan_id=loan.id, approve=True
        )
        loan_desk.hand_out(
            session,
            world.actor(session, world.archivist),
            loan_id=loan.id,
            file_ids=[world.files[2].id],
            today=MONDAY,
        )
        tokens = {
            "desk": _token(session, world.archivist),
            "approver": _token(session, world.approver),
            "head": _token(session, head),
            "inspector": _token(session, inspector),
            "staff": _token(session, world.borrower),
        }
        ids = {f"f{n}": f.id for n, f in enumerate(world.files)} | {"secret": secret.id}
        barcodes = {f"f{n}": f.barcode for n, f in enumerate(world.files)}
    client = TestClient(make_app(factory, tmp_path, **settings), raise_server_exceptions=True)
    return Desk(client, tokens, ids, barcodes)


@pytest.fixture
def desk(factory: sessionmaker[Session], tmp_path: Path) -> Desk:
    return _desk(factory, tmp_path)


def _visit(files: list[int], /, **overrides: Any) -> dict[str, Any]:
    return {
        "visitor_name": "Trần Thị Thanh Hương",
        "organisation": "Thanh tra Sở LĐTBXH",
        "id_paper_kind": "citizen_id",
        "id_paper_number": CCCD,
        "purpose_id": 2,
        "file_ids": files,
    } | overrides


def _problem(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["code"] == code, response.text


def test_a_visit_through_http_from_registration_to_close(desk: Desk) -> None:
    created = desk.call("desk", "POST", "/visits", json=_visit([desk.ids["f0"], desk.ids["f1"]]))
    assert created.status_code == 201, created.text
    visit = created.json()
    assert (visit["status"], visit["id_paper_number"]) == ("approved", CCCD)
    path = f"/visits/{visit['id']}"

    served = desk.call("desk", "POST", f"{path}/serve", json={"barcodes": [desk.barcodes["f0"]]})
    assert served.status_code == 200, served.text
    assert served.json()["status"] == "open"
    assert [i["status"] for i in served.json()["items"]] == ["served", "requested"]

    as_inspector = desk.call("inspector", "GET", path).json()
    assert as_inspector["id_paper_number"] == MASKED
    listed = desk.call("inspector", "GET", "/visits", params={"status": "open"}).json()
    assert listed["total"] == 1 and listed["items"][0]["id_paper_number"] == MASKED
    today = desk.call("desk", "GET", "/reading-room/today").json()
    assert [v["id"] for v in today] == [visit["id"]]
    _problem(desk.call("staff", "GET", path), 403, "auth.permission")

    _problem(desk.call("desk", "POST", f"{path}/close"), 409, "visit.files_still_out")
    back = desk.call("desk", "POST", f"{path}/return", json={"file_ids": [desk.ids["f0"]]})
    assert back.status_code == 200, back.text
    closed = desk.call("desk", "POST", f"{path}/close").json()
    assert closed["status"] == "closed"
    assert [i["status"] for i in closed["items"]] == ["returned", "not_served"]


def test_a_restricted_visit_waits_for_someone_elses_approval(desk: Desk) -> None:
    created = desk.call("head", "POST", "/visits", json=_visit([desk.ids["secret"]]))
    assert created.json()["status"] == "requested" and created.json()["needs_approval"] is True
    path = f"/visits/{created.json()['id']}"
    serve = {"file_ids": [desk.ids["secret"]]}
    _problem(desk.call("desk", "POST", f"{path}/serve", json=serve), 409, "visit.status")
    own = desk.call("head", "POST", f"{path}/decision", json={"approve": True})
    _problem(own, 403, "visit.self_approval")
    decided = desk.call("approver", "POST", f"{path}/decision", json={"approve": True})
    assert decided.json()["status"] == "approved"
    assert desk.call("desk", "POST", f"{path}/serve", json=serve).json()["status"] == "open"


def test_a_file_on_loan_is_not_served_in_the_reading_room(
    desk: Desk, factory: sessionmaker[Session]
) -> None:
    created = desk.call("desk", "POST", "/visits", json=_visit([desk.ids["f1"], desk.ids["f2"]]))
    path = f"/visits/{created.json()['id']}"
    refused = desk.call(
        "desk", "POST", f"{path}/serve", json={"file_ids": [desk.ids["f1"], desk.ids["f2"]]}
    )
    _problem(refused, 409, "file.already_out")
    assert refused.json()["params"]["holder"] == "Nguyễn Thị Lan, Phòng Chế độ BHXH"
    after = desk.call("desk", "GET", path).json()
    assert after["status"] == "approved"
    assert [i["status"] for i in after["items"]] == ["requested", "requested"]


def _visit_state(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with seeded(factory) as session:
        visits = session.scalar(select(func.count()).select_from(ReadingVisit)) or 0
        lookups = session.scalar(select(func.count()).select_from(Lookup)) or 0
        events = session.scalar(
            select(func.count()).where(AuditEvent.object_type.in_(("visit", "lookup")))
        )
        return visits, lookups, events or 0


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"id_paper_kind": "driving_licence"}, "request.invalid"),
        ({"id_paper_number": "0792-123"}, "identifier.citizen_id"),
        ({"visitor_name": "  "}, "visit.visitor_name"),
        ({"file_ids": []}, "request.invalid"),
        ({"visit_date": "2020-01-01"}, "visit.date_past"),
        ({"purpose_id": 999}, "purpose.not_found"),
        ({"badge": "x"}, "request.invalid"),
    ],
)
def test_a_bad_visit_is_a_problem_and_changes_nothing(
    desk: Desk, factory: sessionmaker[Session], overrides: dict[str, Any], code: str
) -> None:
    before = _visit_state(factory)
    response = desk.call("desk", "POST", "/visits", json=_visit([desk.ids["f0"]], **overrides))
    _problem(response, 404 if code == "purpose.not_found" else 422, code)
    assert response.json()["message_vi"] and response.json()["message_en"]
    assert _visit_state(factory) == before


def test_bad_desk_input_and_bad_lookups_change_nothing(
    desk: Desk, factory: sessionmaker[Session]
) -> None:
    created = desk.call("desk", "POST", "/visits", json=_visit([desk.ids["f0"]]))
    path = f"/visits/{created.json()['id']}"
    before = _visit_state(factory)
    _problem(desk.call("desk", "POST", f"{path}/serve", json={}), 422, "visit.no_files")
    _problem(
        desk.call("desk", "POST", f"{path}/serve", json={"file_ids": ["HS-001"]}),
        422,
        "request.invalid",
    )
    _problem(
        desk.call("approver", "POST", f"{path}/decision", json={"approve": True}),
        409,
        "visit.status",
    )
    lookup = {"asker_name": "Hùng", "channel": "fax", "purpose_id": 4, "question": "Có không?"}
    _problem(desk.call("desk", "POST", "/lookups", json=lookup), 422, "request.invalid")
    lookup |= {"channel": "phone", "question": " "}
    _problem(desk.call("desk", "POST", "/lookups", json=lookup), 422, "lookup.question")
    assert _visit_state(factory) == before
    assert desk.call("desk", "GET", path).json()["status"] == "approved"


def test_lookups_through_http_respect_restricted_series(desk: Desk) -> None:
    body = {
        "asker_name": "Nguyễn Văn Hùng",
        "channel": "letter",
        "purpose_id": 4,
        "question": "Chứng từ quý I/2019 còn lưu không?",
        "answer": "Còn.",
        "file_id": desk.ids["secret"],
    }
    _problem(desk.call("desk", "POST", "/lookups", json=body), 403, "lookup.restricted")
    recorded = desk.call("head", "POST", "/lookups", json=body)
    assert recorded.status_code == 201, recorded.text
    listed = desk.call("inspector", "GET", "/lookups").json()
    assert [x["id"] for x in listed] == [recorded.json()["id"]]
    one = desk.call("desk", "GET", f"/lookups/{recorded.json()['id']}").json()
    assert (one["purpose_code"], one["file_id"]) == ("XAC_MINH", desk.ids["secret"])


def test_the_closing_check_through_http_flags_files_still_out_once(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    # Closing at midnight: whatever the hour the test runs, today's reading room has closed.
    desk = _desk(factory, tmp_path, reading_room_closes="00:00")
    created = desk.call("desk", "POST", "/visits", json=_visit([desk.ids["f0"], desk.ids["f1"]]))
    path = f"/visits/{created.json()['id']}"
    desk.call("desk", "POST", f"{path}/serve", json={"file_ids": [desk.ids["f0"], desk.ids["f1"]]})
    desk.call("desk", "POST", f"{path}/return", json={"file_ids": [desk.ids["f1"]]})
    first = desk.call("desk", "POST", "/reading-room/closing-check")
    assert first.status_code == 200, first.text
    assert [x["file_code"] for x in first.json()] == ["HS-001"]
    again = desk.call("desk", "POST", "/reading-room/closing-check").json()
    assert again == first.json()
    items = desk.call("desk", "GET", path).json()["items"]
    assert [i["flagged_at"] is not None for i in items] == [True, False]
    _problem(desk.call("approver", "POST", "/reading-room/closing-check"), 403, "auth.permission")
