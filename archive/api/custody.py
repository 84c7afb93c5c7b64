"""API of the use of records (issue 5): custody slips moving files and passbooks between holders,
where a passbook is, passbook registration and review stages, the review progress report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from archive.api.deps import CurrentActor, DbSession
from archive.api.schemas import ERRORS
from archive.models import utcnow
from archive.services import custody, custody_papers, custody_views, passbooks

router = APIRouter(tags=["use of records"], responses=ERRORS)
PDF = "application/pdf"
HolderKind = Literal["archive", "department", "post_office", "employer", "person", "office"]
Stage = Literal[
    "received",
    "form03_printed",
    "form03_handed_out",
    "form03_returned",
    "approved",
    "passbook_printed",
]


class TransferBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "office_id": 1,
                    "from_kind": "archive",
                    "from_person": "Phạm Thị Hoa",
                    "to_kind": "department",
                    "to_name": "Phòng Cấp sổ, thẻ",
                    "to_person": "Nguyễn Thị Lan",
                    "passbook_numbers": ["4803004239", "0111063484"],
                    "file_barcodes": ["F00000123"],
                }
            ]
        },
    )
    office_id: int = Field(description="The office issuing the slip")
    from_kind: HolderKind
    from_name: str = Field("", description="Blank for the archive: the office's archive")
    from_person: str = ""
    to_kind: HolderKind
    to_name: str = ""
    to_person: str = ""
    file_barcodes: list[str] = Field([], max_length=custody.MAX_ITEMS)
    passbook_numbers: list[str] = Field([], max_length=custody.MAX_ITEMS)
    note: str = ""


class LineOut(BaseModel):
    kind: str
    item_id: int
    code: str
    name: str


class TransferOut(BaseModel):
    id: int
    number: str
    office_id: int
    status: str
    from_kind: str
    from_name: str
    from_person: str
    to_kind: str
    to_name: str
    to_person: str
    note: str
    sent_at: datetime
    received_at: datetime | None
    received_by_name: str
    lines: list[LineOut]


class TransferPage(BaseModel):
    items: list[TransferOut]
    total: int


class ReceiveBody(BaseModel):
    received_by: str = Field("", description="Who signed for it (default: the slip's receiver)")


class CancelBody(BaseModel):
    reason: str = ""


class SlipOut(BaseModel):
    id: int
    number: str
    status: str
    from_kind: str
    from_name: str
    from_person: str
    to_kind: str
    to_name: str
    to_person: str
    sent_at: datetime
    received_at: datetime | None
    received_by_name: str


class TenureOut(BaseModel):
    kind: str
    name: str
    since: datetime | None = Field(description="None: since the passbook was registered")
    until: datetime | None


class WhereaboutsOut(BaseModel):
    passbook_id: int
    number: str
    office_id: int
    full_name: str = Field(description="Empty without personal_data.read")
    holder_kind: str
    holder_name: str
    holder_since: datetime
    in_transit: bool
    pending: SlipOut | None
    stages: dict[str, datetime | None]
    previous_holders: list[TenureOut]
    slips: list[SlipOut]


class FileCustodyOut(BaseModel):
    file_id: int
    code: str
    holder: str | None
    out_kind: str | None
    out_since: datetime | None
    in_transit: bool
    slips: list[SlipOut]


class PassbookBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    office_id: int
    number: str = Field(examples=["4803004239"])
    full_name: str = Field("", examples=["Nguyễn Thị Mai Lan"])
    ssn: str | None = None
    employer_code: str | None = Field(None, examples=["YN0405Z"])
    employer_name: str = ""
    file_id: int | None = None
    holder_kind: HolderKind = "archive"
    holder_name: str = ""
    received_at: AwareDatetime | None = Field(None, description="The passbook came in for review")


class RegisteredOut(BaseModel):
    office_id: int
    created: list[str]
    existing: list[str]


class StageBody(BaseModel):
    numbers: list[str] = Field(min_length=1, max_length=passbooks.MAX_SCAN)
    stage: Stage
    at: AwareDatetime | None = Field(None, description="When (default: now)")


class StageOut(BaseModel):
    stage: str
    at: datetime
    advanced: list[str]
    already: list[str]


class ProgressRowOut(BaseModel):
    office_id: int | None
    office_code: str
    office_name: str
    received: int = Field(description="Số lượng 04")
    form03_printed: int
    form03_handed_out: int
    form03_returned: int
    approved: int
    passbook_printed: int


class ProgressOut(BaseModel):
    since: date | None
    until: date | None
    rows: list[ProgressRowOut]
    total: ProgressRowOut


def _out(view: custody_views.TransferView) -> TransferOut:
    return TransferOut.model_validate(view, from_attributes=True)


@router.post("/custody-transfers", status_code=201)
def send_transfer(body: TransferBody, session: DbSession, actor: CurrentActor) -> TransferOut:
    """Send files and passbooks from one holder to another with a handover slip."""
    data = custody.TransferIn(
        **body.model_dump(exclude={"file_barcodes", "passbook_numbers"}),
        file_barcodes=tuple(body.file_barcodes),
        passbook_numbers=tuple(body.passbook_numbers),
    )
    return _out(custody.send(session, actor, data))


@router.get("/custody-transfers")
def list_transfers(
    session: DbSession,
    actor: CurrentActor,
    status: str | None = None,
    office: int | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> TransferPage:
    """Handover slips of the caller's offices, newest first."""
    views, total = custody_views.list_transfers(
        session, actor, status=status, office_id=office, limit=limit, offset=offset
    )
    return TransferPage(items=[_out(v) for v in views], total=total)


