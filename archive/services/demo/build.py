"""The demo writer: a plausible province written in bulk (issue 2, item 12).

Offices and stores go through their services (counters, audit); shelves, tiers, boxes, people,
employers and files are inserted in chunks with SQLAlchemy Core, never one ORM object per row,
so that a million files take minutes. Barcodes come from the office counters in blocks."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import groupby
from random import Random
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from archive.errors import Conflict, Invalid, NotFound
from archive.models import BoxProfile, Employer, File, Office, Person, Series, Store, utcnow
from archive.permissions import Actor, Perm, require
from archive.services import audit, barcodes, locations, offices
from archive.services.demo import catalogue, tables
from archive.services.demo.bulk import CHUNK, insert_rows, table_of
from archive.services.demo.catalogue import Context, Draft, Group
from archive.services.demo.layout import BoxPlan, build_layout
from archive.services.demo.population import (
    EmployerSpec,
    PersonMaker,
    PersonSpec,
    employer_count,
    make_employers,
)
from archive.text import exact, fold

MAX_FILES = 10_000_000

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class DemoSummary:
    """What `build_demo` wrote."""

    seed: int
    offices: int
    stores: int
    shelves: int
    tiers: int
    boxes: int
    shelf_metres: float
    files: int
    benefit_files: int
    operational_files: int
    passbook_review_files: int
    people: int
    employers: int


def build_demo(
    session: Session, actor: Actor, *, files: int, seed: int, progress: Progress | None = None
) -> DemoSummary:
    """Fill an empty register with a reproducible demo province (same files and seed, same rows).

    Refuses a database that already holds files, so demo data never mixes with real records."""
    _refuse(session, actor, files)
    series, profiles = _reference(session)
    office_ids = _ensure_offices(session, actor)
    groups = catalogue.plan(files, {code: kind for code, (_, kind) in series.items()})
    employers = make_employers(
        Random(f"demo:{seed}:employers"), employer_count(files), _existing(session, Employer.code)
    )
    maker = PersonMaker(
        Random(f"demo:{seed}:people"),
        taken_ssns=_existing(session, Person.ssn),
        taken_citizen_ids=_existing(session, Person.citizen_id),
    )
    people_of_group = catalogue.cast(Random(f"demo:{seed}:cast"), groups, maker)
    writer = _Writer(
        session=session,
        actor=actor,
        seed=seed,
        series=series,
        profiles=profiles,
        office_ids=office_ids,
        person_ids=_insert_people(session, maker.made),
        employer_ids=_insert_employers(session, employers),
        ctx=Context.build(maker.made, employers),
        now=utcnow(),
        total=files,
        progress=progress,
    )
    indexed = list(zip(groups, people_of_group, strict=True))
    for office, office_groups in groupby(indexed, key=lambda pair: pair[0].office):
        writer.office(office, list(office_groups))
    summary = writer.summary(len(office_ids), len(maker.made), len(employers), groups)
    changes = {key: [None, value] for key, value in asdict(summary).items()}
    audit.record(session, actor, "demo.loaded", object_type="demo", object_id=None, changes=changes)
    return summary


def _refuse(session: Session, actor: Actor, files: int) -> None:
    """Only an administrator, a sane count, and a register without files."""
    for perm in (Perm.USERS_MANAGE, Perm.LOCATIONS_MANAGE, Perm.REGISTER_WRITE):
        require(actor, perm)
    if not 1 <= files <= MAX_FILES:
        raise Invalid("demo.files", value=files, max=MAX_FILES)
    if session.scalar(select(File.id).limit(1)) is not None:
        raise Conflict("demo.not_empty")


def _reference(
    session: Session,
) -> tuple[dict[str, tuple[int, str]], dict[str, tuple[int, int, float]]]:
    """Series (id, kind) and box profiles (id, capacity, width) by code; refuses missing ones."""
    series = {
        code: (sid, kind)
        for code, sid, kind in session.execute(select(Series.code, Series.id, Series.kind))
    }
    for code in tables.SERIES_SHARES:
        if code not in series:
            raise NotFound("series.not_found", code=code)
    profiles = {
        code: (pid, cap, float(width))
        for code, pid, cap, width in session.execute(
            select(BoxProfile.code, BoxProfile.id, BoxProfile.capacity_files, BoxProfile.width_cm)
        )
    }
    for code in tables.PROFILE_BY_KIND.values():
        if code not in profiles:
            raise NotFound("box_profile.not_found", profile_id=code)
    return series, profiles


def _ensure_offices(session: Session, actor: Actor) -> dict[str, int]:
    """The ids of offices 00–15, creating those missing (an installation may already have 00)."""
    existing: dict[str, int] = {
        code: oid for code, oid in session.execute(select(Office.code, Office.id))
    }
    wanted = [tables.PROVINCE_OFFICE, *((c, n, s, s) for c, n, s, _ in tables.DISTRICT_OFFICES)]
    for code, name, short, place in wanted:
        if code not in existing:
            existing[code] = offices.create_office(
                session, actor, code=code, name=name, short_name=short, place=place
            ).id
    return {code: existing[code] for code, _, _, _ in wanted}


def _existing(session: Session, column: InstrumentedAttribute[Any]) -> set[str]:
    return {value for value in session.scalars(select(column)) if value is not None}


def _insert_employers(session: Session, employers: Sequence[EmployerSpec]) -> list[int]:
    insert_rows(session, Employer, [{"code": e.code, "name": e.name} for e in employers])
    ids = {code: eid for code, eid in session.execute(select(Employer.code, Employer.id))}
    return [ids[e.code] for e in employers]


def _insert_people(session: Session, people: Sequence[PersonSpec]) -> list[int]:
    forms: dict[str, tuple[str, str]] = {}  # names repeat: fold each one once

    def row(p: PersonSpec) -> dict[str, Any]:
        if p.full_name not in forms:
            forms[p.full_name] = (exact(p.full_name), fold(p.full_name))
        name_exact, name_folded = forms[p.full_name]
        return {
            "ssn": p.ssn,
            "citizen_id": p.citizen_id,
            "full_name": p.full_name,
            "name_exact": name_exact,
            "name_folded": name_folded,
            "birth_date": p.birth_date,
        }

    insert_rows(session, Person, map(row, people))
    ids = {ssn: pid for ssn, pid in session.execute(select(Person.ssn, Person.id))}
    return [ids[p.ssn] for p in people]


def _free_store_code(session: Session, office_id: int) -> str:
    taken = set(session.scalars(select(Store.code).where(Store.office_id == office_id)))
    return next(str(n) for n in range(1, len(taken) + 2) if str(n) not in taken)


@dataclass
class _Writer:
    """Writes one office after another: its store and layout, then its files in chunks."""

    session: Session
    actor: Actor
    seed: int
    series: dict[str, tuple[int, str]]
    profiles: dict[str, tuple[int, int, float]]
    office_ids: dict[str, int]
    person_ids: list[int]
    employer_ids: list[int]
    ctx: Context
    now: datetime
    total: int
    progress: Progress | None
    done: int = 0
    stores: int = 0
    shelves: int = 0
    tiers: int = 0
    boxes: int = 0
    shelf_cm: float = 0.0

    def office(self, code: str, groups: list[tuple[Group, list[int]]]) -> None:
        """The office's store, shelves, tiers and boxes, then every file of its groups."""
        office_id = self.office_ids[code]
        store_code = _free_store_code(self.session, office_id)
        store = locations.create_store(
            self.session, self.actor, office_id=office_id, code=store_code, name=f"Kho {store_code}"
        )
        plans = [self._box_plan(code, group) for group, _ in groups]
        result = build_layout(
            self.session,
            office_code=code,
            office_id=office_id,
            store_id=store.id,
            plans=plans,
            now=self.now,
        )
        self.stores += 1
        self.shelves += result.shelves
        self.tiers += result.tiers
        self.boxes += len(result.box_ids)
        self.shelf_cm += result.used_cm
        start = 0
        for (group, persons), plan in zip(groups, plans, strict=True):
            box_ids = result.box_ids[start : start + len(plan.sizes)]
            start += len(plan.sizes)
            self._files(code, group, persons, plan.sizes, box_ids)

    def _box_plan(self, code: str, group: Group) -> BoxPlan:
        profile_id, capacity, width = self.profiles[tables.PROFILE_BY_KIND[group.kind]]
        rng = Random(f"demo:{self.seed}:boxes:{code}:{group.series}")
        sizes = catalogue.box_sizes(rng, group.count, capacity)
        return BoxPlan(self.series[group.series][0], profile_id, width, sizes)

    def _files(
        self, code: str, group: Group, persons: list[int], sizes: list[int], box_ids: list[int]
    ) -> None:
        rng = Random(f"demo:{self.seed}:files:{code}:{group.series}")
        drafts = catalogue.drafts(rng, group, persons, self.ctx)
        places = [
            (box_id, pos)
            for box_id, size in zip(box_ids, sizes, strict=True)
            for pos in range(1, size + 1)
        ]
        office_id, series_id = self.office_ids[code], self.series[group.series][0]
        passbook = group.kind == "passbook_review"
        for start in range(0, len(drafts), CHUNK):
            chunk = drafts[start : start + CHUNK]
            codes = barcodes.allocate(self.session, "file", code, len(chunk))
            rows = [
                self._row(d, office_id, series_id, places[start + i], codes[i], passbook)
                for i, d in enumerate(chunk)
            ]
            self.session.execute(insert(table_of(File)), rows)
            self.done += len(rows)
            if self.progress is not None:
                self.progress(self.done, self.total)

    def _row(
        self,
        d: Draft,
        office_id: int,
        series_id: int,
        place: tuple[int, int],
        barcode: str,
        passbook: bool,
    ) -> dict[str, Any]:
        person = None if d.person is None else self.ctx.people[d.person]
        return {
            "office_id": office_id,
            "series_id": series_id,
            "code": d.code,
            "title": d.title,
            "start_date": d.start,
            "end_date": d.end,
            "sheet_count": d.sheets,
            "notes": "",
            "status": "active",
            "box_id": place[0],
            "position": place[1],
            "barcode": barcode,
            "person_id": None if d.person is None else self.person_ids[d.person],
            "benefit_type": d.benefit_type,
            "passbook_number": person.ssn if passbook and person else None,
            "employer_id": None if d.employer is None else self.employer_ids[d.employer],
            "district_office_id": self.office_ids[person.home] if passbook and person else None,
            "handover_id": None,
            "created_at": self.now,
            "updated_at": self.now,
        }

    def summary(
        self, offices_: int, people: int, employers: int, groups: Sequence[Group]
    ) -> DemoSummary:
        def of_kind(kind: str) -> int:
            return sum(g.count for g in groups if g.kind == kind)

        return DemoSummary(
            seed=self.seed,
            offices=offices_,
            stores=self.stores,
            shelves=self.shelves,
            tiers=self.tiers,
            boxes=self.boxes,
            shelf_metres=round(self.shelf_cm / 100, 1),
            files=self.done,
            benefit_files=of_kind("benefit"),
            operational_files=of_kind("operational"),
            passbook_review_files=of_kind("passbook_review"),
            people=people,
            employers=employers,
        )
