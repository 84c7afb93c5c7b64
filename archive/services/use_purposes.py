"""The editable list of purposes of use and their loan policy (days, renewals)."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Invalid, NotFound
from archive.models import UsePurpose
from archive.permissions import Actor, Perm, require
from archive.services import audit
from archive.text import nfc

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")


@dataclass(frozen=True)
class PurposeIn:
    code: str
    name: str
    name_en: str = ""
    loan_days: int = 10
    max_renewals: int = 1
    renewal_days: int = 5
    active: bool = True


def list_purposes(session: Session, *, include_inactive: bool = False) -> list[UsePurpose]:
    stmt = select(UsePurpose).order_by(UsePurpose.id)
    if not include_inactive:
        stmt = stmt.where(UsePurpose.active.is_(True))
    return list(session.scalars(stmt))


def _check(data: PurposeIn) -> None:
    if not _CODE.match(data.code):
        raise Invalid("purpose.code", value=data.code)
    if not nfc(data.name).strip():
        raise Invalid("purpose.name_required")
    if data.loan_days <= 0 or data.max_renewals < 0 or data.renewal_days <= 0:
        raise Invalid("purpose.policy")


def create_purpose(session: Session, actor: Actor, data: PurposeIn) -> UsePurpose:
    require(actor, Perm.USE_SETTINGS)
    _check(data)
    if session.scalar(select(UsePurpose.id).where(UsePurpose.code == data.code)) is not None:
        raise Conflict("purpose.duplicate", code=data.code)
    purpose = UsePurpose(
        **{f.name: getattr(data, f.name) for f in fields(data)} | {"name": nfc(data.name).strip()}
    )
    session.add(purpose)
    session.flush()
    audit.record(
        session,
        actor,
        "purpose.created",
        object_type="use_purpose",
        object_id=purpose.id,
        changes={f.name: [None, getattr(data, f.name)] for f in fields(data)},
    )
    return purpose


def update_purpose(
    session: Session, actor: Actor, *, purpose_id: int, data: PurposeIn
) -> UsePurpose:
    """Change a purpose's names or policy (loans already out keep their due dates)."""
    require(actor, Perm.USE_SETTINGS)
    purpose = session.get(UsePurpose, purpose_id)
    if purpose is None:
        raise NotFound("purpose.not_found", purpose_id=purpose_id)
    _check(data)
    if data.code != purpose.code:
        raise Invalid("purpose.code_fixed", code=purpose.code)
    changes = {}
    for f in fields(data):
        new = nfc(data.name).strip() if f.name == "name" else getattr(data, f.name)
        old = getattr(purpose, f.name)
        if new != old:
            changes[f.name] = [old, new]
            setattr(purpose, f.name, new)
    session.flush()
    if changes:
        audit.record(
            session,
            actor,
            "purpose.updated",
            object_type="use_purpose",
            object_id=purpose.id,
            changes=changes,
        )
    return purpose
