"""Custody slips, passbooks and the review progress report through HTTP: the whole move, the
printed slip, refusals as problem+json with nothing changed, office scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.api import custody as api
from archive.models import HOLDER_KINDS, PASSBOOK_STAGES, AuditEvent, CustodyTransfer, Passbook
from archive.services import accounts
from tests.apps import bearer, make_app, seeded
from tests.factories import ADMIN
from tests.use_world import make_use_world

NUMBER = "4803004239"
DEPT = "Phòng Cấp sổ, thẻ"


@pytest.fixture
def world(factory: sessionmaker[Session], tmp_path: Path) -> tuple[TestClient, dict[str, Any]]:
    with seeded(factory) as session:
        w = make_use_world(session)
        tokens = {
            user.username: accounts.issue_token(session, ADMIN, user_id=user.id, name="test")
            for user in (w.archivist, w.district_archivist)
        }
        ids: dict[str, Any] = {
            "office": w.office.id,
            "office_name": w.office.name,
            "file": w.files[0].id,
            "barcode": w.files[0].barcode,
            "desk": bearer(tokens["luutru"]),
            "district": bearer(tokens["luutru03"]),
        }
    client = TestClient(make_app(factory, tmp_path), raise_server_exceptions=True)
    client.headers.update(ids["desk"])
    return client, ids


def _slip(ids: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = {
        "office_id": ids["office"],
        "from_kind": "archive",
        "from_person": "Phạm Thị Hoa",
        "to_kind": "department",
        "to_name": DEPT,
        "to_person": "Nguyễn Thị Lan",
        "passbook_numbers": [NUMBER],
        "file_barcodes": [ids["barcode"]],
    }
    return body | changes


def _register(client: TestClient, ids: dict[str, Any]) -> dict[str, Any]:
    created = client.post(
        "/api/v1/passbooks",
        json={"office_id": ids["office"], "number": NUMBER, "full_name": "Nguyễn Thị Mai Lan"},
    )
    assert created.status_code == 201, created.text
    body: dict[str, Any] = created.json()
    return body


def test_a_passbook_and_a_file_move_through_http_and_where_they_are_is_answered(
    world: tuple[TestClient, dict[str, Any]],
) -> None:
    client, ids = world
    book = _register(client, ids)
    assert (book["holder_kind"], book["holder_name"]) == ("archive", ids["office_name"])

    sent = client.post("/api/v1/custody-transfers", json=_slip(ids))
    assert sent.status_code == 201, sent.text
    slip = sent.json()
    assert [(x["kind"], x["name"]) for x in slip["lines"]] == [
        ("passbook", "Nguyễn Thị Mai Lan"),
        ("file", client.get(f"/api/v1/files/{ids['file']}").json()["title"]),
    ]
    moving = client.get("/api/v1/passbooks/whereabouts", params={"number": "4803 004 239"}).json()
    assert moving["in_transit"] and moving["pending"]["number"] == slip["number"]
    out = client.get(f"/api/v1/files/{ids['file']}/custody").json()
    assert out["holder"] == f"Nguyễn Thị Lan, {DEPT}" and out["in_transit"]

    received = client.post(f"/api/v1/custody-transfers/{slip['id']}/receive")
    assert received.json()["status"] == "received"
    where = client.get(f"/api/v1/passbooks/{book['passbook_id']}/whereabouts").json()
    assert (where["holder_kind"], where["holder_name"]) == ("department", DEPT)
    assert where["holder_since"] == received.json()["received_at"]
    assert [h["name"] for h in where["previous_holders"]] == [ids["office_name"]]
    assert (
        client.get("/api/v1/custody-transfers", params={"status": "received"}).json()["total"] == 1
    )

    pdf = client.get(f"/api/v1/custody-transfers/{slip['id']}/slip.pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and slip["number"] in pdf.headers["content-disposition"]


def test_stages_are_scanned_and_counted_in_the_progress_report(
    world: tuple[TestClient, dict[str, Any]],
) -> None:
    client, ids = world
    _register(client, ids)
    at = "2026-03-02T09:00:00+07:00"
    for stage in ("received", "form03_printed"):
        done = client.post(
            "/api/v1/passbooks/stage", json={"numbers": [NUMBER], "stage": stage, "at": at}
        )
        assert done.json()["advanced"] == [NUMBER], done.text
    early = client.post("/api/v1/passbooks/stage", json={"numbers": [NUMBER], "stage": "approved"})
    assert (early.status_code, early.json()["code"]) == (409, "passbook.stage_order")
    report = client.get(
        "/api/v1/reports/passbook-progress", params={"since": "2026-03-02", "until": "2026-03-02"}
    ).json()
    counts = {k: report["total"][k] for k in ("received", "form03_printed", "approved")}
    assert counts == {"received": 1, "form03_printed": 1, "approved": 0}
    assert [r["office_code"] for r in report["rows"]] == ["00"]


def _counts(factory: sessionmaker[Session]) -> tuple[int, int, int]:
    with seeded(factory) as session:
        return (
            session.scalar(select(func.count()).select_from(CustodyTransfer)) or 0,
            session.scalar(select(func.count()).select_from(Passbook)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


def test_bad_input_is_a_422_problem_and_changes_nothing(
    world: tuple[TestClient, dict[str, Any]], factory: sessionmaker[Session]
) -> None:
    client, ids = world
    _register(client, ids)
    before = _counts(factory)
    for path, body, code in [
        ("/api/v1/custody-transfers", _slip(ids, to_kind="moon"), "request.invalid"),
        ("/api/v1/custody-transfers", _slip(ids, colour="red"), "request.invalid"),
        (
            "/api/v1/custody-transfers",
            _slip(ids, to_kind="archive", to_name=ids["office_name"]),
            "custody.same_holder",
        ),
        (
            "/api/v1/custody-transfers",
            _slip(ids, passbook_numbers=[], file_barcodes=[]),
            "custody.no_items",
        ),
        ("/api/v1/passbooks", {"office_id": ids["office"], "number": "48/03"}, "passbook.number"),
        (
            "/api/v1/passbooks/stage",
            {"numbers": [NUMBER], "stage": "received", "at": "2026-03-02T09:00:00"},
            "request.invalid",
        ),
        ("/api/v1/passbooks/stage", {"numbers": [NUMBER], "stage": "lost"}, "request.invalid"),
    ]:
        r = client.post(path, json=body)
        assert r.status_code == 422, (path, body, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        assert r.json()["code"] == code, r.text
    # A slip refused for one of its items sends none of them.
    client.post(
        "/api/v1/custody-transfers", json=_slip(ids, passbook_numbers=[])
    ).raise_for_status()
    again = client.post("/api/v1/custody-transfers", json=_slip(ids))
    assert (again.status_code, again.json()["code"]) == (409, "file.already_out")
    assert _counts(factory)[0] == before[0] + 1
    where = client.get("/api/v1/passbooks/whereabouts", params={"number": NUMBER}).json()
    assert not where["in_transit"]
    assert _counts(factory)[1:] == (before[1], before[2] + 1)


def test_another_office_cannot_see_or_receive_the_slip(
    world: tuple[TestClient, dict[str, Any]],
) -> None:
    client, ids = world
    _register(client, ids)
    slip = client.post("/api/v1/custody-transfers", json=_slip(ids)).json()
    for method, path in [
        ("GET", f"/api/v1/custody-transfers/{slip['id']}"),
        ("POST", f"/api/v1/custody-transfers/{slip['id']}/receive"),
        ("GET", f"/api/v1/passbooks/{slip['lines'][0]['item_id']}/whereabouts"),
    ]:
        r = client.request(method, path, json={}, headers=ids["district"])
        assert (r.status_code, r.json()["code"]) == (403, "auth.office_scope"), path
    assert client.get("/api/v1/custody-transfers", headers=ids["district"]).json()["total"] == 0


def test_the_api_lists_every_holder_kind_and_stage_of_the_model() -> None:
    assert get_args(api.HolderKind) == HOLDER_KINDS
    assert get_args(api.Stage) == PASSBOOK_STAGES
