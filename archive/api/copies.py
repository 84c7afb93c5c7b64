"""API of the use of records (issue 5): copies (cung cấp bản sao) and their price list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field

from archive.api.deps import CurrentActor, DbSession, get_runtime
from archive.api.schemas import ERRORS
from archive.models import CopyPrice, CopyRequest
from archive.permissions import Actor
from archive.services import copies, copy_papers, copy_prices
from archive.services.copies import CopyFilter, CopyIn, CopyItemIn
from scanners.storage import DerivedStore, OriginalStore

router = APIRouter(tags=["use of records"], responses=ERRORS)
PDF = "application/pdf"
PDF_RESPONSE: dict[int | str, dict[str, object]] = {200: {"content": {PDF: {}}}}


class CopyItemRequestIn(BaseModel):
    file_id: int
    pages: str = Field("", max_length=200, description='"1-3,5"; empty = every page')


class CopyRequestIn(BaseModel):
    kind: str = Field(examples=["certified"], description="photocopy, certified or digital")
    requester_kind: str = Field(examples=["citizen"], description="internal or citizen")
    purpose_id: int
    items: list[CopyItemRequestIn] = Field(min_length=1, max_length=copies.MAX_FILES)
    requester_user_id: int | None = Field(
        None, description="internal: the officer (empty = oneself; someone else needs use.desk)"
    )
    requester_name: str = Field("", examples=["Nguyễn Thị Mai Lan"])
    organisation: str = ""
    id_paper_kind: str | None = Field(None, examples=["citizen_id"])
    id_paper_number: str | None = Field(None, examples=["079123456789"])
    note: str = ""


class CopyDecisionIn(BaseModel):
    approve: bool
    reason: str = ""


class CopyPaymentIn(BaseModel):
    receipt_number: str = Field(examples=["0001234"])


class CopyDeliveryIn(BaseModel):
    delivered_to: str = Field("", description="Who received the copies; empty = the requester")


class CopyItemOut(BaseModel):
    file_id: int
    file_code: str
    title: str
    pages: str
    page_count: int


class CopyOut(BaseModel):
    id: int
    number: str
    office_id: int
    kind: str
    status: str
    requester_kind: str
    requester_user_id: int | None
    requester_name: str
    organisation: str
    id_paper_kind: str | None
    id_paper_number: str | None = Field(description="Masked without personal_data.read")
    purpose_code: str
    purpose: str
    note: str
    registered_by_id: int
    requested_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None
    decision_reason: str
    fee_dong: int
    receipt_number: str
    produced_at: datetime | None
    output_sha256: str | None
    delivered_at: datetime | None
    delivered_to: str
    items: list[CopyItemOut]

    @classmethod
    def of(cls, actor: Actor, req: CopyRequest) -> CopyOut:
        return cls(
            **{
                name: getattr(req, name)
                for name in cls.model_fields
                if name not in ("id_paper_number", "purpose_code", "purpose", "items")
            },
            id_paper_number=copies.id_number_shown(actor, req.id_paper_number),
            purpose_code=req.purpose.code,
            purpose=req.purpose.name,
            items=[
                CopyItemOut(
                    file_id=item.file_id,
                    file_code=item.file.code,
                    title=item.file.title,
                    pages=item.pages,
                    page_count=item.page_count,
                )
                for item in req.items
            ],
        )


class CopyPage(BaseModel):
    total: int
    copies: list[CopyOut]


class CopyPriceIn(BaseModel):
    kind: str = Field(examples=["photocopy"])
    per_page_dong: int = Field(examples=[2000])
    per_request_dong: int = 0
    valid_from: date


class CopyPriceOut(CopyPriceIn):
    id: int
    created_at: datetime

    @classmethod
    def of(cls, price: CopyPrice) -> CopyPriceOut:
        return cls(
            id=price.id,
            kind=price.kind,
            per_page_dong=price.per_page_dong,
            per_request_dong=price.per_request_dong,
            valid_from=price.valid_from,
            created_at=price.created_at,
        )


def _pdf(content: bytes, filename: str) -> Response:
    return Response(
        content, media_type=PDF, headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


@router.get("/copy-prices")
def list_prices(
    session: DbSession, actor: CurrentActor, kind: str | None = None
) -> list[CopyPriceOut]:
    """The price list of copies, by kind, newest first (a new price never changes a fee
    already quoted)."""
    return [CopyPriceOut.of(p) for p in copy_prices.list_prices(session, kind=kind)]


@router.post("/copy-prices", status_code=201)
def set_price(body: CopyPriceIn, session: DbSession, actor: CurrentActor) -> CopyPriceOut:
    """Add a price (whole đồng per page, and per request) valid from a date."""
    price = copy_prices.set_price(
        session,
        actor,
        kind=body.kind,
        per_page=body.per_page_dong,
        per_request=body.per_request_dong,
        valid_from=body.valid_from,
    )
    return CopyPriceOut.of(price)


@router.post("/copies", status_code=201)
def request_copies(body: CopyRequestIn, session: DbSession, actor: CurrentActor) -> CopyOut:
    """Register a request for copies: an officer's own (loans.request), or at the desk for a
    citizen with an identity paper or for another officer (use.desk)."""
    data = CopyIn(
        **body.model_dump(exclude={"items"}),
        items=tuple(CopyItemIn(item.file_id, item.pages) for item in body.items),
    )
    return CopyOut.of(actor, copies.request_copies(session, actor, data))


@router.get("/copies")
def list_copies(
    session: DbSession,
    actor: CurrentActor,
    status: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads the default
    office_id: int | None = None,
    requester_kind: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> CopyPage:
    """Copy requests in the user's view, newest first (officers see their own)."""
    found, total = copies.list_copies(
        session,
        actor,
        CopyFilter(status=tuple(status), office_id=office_id, requester_kind=requester_kind),
        limit=limit,
        offset=offset,
    )
    return CopyPage(total=total, copies=[CopyOut.of(actor, req) for req in found])


