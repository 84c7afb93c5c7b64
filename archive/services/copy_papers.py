"""The papers of a copy request: the request slip (phiếu yêu cầu cung cấp bản sao) with its fee in
figures and words, and the certification that produced copies match the archived originals.
The slip masks the identity paper number as the screen does."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.clock import DEFAULT_TZ, local_date
from archive.errors import Conflict
from archive.i18n import ui
from archive.models import CopyRequest, Office, User, utcnow
from archive.permissions import Actor
from archive.printing.certified_copies import CopyCertification, copy_certification_pdf
from archive.printing.official import Signature
from archive.printing.use_forms import Approval, CopyLine, CopyRequestForm, IdentityPaper
from archive.printing.use_forms import copy_request_pdf as print_copy_request
from archive.services import copy_prices
from archive.services.copies import (
    FREE_REQUESTERS,
    count_pages,
    desk_copy,
    get_copy,
    id_number_shown,
)
from archive.services.paper_issuer import issuer_for


def _name(session: Session, user_id: int | None) -> str:
    return (
        (session.scalar(select(User.full_name).where(User.id == user_id)) or "") if user_id else ""
    )


def fee_lines(session: Session, req: CopyRequest, tz: str = DEFAULT_TZ) -> tuple[CopyLine, ...]:
    """The slip's lines: pages counted and priced as quoted at approval; before it, as they
    would be counted and priced today (refuses pages a file no longer has)."""
    quoted = req.decided_at is not None and req.status != "refused"
    counts = {
        item.id: item.page_count if quoted else count_pages(session, req, item)
        for item in req.items
    }
    price = None
    if req.requester_kind not in FREE_REQUESTERS and req.status != "refused":
        at = req.decided_at if quoted and req.decided_at else utcnow()
        price = copy_prices.price_on(session, req.kind, local_date(at, tz), known_at=at)
    fee = copy_prices.quote(price, sum(counts.values()))
    lines = [
        CopyLine(
            file_code=item.file.code,
            title=item.file.title,
            pages=copy_prices.pages_label(item.pages, counts[item.id]),
            page_count=counts[item.id],
            unit_price=fee.per_page,
            amount=fee.per_page * counts[item.id],
        )
        for item in req.items
    ]
    if fee.per_request:
        lines.append(CopyLine("", ui("copy.fee_per_request"), "", 0, 0, fee.per_request))
    return tuple(lines)


def request_form_pdf(
    session: Session, actor: Actor, *, copy_id: int, tz: str = DEFAULT_TZ
) -> bytes:
    """The request slip (phiếu yêu cầu cung cấp bản sao) with its fee in figures and words."""
    req = get_copy(session, actor, copy_id)
    office = session.get(Office, req.office_id)
    assert office is not None
    identity = None
    if req.id_paper_kind and req.id_paper_number:
        shown = id_number_shown(actor, req.id_paper_number) or ""
        identity = IdentityPaper(ui(f"copy.id_paper.{req.id_paper_kind}"), shown)
    approval = None
    if req.status != "refused" and req.decided_at is not None:
        approval = Approval(_name(session, req.decided_by_id), local_date(req.decided_at, tz))
    form = CopyRequestForm(
        issuer=issuer_for(session, office),
        request_number=req.number,
        requested_on=local_date(req.requested_at, tz),
        requester_name=req.requester_name,
        requester_unit=req.organisation,
        identity=identity,
        kind_label=ui(f"copy.kind.{req.kind}"),
        purpose=req.purpose.name,
        lines=fee_lines(session, req, tz),
        receipt_number=req.receipt_number or None,
        approval=approval,
        served_by=_name(session, req.produced_by_id or req.registered_by_id),
    )
    return print_copy_request(form)


def certification_pdf(
    session: Session, actor: Actor, *, copy_id: int, tz: str = DEFAULT_TZ
) -> bytes:
    """The certification (one page per file) that a produced certified or digital copy matches
    the archived originals; refuses plain photocopies and requests not yet produced."""
    req = desk_copy(session, actor, copy_id)
    if req.kind == "photocopy":
        raise Conflict("copy.not_certified", number=req.number)
    if req.produced_at is None:
        raise Conflict("copy.status", number=req.number, status=req.status)
    office = session.get(Office, req.office_id)
    assert office is not None
    issuer = issuer_for(session, office)
    many = len(req.items) > 1
    out = PdfWriter()
    for n, item in enumerate(req.items, start=1):
        page = copy_certification_pdf(
            CopyCertification(
                issuer=issuer,
                number=f"{req.number}-{n}" if many else req.number,
                certified_on=local_date(req.produced_at, tz),
                request_number=req.number,
                recipient_name=req.requester_name,
                file_code=item.file.code,
                file_title=item.file.title,
                pages=copy_prices.pages_label(item.pages, item.page_count),
                page_count=item.page_count,
                certifier=Signature(ui("copy.certifier")),
            )
        )
        out.append(PdfReader(io.BytesIO(page)))
    buffer = io.BytesIO()
    out.write(buffer)
    return buffer.getvalue()
