"""Importing a catalogue and receiving a handover, through the real app's pages."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from archive.app import create_app
from archive.db import make_engine, session_factory, transaction
from archive.jobs import Done, run_import_job
from archive.permissions import Actor
from archive.services import jobs
from archive.settings import Settings
from tests.archive.web.conftest import csrf_of, log_in, soup
from tests.archive.web.seed import Seeded, file_count, seed

Login = Callable[[str], TestClient]
HEADER = "Số TT,Số ký hiệu hồ sơ,Tiêu đề hồ sơ,Thời gian bắt đầu,Thời gian kết thúc,Số tờ,Hộp số,Mã số BHXH,Họ và tên\n"
BAD = HEADER + (
    "1,MLT-2020-001,Hồ sơ hưởng một lần — Trần Văn Bình,02/03/2020,20/04/2020,12,2,0111063484,Trần Văn Bình\n"
    "2,MLT-2020-002,Hồ sơ hưởng một lần — Lê Thị Hoa,31/02/2020,20/04/2020,8,2,12345,Lê Thị Hoa\n"
    "3,HS-2019-001,Trùng số ký hiệu,02/03/2020,20/04/2020,5,2,4803004239,Nguyễn Thị Mai Lan\n"
)
GOOD = HEADER + (
    "1,MLT-2020-001,Hồ sơ hưởng một lần — Trần Văn Bình,02/03/2020,20/04/2020,12,2,0111063484,Trần Văn Bình\n"
    "2,MLT-2020-002,Hồ sơ hưởng một lần — Lê Thị Hoa,02/02/2020,20/04/2020,8,2,0111063499,Lê Thị Hoa\n"
)


def _files(factory: sessionmaker[Session]) -> int:
    with transaction(factory, write=False) as session:
        return file_count(session)


def _upload(client: TestClient, text: str, name: str = "muc-luc.csv") -> Any:
    page = soup(client.get("/imports").text)
    series_id = next(
        o["value"]
        for o in page.select("select[name=series_id] option")
        if o.get_text(strip=True).startswith("Hồ sơ hưởng BHXH một lần")
    )
    data = {
        "csrf_token": csrf_of(str(page)),
        "office_id": page.select_one("select[name=office_id] option")["value"],
        "series_id": series_id,
    }
    return client.post(
        "/imports", data=data, files={"file": (name, text.encode("utf-8"), "text/csv")}
    )


def test_dry_run_lists_every_bad_row_in_vietnamese_and_writes_nothing(
    client_as: Login, seeded: Seeded, factory: sessionmaker[Session]
) -> None:
    client = client_as("lan.nt")
    before = _files(factory)
    response = _upload(client, BAD)
    assert response.status_code == 422
    page = soup(response.text)
    assert (
        page.select_one("#import-report .error").get_text(strip=True)
        == "Tệp có 2 dòng lỗi; chưa ghi dữ liệu nào."
    )
    rows = [
        [td.get_text(strip=True) for td in r.select("td")]
        for r in page.select("#import-errors tbody tr")
    ]
    assert rows == [
        ["3", "Thời gian bắt đầu", "31/02/2020", "Ngày “31/02/2020” không hợp lệ (dd/mm/yyyy)."],
        ["3", "Mã số BHXH", "12345", "Mã số BHXH “12345” không hợp lệ: phải gồm đúng 10 chữ số."],
        [
            "4",
            "Số ký hiệu hồ sơ",
            "HS-2019-001",
            "Số ký hiệu hồ sơ “HS-2019-001” đã tồn tại trong đơn vị.",
        ],
    ]
    assert page.select_one("#run-form") is None
    assert _files(factory) == before


def test_clean_file_is_checked_then_imported(
    client_as: Login, seeded: Seeded, factory: sessionmaker[Session]
) -> None:
    client = client_as("lan.nt")
    before = _files(factory)
    checked = soup(_upload(client, GOOD).text)
    assert "2 dòng sẵn sàng để nhập" in checked.select_one("#import-report .ok").get_text()
    assert _files(factory) == before
    form = {i["name"]: i["value"] for i in checked.select("#run-form input")}
    done = soup(client.post("/imports/run", data=form).text)
    assert done.select_one("#import-result .ok").get_text(" ", strip=True) == "Đã nhập 2 hồ sơ."
    assert _files(factory) == before + 2


def test_unknown_checked_file_is_refused(client_as: Login, seeded: Seeded) -> None:
    client = client_as("lan.nt")
    token = csrf_of(client.get("/imports").text)
    response = client.post(
        "/imports/run",
        data={
            "csrf_token": token,
            "office_id": 1,
            "series_id": 1,
            "source_token": "../../etc/passwd",
            "filename": "x.csv",
        },
    )
    assert response.status_code == 404
    assert soup(response.text).select_one("#main .error")["data-code"] == "import.source_missing"


def test_job_page_polls_while_running_and_shows_the_result(
    client_as: Login, seeded: Seeded, factory: sessionmaker[Session]
) -> None:
    actor = Actor(
        user_id=None,
        label="lan.nt",
        roles=frozenset({"archivist"}),
        office_id=seeded.office_id,
        office_ids=frozenset({seeded.office_id}),
    )
    with transaction(factory) as session:
        job_id = jobs.create_job(
            session, actor, kind="import", office_id=seeded.office_id, params={}, total=200
        ).id
        jobs.claim(session, job_id)
        jobs.set_progress(session, job_id, done=50, total=200, stage="read")
    client = client_as("lan.nt")
    running = soup(client.get(f"/imports/jobs/{job_id}").text).select_one("#job")
    assert running["hx-trigger"] == "every 1s" and running["data-status"] == "running"
    assert running.select_one("[role=progressbar]")["aria-valuenow"] == "25.0"
    with transaction(factory) as session:
        jobs.finish(session, job_id, result={"created": 200})
    partial = client.get(f"/imports/jobs/{job_id}", headers={"HX-Request": "true"})
    assert "<html" not in partial.text
    done = soup(partial.text).select_one("#job")
    assert done.get("hx-trigger") is None and done["data-status"] == "done"
    assert done.select_one(".ok").get_text(" ", strip=True) == "Đã nhập 200 hồ sơ."


def _batch(client: TestClient) -> str:
    page = soup(client.get("/handovers").text)
    series_id = next(
        o["value"]
        for o in page.select("#new-batch select[name=series_id] option")
        if o.get_text(strip=True).startswith("Công văn")
    )
    response = client.post(
        "/handovers",
        data={
            "csrf_token": csrf_of(str(page)),
            "office_id": page.select_one("#new-batch select[name=office_id] option")["value"],
            "name": "Công văn năm 2023 của BHXH huyện Duy Tiên",
            "kind": "general",
            "series_id": series_id,
            "source_office": "01",
            "giver_name": "Trần Văn Giao",
            "receiver_name": "Người dùng lan.nt",
        },
    )
    assert "?ok=handover.created" in str(response.url)
    return str(response.url).split("?")[0]


def test_handover_scan_receives_lines_and_completion_registers_them(
    client_as: Login, seeded: Seeded, factory: sessionmaker[Session]
) -> None:
    client = client_as("lan.nt")
    url = _batch(client)
    token = csrf_of(client.get(url).text)
    for code in ("CV-2023-001", "CV-2023-002"):
        client.post(
            f"{url}/items",
            data={
                "csrf_token": token,
                "file_code": code,
                "title": f"Công văn {code}",
                "box_number": "2",
                "sheet_count": "10",
            },
        )
    hx = {"HX-Request": "true", "X-CSRF-Token": token}
    scanned = client.post(f"{url}/receive", data={"scanned": "CV-2023-001"}, headers=hx)
    work = soup(scanned.text)
    assert "<html" not in scanned.text
    assert (
        work.select_one("#scan-result .ok").get_text(" ", strip=True) == "Đã nhận hồ sơ CV-2023-001"
    )
    assert work.select_one("#count-received").get_text() == "1"
    assert work.select_one("#scan-box").has_attr("autofocus")
    again = client.post(f"{url}/receive", data={"scanned": "CV-2023-001"}, headers=hx)
    assert again.status_code == 422
    assert (
        soup(again.text).select_one("#scan-result .error").get_text(strip=True)
        == "Hồ sơ “CV-2023-001” đã được nhận."
    )
    before = _files(factory)
    done = client.post(f"{url}/complete", data={"csrf_token": token})
    page = soup(done.text)
    assert page.select_one("[data-ok='handover.completed']") is not None
    assert page.select_one("#count-missing").get_text() == "1"
    assert _files(factory) == before + 1
    minutes = soup(client.get(f"{url}/minutes").text)
    assert [
        r.select("td")[2].get_text() for r in minutes.select("#minutes-catalogue tbody tr")
    ] == ["CV-2023-001"]


def test_large_import_runs_as_a_job_whose_page_shows_the_result(
    sqlite_template: Path, tmp_path: Path
) -> None:
    """Above the threshold the real run is queued; the page polls the job until the worker ends it."""
    db = tmp_path / "archive.sqlite3"
    shutil.copyfile(sqlite_template, db)
    settings = Settings(
        env="test",
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{db}",
        import_job_threshold=1,
    )
    engine = make_engine(settings.database_url)
    with transaction(session_factory(engine)) as session:
        seed(session)
    app = create_app(settings)
    with TestClient(app) as client:
        log_in(client, "lan.nt")
        checked = soup(_upload(client, GOOD).text)
        form = {i["name"]: i["value"] for i in checked.select("#run-form input")}
        queued = client.post("/imports/run", data=form)
        job_id = int(str(queued.url).rsplit("/", 1)[1])
        job = soup(queued.text).select_one("#job")
        assert job["data-status"] == "queued" and job["hx-trigger"] == "every 1s"
        assert isinstance(run_import_job(settings, job_id), Done)  # what the worker does
        done = soup(client.get(f"/imports/jobs/{job_id}", headers={"HX-Request": "true"}).text)
        assert done.select_one("#job")["data-status"] == "done"
        assert done.select_one(".ok").get_text(" ", strip=True) == "Đã nhập 2 hồ sơ."
    app.state.runtime.dispose()
    engine.dispose()
