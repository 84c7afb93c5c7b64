"""Printing staff cards gives a card code to users made before cards existed, audited once."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Forbidden
from archive.models import AuditEvent
from archive.services.staff_cards import cards_pdf
from tests.factories import ADMIN
from tests.use_world import make_use_world


def test_a_user_without_a_card_gets_one_when_printed(session: Session) -> None:
    world = make_use_world(session, files=1)
    world.borrower.card_code = None
    session.flush()
    pdf = cards_pdf(session, ADMIN, office_id=world.office.id)
    assert pdf.startswith(b"%PDF")
    assert world.borrower.card_code is not None and world.borrower.card_code.startswith("U00")
    issued = select(func.count()).where(AuditEvent.action == "user.card_issued")
    assert session.scalar(issued) == 1
    cards_pdf(session, ADMIN, usernames=("lan",))
    assert session.scalar(issued) == 1
    with pytest.raises(Forbidden):
        cards_pdf(session, world.actor(session, world.archivist), office_id=world.office.id)
