"""The usage register printed: the register's uses as the A4 landscape ledger."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from archive.clock import DEFAULT_TZ
from archive.permissions import Actor
from archive.printing.official import Signature
from archive.printing.use_registers import UsageEntry, UsageKind, UsageRegister, usage_register_pdf
from archive.services.paper_issuer import issuer_for
from archive.services.usage_register import usage_register

PRINTED_KINDS = {
    "loan": UsageKind.LOAN,
    "reading": UsageKind.READING,
    "lookup": UsageKind.LOOKUP,
    "copy": UsageKind.COPY,
}


def register_pdf(
    session: Session,
    actor: Actor,
    *,
    office_id: int,
    first: date,
    last: date,
    today: date,
    tz: str = DEFAULT_TZ,
) -> bytes:
    """The usage register of an office for a period, as the printed ledger."""
    register = usage_register(session, actor, office_id=office_id, first=first, last=last, tz=tz)
    entries = tuple(
        UsageEntry(
            used_on=u.used_on,
            kind=PRINTED_KINDS[u.kind],
            user_name=u.user_name,
            user_unit=u.user_unit,
            file_codes=u.file_codes,
            purpose=u.purpose,
            result=u.result,
            served_by=u.served_by,
            note=" ".join(p for p in (u.reference, u.note) if p),
        )
        for u in register.uses
    )
    return usage_register_pdf(
        UsageRegister(
            issuer=issuer_for(session, register.office),
            period_start=first,
            period_end=last,
            printed_on=today,
            entries=entries,
            signers=(Signature("NGƯỜI LẬP SỔ"), Signature("THỦ TRƯỞNG ĐƠN VỊ")),
        )
    )