@router.get("/custody-transfers/{transfer_id}")
def get_transfer(transfer_id: int, session: DbSession, actor: CurrentActor) -> TransferOut:
    """One handover slip with its files and passbooks."""
    return _out(custody_views.get_transfer(session, actor, transfer_id))


@router.post("/custody-transfers/{transfer_id}/receive")
def receive_transfer(
    transfer_id: int, session: DbSession, actor: CurrentActor, body: ReceiveBody | None = None
) -> TransferOut:
    """The receiver signs for the slip: passbooks change holder, files come back to the archive."""
    name = body.received_by if body is not None else ""
    return _out(custody.receive(session, actor, transfer_id=transfer_id, received_by=name))


@router.post("/custody-transfers/{transfer_id}/cancel")
def cancel_transfer(
    transfer_id: int, session: DbSession, actor: CurrentActor, body: CancelBody | None = None
) -> TransferOut:
    """Withdraw a slip not yet received: everything stays with the giver."""
    reason = body.reason if body is not None else ""
    return _out(custody.cancel(session, actor, transfer_id=transfer_id, reason=reason))


@router.get(
    "/custody-transfers/{transfer_id}/slip.pdf",
    response_class=Response,
    responses={200: {"content": {PDF: {}}}},
)
def transfer_slip_pdf(transfer_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """The printed handover slip (phiếu giao nhận hồ sơ, sổ BHXH)."""
    content, number = custody_papers.slip_pdf(session, actor, transfer_id)
    return Response(
        content,
        media_type=PDF,
        headers={"Content-Disposition": f'inline; filename="phieu-giao-nhan-{number}.pdf"'},
    )


@router.get("/passbooks/whereabouts")
def where_is_passbook(
    session: DbSession,
    actor: CurrentActor,
    number: Annotated[str, Query(min_length=1, max_length=40, examples=["4803004239"])],
) -> WhereaboutsOut:
    """Where passbook `number` is now, since when, in transit or not, who had it before."""
    return WhereaboutsOut.model_validate(
        custody_views.where_is_passbook(session, actor, number), from_attributes=True
    )


@router.get("/passbooks/{passbook_id}/whereabouts")
def passbook_whereabouts(
    passbook_id: int, session: DbSession, actor: CurrentActor
) -> WhereaboutsOut:
    """The same, for a passbook by its id."""
    return WhereaboutsOut.model_validate(
        custody_views.where_is_passbook_id(session, actor, passbook_id), from_attributes=True
    )


@router.post("/passbooks", status_code=201)
def register_passbook(
    body: PassbookBody, session: DbSession, actor: CurrentActor
) -> WhereaboutsOut:
    """Register one passbook with its current holder."""
    book = passbooks.register(session, actor, passbooks.PassbookIn(**body.model_dump()))
    return WhereaboutsOut.model_validate(
        custody_views.whereabouts(session, actor, book), from_attributes=True
    )


@router.post("/handovers/{batch_id}/passbooks")
def register_batch_passbooks(
    batch_id: int, session: DbSession, actor: CurrentActor
) -> RegisteredOut:
    """Register the passbooks received with a passbook-review handover batch (again: harmless)."""
    result = passbooks.register_from_batch(session, actor, batch_id=batch_id)
    return RegisteredOut.model_validate(result, from_attributes=True)


@router.post("/passbooks/stage")
def advance_stage(body: StageBody, session: DbSession, actor: CurrentActor) -> StageOut:
    """Record scanned passbooks at a review stage (in order; scanning twice is harmless)."""
    result = passbooks.advance_stage(
        session, actor, numbers=body.numbers, stage=body.stage, at=body.at or utcnow()
    )
    return StageOut.model_validate(result, from_attributes=True)


@router.get("/reports/passbook-progress")
def passbook_progress(
    session: DbSession,
    actor: CurrentActor,
    office: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> ProgressOut:
    """Passbook review per office and stage (received · Mẫu 03 printed · handed out · received
    back · approved · passbook printed), with a total row; within [since, until] if given."""
    report = passbooks.progress(session, actor, office_id=office, since=since, until=until)
    return ProgressOut.model_validate(report, from_attributes=True)


@router.get("/files/{file_id}/custody")
def file_custody(file_id: int, session: DbSession, actor: CurrentActor) -> FileCustodyOut:
    """A file's custody slips, and where it is if it is out on one."""
    return FileCustodyOut.model_validate(
        custody_views.file_custody_history(session, actor, file_id), from_attributes=True
    )
