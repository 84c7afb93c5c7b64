"""The papers of a reading-room visit, filled from the register: the request slip (phiếu yêu cầu
nghiên cứu tài liệu) with the visitor, the identity paper (masked as the screen masks it), the
purpose, the approval and the files with how each was served."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.clock import DEFAULT_TZ, local_date
from archive.errors import Conflict
from archive.i18n import ui
from archive.models import Office, ReadingVisit, User, VisitItem
from archive.permissions import Actor
from archive.printing.use_forms import Approval, FileLine, IdentityPaper, ReadingSlip
from archive.printing.use_forms import reading_slip_pdf as print_reading_slip
from archive.services.paper_issuer import issuer_for
from archive.services.reading_room import get_visit, shown_id_number

ITEM_NOTES = {
    "served": "Đang nghiên cứu",
    "returned": "Đã trả",
    "not_served": "Không phục vụ",
}
FLAGGED_NOTE = "Chưa trả khi đóng cửa"


@dataclass(frozen=True)
class VisitStaff:
    """Who registered a visit and who decided on it, by name ("" when nobody decided)."""

    registered_by: str
    decided_by: str


def visit_staff(session: Session, visit: ReadingVisit) -> VisitStaff:
    """The names of the visit's registrar and approver, for its slip and its page."""
    ids = [i for i in (visit.registered_by_id, visit.decided_by_id) if i is not None]
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    names = {int(uid): str(name) for uid, name in rows}
    decider = visit.decided_by_id
    return VisitStaff(
        registered_by=names.get(visit.registered_by_id, ""),
        decided_by=names.get(decider, "") if decider is not None else "",
    )


def _file_line(item: VisitItem) -> FileLine:
    note = ITEM_NOTES.get(item.status, "")
    if item.status == "served" and item.flagged_at is not None:
        note = FLAGGED_NOTE
    return FileLine(
        file_code=item.file.code,
        title=item.file.title,
        sheet_count=item.file.sheet_count,
        note=note,
    )


def reading_slip(
    session: Session, actor: Actor, visit_id: int, *, tz: str = DEFAULT_TZ
) -> ReadingSlip:
    """The request slip of a visit the actor may read, as registered; the identity number is
    masked for readers without personal data. Refuses a refused visit (nothing to sign)."""
    visit = get_visit(session, actor, visit_id)
    if visit.status == "refused":
        raise Conflict("visit.status", number=visit.number, status=visit.status)
    office = session.get(Office, visit.office_id)
    assert office is not None  # a foreign key
    staff = visit_staff(session, visit)
    approval = None
    if visit.needs_approval and visit.decided_at is not None:
        approval = Approval(staff.decided_by, local_date(visit.decided_at, tz))
    return ReadingSlip(
        issuer=issuer_for(session, office),
        slip_number=visit.number,
        visitor_name=visit.visitor_name,
        organisation=visit.organisation,
        identity=IdentityPaper(
            ui(f"reading.id_paper.{visit.id_paper_kind}"),
            shown_id_number(actor, visit.id_paper_number),
        ),
        purpose=visit.purpose.name,
        visit_on=visit.visit_date,
        files=tuple(_file_line(item) for item in visit.items),
        approval=approval,
        approval_required=visit.needs_approval,
        served_by=staff.registered_by,
    )


def reading_slip_pdf(
    session: Session, actor: Actor, visit_id: int, *, tz: str = DEFAULT_TZ
) -> bytes:
    """The visit's request slip printed on A4 (see `reading_slip`)."""
    return print_reading_slip(reading_slip(session, actor, visit_id, tz=tz))
