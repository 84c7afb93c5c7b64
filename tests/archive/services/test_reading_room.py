"""The reading room: registration, approval by someone else for restricted series, files served
with out-cards shared with loans, return, closing, and the closing-time check; on SQLite and
PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.clock import zone
from archive.errors import Conflict, Forbidden, Invalid
from archive.models import AuditEvent, File, OutCard, ReadingVisit, User, VisitItem
from archive.services import loan_desk, loans, reading_desk, reading_room
from archive.services.loans import LoanRequest
from archive.services.reading_room import VisitFilter, VisitIn
from tests.factories import ADMIN
from tests.use_world import MONDAY, UseWorld, make_use_world, make_user, restricted_file

CCCD = "079212345123"
LOCAL = zone("Asia/Ho_Chi_Minh")


@pytest.fixture
def world(session: Session) -> UseWorld:
    return make_use_world(session)


def visit_in(files: list[File], **overrides: object) -> VisitIn:
    values: dict[str, object] = {
        "visitor_name": "Trần Thị  Thanh Hương",
        "organisation": "Thanh tra Sở LĐTBXH",
        "id_paper_kind": "citizen_id",
        "id_paper_number": "0792 1234 5123",
        "purpose_id": 2,
        "file_ids": tuple(f.id for f in files),
    }
    values.update(overrides)
    return VisitIn(**values)  # type: ignore[arg-type]


def _register(
    session: Session,
    world: UseWorld,
    files: list[File],
    *,
    day: date = MONDAY,
    by: User | None = None,
) -> ReadingVisit:
    actor = world.actor(session, by or world.archivist)
    return reading_room.register_visit(session, actor, visit_in(files), today=day)


def _actions(session: Session, visit: ReadingVisit) -> list[str]:
    return list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.object_type == "visit", AuditEvent.object_id == visit.id)
            .order_by(AuditEvent.id)
        )
    )


def test_a_visit_goes_from_registration_to_close_and_every_step_is_audited(
    session: Session, world: UseWorld
) -> None:
    desk = world.actor(session, world.archivist)
    visit = _register(session, world, world.files[:3])
    assert (visit.status, visit.needs_approval) == ("approved", False)
    assert visit.number.startswith("R00") and visit.visit_date == MONDAY
    assert (visit.visitor_name, visit.id_paper_number) == ("Trần Thị Thanh Hương", CCCD)

    reading_desk.serve_files(
        session,
        desk,
        visit_id=visit.id,
        barcodes=[world.files[0].barcode.lower()],
        file_ids=[world.files[1].id],
        today=MONDAY,
    )
    assert visit.status == "open"
    card = session.get(OutCard, world.files[0].id)
    assert card is not None and card.kind == "reading" and card.visit_id == visit.id
    assert card.holder == "Trần Thị Thanh Hương, Thanh tra Sở LĐTBXH — phòng đọc"
    assert card.until == MONDAY
    assert world.files[0].status == "active"  # in the building: not "on loan"

    reading_desk.return_files(session, desk, visit_id=visit.id, file_ids=[world.files[0].id])
    with pytest.raises(Conflict) as err:
        reading_desk.close_visit(session, desk, visit_id=visit.id)
    assert (err.value.code, err.value.params["codes"]) == ("visit.files_still_out", "HS-002")
    reading_desk.return_files(session, desk, visit_id=visit.id, barcodes=[world.files[1].barcode])
    reading_desk.close_visit(session, desk, visit_id=visit.id)

    assert visit.status == "closed" and visit.closed_at is not None
    assert [i.status for i in visit.items] == ["returned", "returned", "not_served"]
    assert session.scalar(select(func.count()).select_from(OutCard)) == 0
    assert _actions(session, visit) == [
        "visit.registered",
        "visit.served",
        "visit.returned",
        "visit.returned",
        "visit.closed",
    ]


def test_a_visit_to_a_restricted_series_cannot_be_served_before_approval(
    session: Session, world: UseWorld
) -> None:
    secret = restricted_file(session, world)
    visit = _register(session, world, [world.files[0], secret])
    assert (visit.status, visit.needs_approval) == ("requested", True)
    desk = world.actor(session, world.archivist)
    with pytest.raises(Conflict) as err:
        reading_desk.serve_files(
            session, desk, visit_id=visit.id, file_ids=[world.files[0].id], today=MONDAY
        )
    assert (err.value.code, err.value.params["status"]) == ("visit.status", "requested")
    assert session.get(OutCard, world.files[0].id) is None

    approver = world.actor(session, world.approver)
    reading_room.decide_visit(session, approver, visit_id=visit.id, approve=True)
    assert visit.status == "approved" and visit.decided_by_id == world.approver.id
    reading_desk.serve_files(session, desk, visit_id=visit.id, file_ids=[secret.id], today=MONDAY)
    assert session.get(OutCard, secret.id) is not None
    assert _actions(session, visit) == ["visit.registered", "visit.approved", "visit.served"]


def test_nobody_approves_a_visit_they_registered_and_a_refusal_needs_a_reason(
    session: Session, world: UseWorld
) -> None:
    both = make_user(session, "truongkho", world.office, ("archivist", "approver"))
    visit = _register(session, world, [restricted_file(session, world)], by=both)
    with pytest.raises(Forbidden) as err:
        reading_room.decide_visit(
            session, world.actor(session, both), visit_id=visit.id, approve=True
        )
    assert err.value.code == "visit.self_approval"
    with pytest.raises(Forbidden) as err:
        reading_room.decide_visit(
            session, world.actor(session, world.archivist), visit_id=visit.id, approve=True
        )
    assert err.value.code == "auth.permission"
    approver = world.actor(session, world.approver)
    with pytest.raises(Invalid) as bad:
        reading_room.decide_visit(session, approver, visit_id=visit.id, approve=False, reason=" ")
    assert bad.value.code == "visit.reason_required"
    reading_room.decide_visit(
        session, approver, visit_id=visit.id, approve=False, reason="Chưa giải mật"
    )
    assert (visit.status, visit.decision_reason) == ("refused", "Chưa giải mật")
    with pytest.raises(Conflict):  # decided once
        reading_room.decide_visit(session, approver, visit_id=visit.id, approve=True)
    with pytest.raises(Conflict):
        reading_desk.serve_files(
            session,
            world.actor(session, world.archivist),
            visit_id=visit.id,
            file_ids=[visit.items[0].file_id],
            today=MONDAY,
        )


def _loan_out(session: Session, world: UseWorld, file: File) -> None:
    loan = loans.request_loan(
        session,
        world.actor(session, world.borrower),
        LoanRequest(file_ids=(file.id,), purpose_id=world.purpose.id),
    )
    loans.decide_loan(session, world.actor(session, world.approver), loan_id=loan.id, approve=True)
    loan_desk.hand_out(
        session,
        world.actor(session, world.archivist),
        loan_id=loan.id,
        file_ids=[file.id],
        today=MONDAY,
    )


def test_a_file_in_the_reading_room_cannot_go_out_on_loan(
    session: Session, world: UseWorld
) -> None:
    visit = _register(session, world, [world.files[0]])
    reading_desk.serve_files(
        session,
        world.actor(session, world.archivist),
        visit_id=visit.id,
        file_ids=[world.files[0].id],
        today=MONDAY,
    )
    with pytest.raises(Conflict) as err:
        _loan_out(session, world, world.files[0])
    assert err.value.code == "file.already_out"
    assert err.value.params["holder"].endswith("— phòng đọc")


def test_a_file_on_loan_cannot_be_served_and_a_refused_serving_changes_nothing(
    session: Session, world: UseWorld
) -> None:
    _loan_out(session, world, world.files[0])
    visit = _register(session, world, world.files[:2])
    with pytest.raises(Conflict) as err:
        reading_desk.serve_files(
            session,
            world.actor(session, world.archivist),
            visit_id=visit.id,
            file_ids=[world.files[1].id, world.files[0].id],
            today=MONDAY,
        )
    assert err.value.code == "file.already_out"
    assert err.value.params["holder"] == "Nguyễn Thị Lan, Phòng Chế độ BHXH"
    assert session.get(OutCard, world.files[1].id) is None
    assert visit.status == "approved"
    assert [i.status for i in visit.items] == ["requested", "requested"]
    assert _actions(session, visit) == ["visit.registered"]


def test_the_desk_serves_only_requested_files_on_the_visit_day(
    session: Session, world: UseWorld
) -> None:
    desk = world.actor(session, world.archivist)
    tomorrow = MONDAY + timedelta(days=1)
    visit = reading_room.register_visit(
        session, desk, visit_in([world.files[0]], visit_date=tomorrow), today=MONDAY
    )
    with pytest.raises(Conflict) as err:
        reading_desk.serve_files(
            session, desk, visit_id=visit.id, file_ids=[world.files[0].id], today=MONDAY
        )
    assert err.value.code == "visit.not_today"
    with pytest.raises(Conflict) as err:
        reading_desk.serve_files(
            session, desk, visit_id=visit.id, barcodes=[world.files[1].barcode], today=tomorrow
        )
    assert (err.value.code, err.value.params["codes"]) == ("visit.file_not_requested", "HS-002")
    reading_desk.serve_files(
        session, desk, visit_id=visit.id, file_ids=[world.files[0].id], today=tomorrow
    )
    with pytest.raises(Conflict) as err:
        reading_desk.serve_files(
            session, desk, visit_id=visit.id, file_ids=[world.files[0].id], today=tomorrow
        )
    assert err.value.code == "visit.file_served"
    with pytest.raises(Forbidden):  # another office's desk
        reading_desk.return_files(
            session,
            world.actor(session, world.district_archivist),
            visit_id=visit.id,
            file_ids=[world.files[0].id],
        )


def _flagged_events(session: Session) -> int:
    stmt = select(func.count()).where(AuditEvent.action == "visit.files_flagged")
    return int(session.scalar(stmt) or 0)


def test_the_closing_time_check_flags_exactly_the_files_still_out(
    session: Session, world: UseWorld
) -> None:
    desk = world.actor(session, world.archivist)
    friday = MONDAY - timedelta(days=3)
    earlier = _register(session, world, [world.files[3]], day=friday)
    reading_desk.serve_files(
        session, desk, visit_id=earlier.id, file_ids=[world.files[3].id], today=friday
    )
    today = _register(session, world, world.files[:3])
    reading_desk.serve_files(
        session, desk, visit_id=today.id, file_ids=[f.id for f in world.files[:2]], today=MONDAY
    )
    reading_desk.return_files(session, desk, visit_id=today.id, file_ids=[world.files[0].id])
    done = _register(session, world, [world.files[4]])
    reading_desk.serve_files(
        session, desk, visit_id=done.id, file_ids=[world.files[4].id], today=MONDAY
    )
    reading_desk.return_files(session, desk, visit_id=done.id, file_ids=[world.files[4].id])

    before_closing = datetime(2026, 3, 2, 16, 59, tzinfo=LOCAL)
    listed = reading_desk.flag_files_still_out(session, desk, now=before_closing)
    assert [x.file_code for x in listed] == ["HS-004"]  # only Friday's file: today is not over
    at_closing = datetime(2026, 3, 2, 17, 0, tzinfo=LOCAL)
    listed = reading_desk.flag_files_still_out(session, desk, now=at_closing)
    assert [(x.visit_number, x.file_code) for x in listed] == [
        (earlier.number, "HS-004"),
        (today.number, "HS-002"),
    ]
    flagged = {
        item.file_id: item.flagged_at
        for item in session.scalars(select(VisitItem).where(VisitItem.flagged_at.is_not(None)))
    }
    assert set(flagged) == {world.files[3].id, world.files[1].id}
    assert flagged[world.files[3].id] == before_closing  # flagged once, not moved
    assert _flagged_events(session) == 2

    again = reading_desk.flag_files_still_out(session, desk, now=at_closing + timedelta(hours=1))
    assert [x.file_code for x in again] == ["HS-004", "HS-002"]
    assert _flagged_events(session) == 2
    assert _actions(session, today)[-1] == "visit.files_flagged"
    with pytest.raises(Invalid):
        reading_desk.flag_files_still_out(session, desk, now=at_closing, closes="5 giờ")


def test_identity_numbers_are_masked_without_personal_data(
    session: Session, world: UseWorld
) -> None:
    visit = _register(session, world, [world.files[0]])
    inspector = world.actor(session, make_user(session, "thanhtra", world.office, ("inspector",)))
    assert reading_room.shown_id_number(inspector, visit.id_paper_number) == "0792•••••123"
    desk = world.actor(session, world.archivist)
    assert reading_room.shown_id_number(desk, visit.id_paper_number) == CCCD
    assert reading_room.get_visit(session, inspector, visit.id).id == visit.id
    event = session.scalars(select(AuditEvent).where(AuditEvent.action == "visit.registered")).one()
    assert CCCD not in event.changes and "0792•••••123" in event.changes
    assert reading_room.mask_number("B1234567") == "B123•567"
    assert reading_room.mask_number("A12") == "•12"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"id_paper_kind": "driving_licence"}, "visit.id_paper_kind"),
        ({"id_paper_number": "0792123"}, "identifier.citizen_id"),
        ({"id_paper_kind": "passport", "id_paper_number": "C#12"}, "visit.id_paper_number"),
        ({"visitor_name": "   "}, "visit.visitor_name"),
        ({"visit_date": MONDAY - timedelta(days=1)}, "visit.date_past"),
        ({"file_ids": ()}, "visit.no_files"),
    ],
)
def test_registration_refuses_bad_input_and_writes_nothing(
    session: Session, world: UseWorld, overrides: dict[str, object], code: str
) -> None:
    desk = world.actor(session, world.archivist)
    with pytest.raises(Invalid) as err:
        reading_room.register_visit(
            session, desk, visit_in(world.files[:1], **overrides), today=MONDAY
        )
    assert err.value.code == code
    assert session.scalar(select(func.count()).select_from(ReadingVisit)) == 0


def test_visits_stay_within_the_office_scope(session: Session, world: UseWorld) -> None:
    visit = _register(session, world, [world.files[0]])
    district = world.actor(session, world.district_archivist)
    with pytest.raises(Forbidden) as err:
        reading_room.get_visit(session, district, visit.id)
    assert err.value.code == "auth.office_scope"
    assert reading_room.list_visits(session, district, VisitFilter()) == ([], 0)
    with pytest.raises(Forbidden):  # the district desk cannot register the province's files
        reading_room.register_visit(session, district, visit_in([world.files[0]]), today=MONDAY)
    with pytest.raises(Invalid) as bad:
        reading_room.register_visit(session, ADMIN, visit_in([world.files[0]]), today=MONDAY)
    assert bad.value.code == "visit.registrar_required"
    with pytest.raises(Forbidden):  # staff read files but not the reading-room register
        reading_room.list_visits(session, world.actor(session, world.borrower), VisitFilter())


def test_the_desk_day_lists_todays_visits_and_earlier_ones_still_open(
    session: Session, world: UseWorld
) -> None:
    desk = world.actor(session, world.archivist)
    friday = MONDAY - timedelta(days=3)
    left_open = _register(session, world, [world.files[0]], day=friday)
    reading_desk.serve_files(
        session, desk, visit_id=left_open.id, file_ids=[world.files[0].id], today=friday
    )
    _register(session, world, [world.files[1]], day=friday)  # never came: not listed
    todays = _register(session, world, [world.files[2]])
    closed = _register(session, world, [world.files[3]])
    reading_desk.close_visit(session, desk, visit_id=closed.id)
    listed = reading_room.open_visits_today(session, desk, today=MONDAY)
    assert [v.id for v in listed] == [left_open.id, todays.id]
    found, total = reading_room.list_visits(session, desk, VisitFilter(status=("closed",)))
    assert ([v.id for v in found], total) == ([closed.id], 1)
