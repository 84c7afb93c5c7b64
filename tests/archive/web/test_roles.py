"""Every page, opened as each role: shown or refused with a message, never an error 500."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from archive.db import transaction
from archive.models import Shelf, Store, Tier
from archive.services import handover, jobs
from tests.archive.web.conftest import log_in, soup
from tests.archive.web.seed import Seeded
from tests.factories import ADMIN, series

# Pages each seeded user may open (the others must be refused with the permission message).
REFUSED = {
    "lan.nt": {"/audit", "/users"},
    "thanh.tt": {"/users"},
    "admin": set(),
}


def _pages(factory: sessionmaker[Session], seeded: Seeded) -> list[str]:
    with transaction(factory) as session:
        store = session.scalar(select(Store.id).where(Store.office_id == seeded.office_id))
        shelf = session.scalar(select(Shelf.id).where(Shelf.store_id == store))
        tier = session.scalar(select(Tier.id).where(Tier.shelf_id == shelf))
        batch = handover.create_batch(
            session,
            ADMIN,
            handover.BatchIn(
                office_id=seeded.office_id,
                name="Đợt thử",
                giver_name="Trần Văn Giao",
                receiver_name="Lê Thị Hoa",
                series_id=series(session, "HANH_CHINH").id,
                source_department="Phòng Thu",
            ),
        ).id
        job = jobs.create_job(
            session, ADMIN, kind="import", office_id=seeded.office_id, params={}
        ).id
    return [
        "/",
        "/stores",
        f"/stores/{store}",
        f"/shelves/{shelf}",
        f"/tiers/{tier}",
        f"/boxes/{seeded.box_ids[0]}",
        f"/files/{seeded.file_ids[0]}",
        "/series",
        "/audit",
        "/users",
        "/imports",
        f"/imports/jobs/{job}",
        "/handovers",
        f"/handovers/{batch}",
        f"/handovers/{batch}/minutes",
        "/reports",
        "/lookup?q=Nguyễn Thị Mai Lan",
    ]


def test_every_page_opens_or_refuses_with_a_message_for_every_role(
    app_client: TestClient, seeded: Seeded, factory: sessionmaker[Session]
) -> None:
    pages = _pages(factory, seeded)
    for username, refused in REFUSED.items():
        log_in(app_client, username)
        for url in pages:
            response = app_client.get(url)
            expected = 403 if url in refused else 200
            assert response.status_code == expected, (username, url, response.status_code)
            if expected == 403:
                assert (
                    soup(response.text).select_one("#main .error")["data-code"] == "auth.permission"
                )
    # The inspector reads the import page but is offered no upload form.
    log_in(app_client, "thanh.tt")
    assert soup(app_client.get("/imports").text).select_one("#upload-form") is None
