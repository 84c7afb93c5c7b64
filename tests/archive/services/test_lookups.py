"""Lookups: questions answered without a visit, registered and audited; restricted series need
someone who may approve; the register of a period in local days; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.errors import Forbidden, Invalid
from archive.models import AuditEvent, Lookup
from archive.services import lookups
from archive.services.lookups import LookupIn
from tests.use_world import UseWorld, make_use_world, make_user, restricted_file


@pytest.fixture
def world(session: Session) -> UseWorld:
    return make_use_world(session)


def lookup_in(**overrides: object) -> LookupIn:
    values: dict[str, object] = {
        "asker_name": "Nguyễn Văn Hùng",
        "organisation": "Công ty May Duy Tiên",
        "channel": "phone",
        "purpose_id": 4,
        "question": "Bà Nguyễn Thị Mai Lan đóng BHXH đủ năm 2015?\n  Cần gấp.",
        "answer": "Đủ 12 tháng.",
    }
    values.update(overrides)
    return LookupIn(**values)  # type: ignore[arg-type]


def _count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Lookup)) or 0)


def test_a_lookup_about_a_file_is_registered_for_its_office_and_audited(
    session: Session, world: UseWorld
) -> None:
    desk = world.actor(session, world.archivist)
    lookup = lookups.record_lookup(session, desk, lookup_in(file_id=world.files[0].id))
    assert (lookup.office_id, lookup.file_id) == (world.office.id, world.files[0].id)
    assert lookup.question == "Bà Nguyễn Thị Mai Lan đóng BHXH đủ năm 2015?\nCần gấp."
    assert lookup.answered_by_id == world.archivist.id and lookup.purpose.code == "XAC_MINH"
    event = session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "lookup", AuditEvent.object_id == lookup.id
        )
    ).one()
    assert event.action == "lookup.recorded" and '"file": "HS-001"' in event.changes

    plain = lookups.record_lookup(session, desk, lookup_in(channel="letter"))
    assert (plain.office_id, plain.file_id) == (world.office.id, None)


def test_a_lookup_about_a_restricted_series_needs_someone_who_may_approve(
    session: Session, world: UseWorld
) -> None:
    secret = restricted_file(session, world)
    desk = world.actor(session, world.archivist)
    with pytest.raises(Forbidden) as err:
        lookups.record_lookup(session, desk, lookup_in(file_id=secret.id))
    assert (err.value.code, err.value.params["code"]) == ("lookup.restricted", "KT-001")
    assert _count(session) == 0
    head = world.actor(
        session, make_user(session, "truongkho", world.office, ("archivist", "approver"))
    )
    assert lookups.record_lookup(session, head, lookup_in(file_id=secret.id)).file_id == secret.id


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"channel": "fax"}, "lookup.channel"),
        ({"question": " \n "}, "lookup.question"),
        ({"asker_name": ""}, "lookup.asker_name"),
        ({"answer": "x" * (lookups.MAX_TEXT + 1)}, "lookup.answer"),
    ],
)
def test_bad_lookups_are_refused_and_nothing_is_written(
    session: Session, world: UseWorld, overrides: dict[str, object], code: str
) -> None:
    with pytest.raises(Invalid) as err:
        lookups.record_lookup(
            session, world.actor(session, world.archivist), lookup_in(**overrides)
        )
    assert err.value.code == code
    assert _count(session) == 0


def test_lookups_stay_within_the_desk_and_its_offices(session: Session, world: UseWorld) -> None:
    with pytest.raises(Forbidden) as err:
        lookups.record_lookup(session, world.actor(session, world.borrower), lookup_in())
    assert err.value.code == "auth.permission"
    district = world.actor(session, world.district_archivist)
    with pytest.raises(Forbidden) as err:
        lookups.record_lookup(session, district, lookup_in(office_id=world.office.id))
    assert err.value.code == "auth.office_scope"
    with pytest.raises(Invalid) as bad:
        lookups.record_lookup(
            session,
            world.actor(session, world.archivist),
            lookup_in(file_id=world.files[0].id, office_id=world.district.id),
        )
    assert bad.value.code == "lookup.office_mismatch"


def test_the_register_of_a_period_counts_local_days(session: Session, world: UseWorld) -> None:
    desk = world.actor(session, world.archivist)
    asked = [
        datetime(2026, 3, 1, 16, 30, tzinfo=UTC),  # 23:30 on 1 March in Hồ Chí Minh City
        datetime(2026, 3, 1, 17, 30, tzinfo=UTC),  # 00:30 on 2 March
        datetime(2026, 3, 2, 9, 0, tzinfo=UTC),  # 16:00 on 2 March
    ]
    made = []
    for n, at in enumerate(asked):
        lookup = lookups.record_lookup(session, desk, lookup_in(asker_name=f"Người hỏi {n}"))
        lookup.asked_at = at
        made.append(lookup)
    lookups.record_lookup(
        session, world.actor(session, world.district_archivist), lookup_in(asker_name="Huyện")
    )
    session.flush()
    march_2 = (date(2026, 3, 2), date(2026, 3, 2))
    found = lookups.list_lookups(session, desk, period=march_2)
    assert [x.id for x in found] == [made[1].id, made[2].id]
    inspector = world.actor(session, make_user(session, "thanhtra", world.office, ("inspector",)))
    assert len(lookups.list_lookups(session, inspector, period=march_2)) == 2
    with pytest.raises(Forbidden):
        lookups.list_lookups(session, world.actor(session, world.borrower), period=march_2)
    with pytest.raises(Forbidden):
        lookups.get_lookup(session, world.actor(session, world.district_archivist), made[0].id)
    with pytest.raises(Invalid):
        lookups.list_lookups(session, desk, period=(date(2026, 3, 2), date(2026, 3, 1)))
