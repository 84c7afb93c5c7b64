"""The printed handover slip (phiếu giao nhận hồ sơ, sổ BHXH) of a custody move."""

from __future__ import annotations

from sqlalchemy.orm import Session

from archive.clock import local_date
from archive.i18n import ui
from archive.models import Office
from archive.permissions import Actor
from archive.printing import use_forms
from archive.services.custody_views import get_transfer
from archive.services.paper_issuer import issuer_for


def slip_pdf(session: Session, actor: Actor, transfer_id: int) -> tuple[bytes, str]:
    """The printed handover slip (phiếu giao nhận) and its number; refuses what get_transfer
    refuses."""
    view = get_transfer(session, actor, transfer_id)
    office = session.get(Office, view.office_id)
    assert office is not None  # a slip's office is a foreign key
    kinds = {"file": use_forms.CustodyItemKind.FILE, "passbook": use_forms.CustodyItemKind.PASSBOOK}
    slip = use_forms.CustodySlip(
        issuer=issuer_for(session, office),
        slip_number=view.number,
        handed_on=local_date(view.sent_at),
        giver=use_forms.Holder(
            ui(f"custody.holder.{view.from_kind}"), view.from_name, view.from_person
        ),
        receiver=use_forms.Holder(
            ui(f"custody.holder.{view.to_kind}"),
            view.to_name,
            view.to_person or view.received_by_name,
        ),
        items=tuple(use_forms.CustodyItem(kinds[x.kind], x.code, x.name) for x in view.lines),
    )
    return use_forms.custody_slip_pdf(slip), view.number
