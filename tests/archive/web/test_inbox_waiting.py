"""The approver's inbox also lists reading-room visits and copy requests waiting for their
decision — never the ones they registered themselves, never another office's."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from archive.clock import local_today
from archive.services import copies, reading_room
from tests.apps import make_app, seeded
from tests.archive.web.conftest import log_in, soup
from tests.use_world import PASSWORD, make_use_world, restricted_file


def test_the_inbox_lists_visits_and_copies_waiting_for_the_approver(
    factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with seeded(factory) as session:
        world = make_use_world(session, files=2)
        desk = world.actor(session, world.archivist)
        vouchers = restricted_file(session, world)
        visit = reading_room.register_visit(
            session,
            desk,
            reading_room.VisitIn(
                visitor_name="Trần Thị Thanh Hương",
                organisation="Thanh tra tỉnh",
                id_paper_kind="citizen_id",
                id_paper_number="080185001234",
                purpose_id=world.purpose.id,
                file_ids=(vouchers.id,),
            ),
            today=local_today(),
        )
        request = copies.request_copies(
            session,
            desk,
            copies.CopyIn(
                kind="photocopy",
                requester_kind="citizen",
                purpose_id=world.purpose.id,
                items=(copies.CopyItemIn(file_id=world.files[0].id, pages="1"),),
                requester_name="Phạm Văn Dân",
                id_paper_kind="citizen_id",
                id_paper_number="080190004321",
            ),
        )
        numbers = (visit.number, request.number)
    http = TestClient(make_app(factory, tmp_path), raise_server_exceptions=False)

    log_in(http, "giamdoc", PASSWORD)
    page = soup(http.get("/inbox").text)
    assert [a.get_text() for a in page.select("#waiting a")] == [
        f"Lượt nghiên cứu {numbers[0]}",
        f"Yêu cầu sao {numbers[1]}",
    ]
    http.cookies.clear()
    log_in(http, "luutru", PASSWORD)  # the registrar, and no approver: nothing waits for them
    assert soup(http.get("/inbox").text).select("#waiting") == []
