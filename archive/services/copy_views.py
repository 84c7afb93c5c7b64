"""What the copies pages show: the choices of a new request, the steps open to a reader, the
names of the officers on a request. The rules stay in `copies`; this only reads."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Forbidden
from archive.models import CopyRequest, Office, UsePurpose, User
from archive.permissions import Actor, Perm
from archive.services import offices, use_purposes
from archive.services.copies import is_own


def request_choices(session: Session, actor: Actor) -> tuple[list[Office], list[UsePurpose]]:
    """The offices whose files the actor may ask copies of, and the purposes to choose from;
    refuses readers who may neither ask for themselves nor register at the desk."""
    if not (actor.has(Perm.LOAN_REQUEST) or actor.has(Perm.USE_DESK)):
        raise Forbidden("auth.permission", perm=Perm.LOAN_REQUEST.value)
    return offices.list_offices(session, actor), use_purposes.list_purposes(session)


@dataclass(frozen=True)
class CopyActions:
    """What a copy request's page offers the reader; the services still decide when it is used."""

    decide: bool = False
    pay: bool = False
    produce: bool = False
    deliver: bool = False
    download: bool = False
    certification: bool = False


def actions_for(actor: Actor, req: CopyRequest) -> CopyActions:
    """The actions of `req` open to `actor`: approval for approvers who neither registered nor
    asked for it, the steps of the desk for its office, the digital copy for personal data."""
    desk = actor.has(Perm.USE_DESK) and actor.sees_office(req.office_id)
    return CopyActions(
        decide=req.status == "requested"
        and actor.has(Perm.USE_APPROVE)
        and actor.sees_office(req.office_id)
        and not is_own(actor, req),
        pay=desk
        and req.status in ("approved", "produced")
        and req.fee_dong > 0
        and not req.receipt_number,
        produce=desk and req.status == "approved",
        deliver=desk and req.status == "produced",
        download=req.output_sha256 is not None and actor.has(Perm.PERSONAL_DATA),
        certification=desk and req.kind != "photocopy" and req.produced_at is not None,
    )


def staff_names(session: Session, req: CopyRequest) -> dict[int, str]:
    """The names of the officers who registered, decided and produced `req`, by user id."""
    ids = {req.registered_by_id, req.decided_by_id, req.produced_by_id} - {None}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return {user_id: name for user_id, name in rows}