@router.get("/copies/{copy_id}")
def get_copy(copy_id: int, session: DbSession, actor: CurrentActor) -> CopyOut:
    return CopyOut.of(actor, copies.get_copy(session, actor, copy_id))


@router.post("/copies/{copy_id}/decision")
def decide_copies(
    request: Request, copy_id: int, body: CopyDecisionIn, session: DbSession, actor: CurrentActor
) -> CopyOut:
    """Approve (the pages are counted and the fee quoted from the day's price list) or refuse
    (with a reason); never one's own request."""
    req = copies.decide_copies(
        session,
        actor,
        copy_id=copy_id,
        approve=body.approve,
        reason=body.reason,
        tz=get_runtime(request).settings.timezone,
    )
    return CopyOut.of(actor, req)


@router.post("/copies/{copy_id}/payment")
def record_payment(
    copy_id: int, body: CopyPaymentIn, session: DbSession, actor: CurrentActor
) -> CopyOut:
    req = copies.record_payment(session, actor, copy_id=copy_id, receipt_number=body.receipt_number)
    return CopyOut.of(actor, req)


@router.post("/copies/{copy_id}/produce")
def produce_copies(
    request: Request, copy_id: int, session: DbSession, actor: CurrentActor
) -> CopyOut:
    """Record the copies as made; a digital copy is built now (certified PDF of the scans)."""
    settings = get_runtime(request).settings
    req = copies.produce_copies(
        session,
        actor,
        copy_id=copy_id,
        originals=OriginalStore(settings.originals_dir),
        derived=DerivedStore(settings.derived_dir),
        tz=settings.timezone,
    )
    return CopyOut.of(actor, req)


@router.post("/copies/{copy_id}/deliver")
def deliver_copies(
    copy_id: int, body: CopyDeliveryIn, session: DbSession, actor: CurrentActor
) -> CopyOut:
    req = copies.deliver_copies(session, actor, copy_id=copy_id, delivered_to=body.delivered_to)
    return CopyOut.of(actor, req)


@router.get("/copies/{copy_id}/copy.pdf", response_class=Response, responses=PDF_RESPONSE)
def copy_pdf(request: Request, copy_id: int, session: DbSession, actor: CurrentActor) -> Response:
    """The digital copy, byte for byte as produced (its SHA-256 in the ETag)."""
    derived = DerivedStore(get_runtime(request).settings.derived_dir)
    stored = copies.copy_pdf(session, actor, copy_id=copy_id, derived=derived)
    response = _pdf(stored.content, f"ban-sao-{stored.number}.pdf")
    response.headers["ETag"] = f'"{stored.sha256}"'
    return response


@router.get("/copies/{copy_id}/request.pdf", response_class=Response, responses=PDF_RESPONSE)
def request_form_pdf(
    request: Request, copy_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """The request slip with its fee in figures and words."""
    tz = get_runtime(request).settings.timezone
    content = copy_papers.request_form_pdf(session, actor, copy_id=copy_id, tz=tz)
    return _pdf(content, f"phieu-yeu-cau-{copy_id}.pdf")


@router.get("/copies/{copy_id}/certification.pdf", response_class=Response, responses=PDF_RESPONSE)
def certification_pdf(
    request: Request, copy_id: int, session: DbSession, actor: CurrentActor
) -> Response:
    """The certification that the copies match the archived originals (one page per file)."""
    tz = get_runtime(request).settings.timezone
    content = copy_papers.certification_pdf(session, actor, copy_id=copy_id, tz=tz)
    return _pdf(content, f"xac-nhan-ban-sao-{copy_id}.pdf")
