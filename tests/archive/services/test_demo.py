"""The demo province (`archive demo`), on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.db import make_engine, session_factory, transaction
from archive.errors import Conflict, Forbidden, Invalid
from archive.i18n import MESSAGES
from archive.identifiers import BARCODE_RE, SSN_RE
from archive.models import (
    AuditEvent,
    Box,
    BoxProfile,
    Employer,
    File,
    Office,
    Person,
    Series,
    Shelf,
    Store,
    Tier,
)
from archive.services import audit
from archive.services.demo import DemoSummary, build_demo
from archive.text import exact, fold
from tests.factories import ADMIN, archivist, make_office

SMALL = 600


def _build(session: Session, files: int = SMALL, seed: int = 2019) -> DemoSummary:
    return build_demo(session, ADMIN, files=files, seed=seed)


def _kind_counts(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Series.kind, func.count(File.id))
        .join(File, File.series_id == Series.id)
        .group_by(Series.kind)
    )
    return {kind: n for kind, n in rows}


def test_builds_sixteen_offices_and_every_series_in_the_ha_nam_mix(session: Session) -> None:
    progress: list[tuple[int, int]] = []
    summary = build_demo(
        session,
        ADMIN,
        files=SMALL,
        seed=2019,
        progress=lambda done, total: progress.append((done, total)),
    )
    codes = session.scalars(select(Office.code).order_by(Office.code)).all()
    assert codes == [f"{n:02d}" for n in range(16)]
    assert session.scalar(select(func.count(File.id))) == summary.files == SMALL
    kinds = _kind_counts(session)
    assert kinds["benefit"] == summary.benefit_files and 0.19 <= kinds["benefit"] / SMALL <= 0.23
    assert 0.52 <= kinds["operational"] / SMALL <= 0.58
    assert 0.22 <= kinds["passbook_review"] / SMALL <= 0.26
    assert session.scalar(select(func.count(func.distinct(File.series_id)))) == 10
    province = session.scalar(
        select(func.count(File.id))
        .join(Office, Office.id == File.office_id)
        .where(Office.code == "00")
    )
    assert province is not None and 0.35 <= province / SMALL <= 0.45
    assert (summary.stores, summary.boxes) == (
        session.scalar(select(func.count(Store.id))),
        session.scalar(select(func.count(Box.id))),
    )
    assert summary.people == session.scalar(select(func.count(Person.id)))
    assert summary.employers == session.scalar(select(func.count(Employer.id)))
    assert progress[-1] == (SMALL, SMALL)
    assert [done for done, _ in progress] == sorted(done for done, _ in progress)


def test_boxes_hold_one_series_within_capacity_in_contiguous_positions(session: Session) -> None:
    _build(session)
    per_box = session.execute(
        select(
            Box.id,
            Box.series_id,
            BoxProfile.capacity_files,
            func.count(File.id),
            func.min(File.position),
            func.max(File.position),
            func.count(func.distinct(File.series_id)),
            func.min(File.series_id),
        )
        .join(BoxProfile, BoxProfile.id == Box.profile_id)
        .join(File, File.box_id == Box.id)
        .group_by(Box.id, Box.series_id, BoxProfile.capacity_files)
    ).all()
    assert len(per_box) == session.scalar(select(func.count(Box.id)))  # no empty box
    for _, series_id, capacity, n, first, last, n_series, file_series in per_box:
        assert 1 <= n <= capacity
        assert (first, last) == (1, n)
        assert n_series == 1 and file_series == series_id
    tier_widths = session.execute(
        select(Tier.length_cm, func.sum(BoxProfile.width_cm))
        .join(Box, Box.tier_id == Tier.id)
        .join(BoxProfile, BoxProfile.id == Box.profile_id)
        .group_by(Tier.id, Tier.length_cm)
    ).all()
    assert all(width <= length for length, width in tier_widths)


def test_files_are_plausible_and_every_barcode_is_unique_and_ours(session: Session) -> None:
    _build(session)
    offices = {oid: code for oid, code in session.execute(select(Office.id, Office.code))}
    labelled: list[tuple[str, str, int]] = []
    for model, letter in ((Store, "K"), (Shelf, "S"), (Tier, "T"), (Box, "B"), (File, "F")):
        labelled += [(code, letter, 0) for code in session.scalars(select(model.barcode))]
    assert len({code for code, _, _ in labelled}) == len(labelled)
    assert all(
        (m := BARCODE_RE.match(code)) and m["kind"] == letter for code, letter, _ in labelled
    )
    for office_id, code, title, start, end, sheets, barcode in session.execute(
        select(
            File.office_id,
            File.code,
            File.title,
            File.start_date,
            File.end_date,
            File.sheet_count,
            File.barcode,
        )
    ):
        assert barcode[1:3] == offices[office_id]
        assert start is not None and end is not None
        assert date(1995, 1, 1) <= start <= end <= date(2024, 12, 31)
        assert 5 <= sheets <= 300
        assert unicodedata.normalize("NFC", title) == title and code.split("-")[1].isdigit()


def test_people_and_passbook_files_link_numbers_employers_and_districts(session: Session) -> None:
    _build(session)
    for ssn, cid, name, name_exact, name_folded in session.execute(
        select(
            Person.ssn, Person.citizen_id, Person.full_name, Person.name_exact, Person.name_folded
        )
    ):
        assert isinstance(ssn, str) and SSN_RE.match(ssn)
        assert cid is None or (len(cid) == 12 and cid.isdigit())
        assert (name_exact, name_folded) == (exact(name), fold(name))
        assert unicodedata.normalize("NFC", name) == name and len(name.split()) >= 3
    people = session.scalar(select(func.count(Person.id))) or 0
    with_cid = session.scalar(select(func.count(Person.citizen_id))) or 0
    assert 0.2 <= with_cid / people <= 0.4
    kinds = {sid: kind for sid, kind in session.execute(select(Series.id, Series.kind))}
    for series_id, person_ssn, passbook, employer, district, benefit_type in session.execute(
        select(
            File.series_id,
            Person.ssn,
            File.passbook_number,
            File.employer_id,
            Office.code,
            File.benefit_type,
        )
        .outerjoin(Person, Person.id == File.person_id)
        .outerjoin(Office, Office.id == File.district_office_id)
    ):
        if kinds[series_id] == "benefit":
            assert person_ssn is not None and benefit_type
        if kinds[series_id] == "passbook_review":
            assert passbook == person_ssn and employer is not None and district != "00"
    codes = session.scalars(select(Employer.code)).all()
    assert all(len(c) == 7 and c[:2].isalpha() and c[2:6].isdigit() for c in codes)
    several = session.scalar(
        select(func.count()).select_from(
            select(File.person_id)
            .where(File.person_id.isnot(None))
            .group_by(File.person_id)
            .having(func.count() > 1)
            .subquery()
        )
    )
    assert several  # a pensioner's benefit file and passbook review


def test_names_follow_vietnamese_frequencies_and_repeat(session: Session) -> None:
    summary = _build(session, files=8000, seed=5)
    assert summary.people >= 3000
    nguyen = (
        session.scalar(select(func.count(Person.id)).where(Person.name_exact.like("nguyễn %"))) or 0
    )
    assert 0.30 <= nguyen / summary.people <= 0.42
    shared_name = select(Person.name_exact).group_by(Person.name_exact).having(func.count() > 1)
    assert len(session.scalars(shared_name).all()) > 50
    shared_birth = (
        select(Person.name_exact, Person.birth_date)
        .group_by(Person.name_exact, Person.birth_date)
        .having(func.count() > 1)
    )
    assert session.execute(shared_birth).first() is not None
    assert session.scalar(select(func.count(Person.id)).where(Person.ssn.startswith("0")))


def _snapshot(session: Session) -> list[tuple[Any, ...]]:
    return [
        tuple(row)
        for row in session.execute(
            select(
                Office.code,
                File.code,
                File.title,
                Person.ssn,
                Box.number,
                File.position,
                File.barcode,
            )
            .join(Office, Office.id == File.office_id)
            .join(Box, Box.id == File.box_id)
            .outerjoin(Person, Person.id == File.person_id)
            .order_by(Office.code, File.code)
        )
    ]


def test_same_files_and_seed_give_the_same_rows_in_another_database(
    session: Session, sqlite_template: Path, tmp_path: Path
) -> None:
    _build(session, seed=11)
    path = tmp_path / "second.sqlite3"
    shutil.copyfile(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        with transaction(session_factory(engine)) as other:
            _build(other, seed=11)
            assert _snapshot(other) == _snapshot(session)
            other.rollback()
        with transaction(session_factory(engine)) as other:
            _build(other, seed=12)
            assert _snapshot(other) != _snapshot(session)
            other.rollback()
    finally:
        engine.dispose()


def test_keeps_existing_offices_and_refuses_a_database_with_files(session: Session) -> None:
    existing = make_office(session, "00", "BHXH tỉnh Hà Nam")
    _build(session, files=50)
    assert session.scalar(select(func.count(Office.id))) == 16
    assert session.get(Office, existing.id).name == "BHXH tỉnh Hà Nam"  # type: ignore[union-attr]
    with pytest.raises(Conflict) as err:
        _build(session, files=50)
    assert err.value.code == "demo.not_empty"
    assert session.scalar(select(func.count(File.id))) == 50


def test_refuses_bad_counts_and_non_administrators(session: Session) -> None:
    with pytest.raises(Invalid) as err:
        _build(session, files=0)
    assert err.value.code == "demo.files"
    office = make_office(session)
    with pytest.raises(Forbidden):
        build_demo(session, archivist(office.id), files=10, seed=1)
    assert {"demo.files", "demo.not_empty"} <= MESSAGES.keys()


def test_writes_one_audit_event_and_the_chain_still_verifies(session: Session) -> None:
    _build(session)
    events = session.scalars(select(AuditEvent).where(AuditEvent.action == "demo.loaded")).all()
    assert len(events) == 1 and '"files": [null, 600]' in events[0].changes
    report = audit.verify(session)
    assert report.first_broken_id is None and report.checked >= 33  # offices, stores, demo


def test_split_and_box_sizes_account_for_every_file() -> None:
    from random import Random

    from archive.services.demo.catalogue import box_sizes, split

    assert split(7, [1, 1, 1]) == [3, 2, 2] and sum(split(1001, [0.4, 0.35, 0.25])) == 1001
    sizes = box_sizes(Random(1), 1000, 16)
    assert sum(sizes) == 1000 and all(1 <= s <= 16 for s in sizes)
    assert all(s >= 14 for s in sizes[:-1])  # boxes are 85–100 % full, bar the last
