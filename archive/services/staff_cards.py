"""Staff cards: the card each borrower shows at the loans desk. Users made before cards existed
get their card code when their card is first printed (audited)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import NotFound
from archive.models import Office, User
from archive.permissions import Actor, Perm, require, require_office
from archive.printing.staff_cards import StaffCard, staff_cards_pdf
from archive.services import audit, barcodes


def cards_pdf(
    session: Session, actor: Actor, *, office_id: int | None = None, usernames: tuple[str, ...] = ()
) -> bytes:
    """The cards of the active users of an office (or of the named users), ten to a page."""
    require(actor, Perm.USERS_MANAGE)
    stmt = select(User).where(User.active.is_(True)).order_by(User.department, User.full_name)
    if usernames:
        stmt = stmt.where(User.username.in_([u.strip().lower() for u in usernames]))
    if office_id is not None:
        require_office(actor, office_id)
        stmt = stmt.where(User.office_id == office_id)
    elif actor.office_ids is not None:
        stmt = stmt.where(User.office_id.in_(actor.office_ids))
    users = list(session.scalars(stmt))
    if not users:
        raise NotFound("user.not_found", user_id=", ".join(usernames) or office_id)
    offices = {o.id: o for o in session.scalars(select(Office))}
    for user in users:
        if user.card_code is None:
            user.card_code = barcodes.allocate(session, "card", offices[user.office_id].code)[0]
            session.flush()
            audit.record(
                session,
                actor,
                "user.card_issued",
                object_type="user",
                object_id=user.id,
                office_id=user.office_id,
                changes={"card_code": [None, user.card_code]},
            )
    return staff_cards_pdf(
        [
            StaffCard(
                office_name=offices[u.office_id].name,
                full_name=u.full_name,
                department=u.department,
                username=u.username,
                card_code=u.card_code or "",
            )
            for u in users
        ]
    )
