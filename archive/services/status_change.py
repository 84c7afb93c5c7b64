"""Compare-and-set of a record's status: of two people acting on the same loan, visit, copy
request or slip at once, exactly one moves it; the other is told the state it is now in."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from archive.errors import Conflict


def change_status(
    session: Session, row: Any, *, from_: tuple[str, ...], conflict: str, **values: object
) -> None:
    """`UPDATE … SET values WHERE id = row.id AND status IN from_`; refuses with `conflict`
    (params: the row's number and its current status) when the row was not in `from_`. The
    row's attributes take the values written, without reading the row back."""
    model = type(row)
    done = session.execute(
        update(model)
        .where(model.id == row.id, model.status.in_(from_))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if not getattr(done, "rowcount", 0):
        session.refresh(row, ["status"])
        raise Conflict(conflict, number=row.number, status=row.status)
    for key, value in values.items():
        set_committed_value(row, key, value)
