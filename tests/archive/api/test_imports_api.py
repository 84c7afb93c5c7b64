"""Catalogue imports through HTTP: the dry run lists every bad row, a real run is all or nothing,
a large file becomes a job whose progress the API reports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.models import File
from archive.services import offices
from tests.apps import bearer, make_app, make_user, seeded
from tests.factories import make_layout, make_office, series

HEADER = "Số TT,Số ký hiệu hồ sơ,Tiêu đề hồ sơ,Thời gian bắt đầu,Thời gian kết thúc,Số tờ,Hộp số\n"


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


@pytest.fixture
def ctx(factory: sessionmaker[Session], tmp_path: Path) -> tuple[TestClient, dict[str, int]]:
    with seeded(factory) as session:
        office = make_office(session)
        make_layout(session, office, shelves=(1, 1), tiers=1, boxes_per_tier=2)
        ids = {"office_id": office.id, "series_id": series(session, "HANH_CHINH").id}
    client = TestClient(make_app(factory, tmp_path, import_job_threshold=5))
    client.headers.update(bearer(make_user(factory, "archivist", ("archivist",))))
    return client, ids


def _files(factory: sessionmaker[Session]) -> int:
    with seeded(factory) as session:
        return session.scalar(select(func.count(File.id))) or 0


def _post(
    client: TestClient,
    ids: dict[str, int],
    body: bytes,
    *,
    dry_run: bool,
    name: str = "muc-luc.csv",
) -> Any:
    return client.post(
        "/api/v1/imports",
        data={**{k: str(v) for k, v in ids.items()}, "dry_run": str(dry_run).lower()},
        files={"file": (name, body, "text/csv")},
    )


BAD = _csv(
    "1,CV-01,Công văn đi 2015,02/01/2015,31/12/2015,45,1",
    "2,CV-02,Công văn đến 2015,31/12/2015,02/01/2015,30,1",
    "3,CV-03,,01/01/2016,31/12/2016,x,99",
)


def test_dry_run_reports_every_bad_row_in_vietnamese_and_writes_nothing(
    ctx: tuple[TestClient, dict[str, int]], factory: sessionmaker[Session]
) -> None:
    client, ids = ctx
    response = _post(client, ids, BAD, dry_run=True)
    assert response.status_code == 200
    report = response.json()
    assert report["ok"] is False and report["rows"] == 3
    rows = {(e["row"], e["column"]) for e in report["errors"]}
    assert {r for r, _ in rows} == {3, 4}
    assert all(e["message_vi"] and e["message_en"] for e in report["errors"])
    assert _files(factory) == 0


def test_real_run_with_bad_rows_is_refused_whole(
    ctx: tuple[TestClient, dict[str, int]], factory: sessionmaker[Session]
) -> None:
    client, ids = ctx
    response = _post(client, ids, BAD, dry_run=False)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "import.invalid_rows" and problem["errors"]
    assert _files(factory) == 0


def test_small_clean_file_is_imported_at_once(
    ctx: tuple[TestClient, dict[str, int]], factory: sessionmaker[Session]
) -> None:
    client, ids = ctx
    response = _post(
        client, ids, _csv("1,CV-01,Công văn đi 2015,02/01/2015,31/12/2015,45,1"), dry_run=False
    )
    assert response.status_code == 201, response.text
    assert response.json()["created"] == 1
    hit = client.get("/api/v1/lookup", params={"q": "CV-01"}).json()["hits"][0]
    assert hit["path"]["text"] == "Kho 1 › Giá 01 › Tầng 1 › Hộp 001 › vị trí 1"


def test_large_file_becomes_a_job_with_progress(
    ctx: tuple[TestClient, dict[str, int]], factory: sessionmaker[Session]
) -> None:
    client, ids = ctx
    rows = [
        f"{n},CV-{n:02d},Công văn số {n},02/01/2015,31/12/2015,10,{1 + n // 10}"
        for n in range(1, 13)
    ]
    response = _post(client, ids, _csv(*rows), dry_run=False)
    assert response.status_code == 202, response.text
    job_url = response.headers["location"]
    job = client.get(job_url).json()
    assert job["status"] == "queued" and job["kind"] == "import" and job["total"] > 0
    assert _files(factory) == 0  # the worker does it (tests/archive/jobs run a real one)
    with seeded(factory) as session:
        make_office(session, "01", "BHXH huyện Duy Tiên")
        assert offices.get_by_code(session, "01")
    outsider = make_user(factory, "district", ("archivist",), office_code="01")
    assert client.get(job_url, headers=bearer(outsider)).status_code == 403


def test_wrong_header_row_is_refused(
    ctx: tuple[TestClient, dict[str, int]], factory: sessionmaker[Session]
) -> None:
    client, ids = ctx
    response = _post(client, ids, "Cột A,Cột B\n1,2\n".encode(), dry_run=True)
    assert (response.status_code, response.json()["code"]) == (422, "import.header")
    assert "Số ký hiệu" in response.json()["message_vi"] or response.json()["params"]
    assert _files(factory) == 0
