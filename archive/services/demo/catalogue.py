"""What the demo province holds: how many files of each series in each office, who they concern,
and each file's code, title, dates and sheets. Pure functions of a `random.Random`."""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from random import Random
from typing import NamedTuple

from archive.services.demo import tables
from archive.services.demo.population import (
    DISTRICTS,
    EmployerSpec,
    PersonMaker,
    PersonSpec,
    Weighted,
)

PROVINCE = tables.PROVINCE_OFFICE[0]
OFFICE_CODES = [PROVINCE, *(code for code, _, _, _ in tables.DISTRICT_OFFICES)]
FIRST_YEAR, LAST_YEAR = 1995, 2024
LAST_DAY = date(LAST_YEAR, 12, 31)
# Share of passbook-review files that belong to someone who also has a benefit file.
PENSIONER_REVIEW_SHARE = 0.30
# Boxes are filled to 85–100 % of their capacity, as an archivist leaves some room.
BOX_FILL = 0.85
MONTHLY_BENEFITS = Weighted(tables.MONTHLY_BENEFITS)
ONE_TIME_BENEFITS = Weighted(tables.ONE_TIME_BENEFITS)


@dataclass(frozen=True, slots=True)
class Group:
    """All files of one series in one office: they share boxes and a code sequence."""

    office: str
    series: str
    kind: str
    count: int


class Draft(NamedTuple):
    """One file before it is placed: people and employers are indices into the demo's lists."""

    code: str
    title: str
    start: date
    end: date
    sheets: int
    benefit_type: str
    person: int | None
    employer: int | None


def split(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainder, ties to the first)."""
    scale = sum(weights)
    exact = [total * w / scale for w in weights]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - exact[i], i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan(files: int, series_kinds: dict[str, str]) -> list[Group]:
    """The non-empty groups, office by office: 40 % in the province, the rest by district size."""
    series = list(tables.SERIES_SHARES)
    per_series = split(files, [tables.SERIES_SHARES[s] for s in series])
    district_weights = [w for _, _, _, w in tables.DISTRICT_OFFICES]
    district_total = sum(district_weights)
    office_weights = [
        tables.PROVINCE_SHARE,
        *((1 - tables.PROVINCE_SHARE) * w / district_total for w in district_weights),
    ]
    counts = {s: split(n, office_weights) for s, n in zip(series, per_series, strict=True)}
    return [
        Group(office, s, series_kinds[s], counts[s][i])
        for i, office in enumerate(OFFICE_CODES)
        for s in series
        if counts[s][i] > 0
    ]


def cast(rng: Random, groups: Sequence[Group], maker: PersonMaker) -> list[list[int]]:
    """The people of each group's files (empty for operational groups), made with `maker`.

    Every benefit file has its own beneficiary; some passbook reviews are of the same people."""
    cast_list: list[list[int]] = [[] for _ in groups]
    unreviewed: dict[str, list[int]] = {}
    for i, group in enumerate(groups):
        role = {"HUONG_HANG_THANG": "monthly", "HUONG_MOT_LAN": "one_time"}.get(group.series)
        if role is not None:
            for _ in range(group.count):
                home = _home(rng, group.office)
                person = maker.make(role, home)
                cast_list[i].append(person)
                unreviewed.setdefault(home, []).append(person)
    for i, group in enumerate(groups):
        if group.kind != "passbook_review":
            continue
        for _ in range(group.count):
            home = _home(rng, group.office)
            pool = unreviewed.get(home)
            if pool and rng.random() < PENSIONER_REVIEW_SHARE:
                at = rng.randrange(len(pool))
                pool[at], pool[-1] = pool[-1], pool[at]
                cast_list[i].append(pool.pop())
            else:
                cast_list[i].append(maker.make("worker", home))
    return cast_list


def _home(rng: Random, office: str) -> str:
    return DISTRICTS.pick(rng) if office == PROVINCE else office


def box_sizes(rng: Random, count: int, capacity: int) -> list[int]:
    """How many files go in each box of a group: 85–100 % full, the last one what is left."""
    low = max(1, math.ceil(capacity * BOX_FILL))
    sizes: list[int] = []
    left = count
    while left > 0:
        size = min(left, rng.randint(low, capacity))
        sizes.append(size)
        left -= size
    return sizes


@dataclass(frozen=True)
class Context:
    """What a group's drafts draw on: its people, the province's employers and their weights."""

    people: Sequence[PersonSpec]
    employers: Sequence[EmployerSpec]
    employers_by_home: dict[str, Weighted[int]]
    all_employers: Weighted[int]

    @classmethod
    def build(cls, people: Sequence[PersonSpec], employers: Sequence[EmployerSpec]) -> Context:
        """Index the employers by district once, for every group."""
        by_home: dict[str, list[tuple[int, float]]] = {}
        for i, employer in enumerate(employers):
            by_home.setdefault(employer.home, []).append((i, employer.size))
        return cls(
            people=people,
            employers=employers,
            employers_by_home={home: Weighted(items) for home, items in by_home.items()},
            all_employers=Weighted([(i, e.size) for i, e in enumerate(employers)]),
        )

    def employer(self, rng: Random, home: str) -> int:
        """An employer of district `home` (bigger ones more often), else of the province."""
        return self.employers_by_home.get(home, self.all_employers).pick(rng)


class Partial(NamedTuple):
    """A draft before it has its place in the group's order, hence its code and sheets."""

    title: str
    start: date
    end: date
    benefit_type: str
    person: int | None
    employer: int | None


def drafts(rng: Random, group: Group, persons: Sequence[int], ctx: Context) -> list[Draft]:
    """The group's files in shelf order (by start date), coded `HT-2015-000123` per year."""
    make = _MAKERS[group.series]
    home = group.office
    partials = [make(rng, ctx, persons[i] if persons else None, home) for i in range(group.count)]
    partials.sort(key=lambda p: p.start)
    prefix, low, high = tables.SERIES_CODES[group.series]
    mode = low + (high - low) / 4
    per_year: dict[int, int] = {}
    out: list[Draft] = []
    for p in partials:
        seq = per_year[p.start.year] = per_year.get(p.start.year, 0) + 1
        sheets = round(rng.triangular(low, high, mode))
        out.append(
            Draft(
                f"{prefix}-{p.start.year}-{seq:06d}",
                p.title,
                p.start,
                p.end,
                sheets,
                p.benefit_type,
                p.person,
                p.employer,
            )
        )
    return out


def _day_in(rng: Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randrange(365))


def _clamp_year(year: int) -> int:
    return min(LAST_YEAR, max(FIRST_YEAR, year))


def _after(rng: Random, start: date, low: int, high: int) -> date:
    return min(LAST_DAY, start + timedelta(days=rng.randint(low, high)))


def _month(rng: Random, first_year: int) -> tuple[date, date, str]:
    year, month = rng.randint(first_year, LAST_YEAR), rng.randint(1, 12)
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last), f"{month:02d}/{year}"


def _monthly_benefit(rng: Random, ctx: Context, person: int | None, home: str) -> Partial:
    assert person is not None
    who = ctx.people[person]
    benefit, phrase = MONTHLY_BENEFITS.pick(rng)
    if benefit == "Hưu trí":
        year = _clamp_year(who.birth_date.year + (55 if who.female else 60) + rng.randint(-3, 3))
    else:
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
    start = _day_in(rng, year)
    return Partial(
        f"{phrase} – {who.full_name}", start, _after(rng, start, 10, 60), benefit, person, None
    )


def _one_time_benefit(rng: Random, ctx: Context, person: int | None, home: str) -> Partial:
    assert person is not None
    who = ctx.people[person]
    benefit, phrase = ONE_TIME_BENEFITS.pick(rng)
    born = who.birth_date.year
    year = rng.randint(_clamp_year(born + 22), _clamp_year(born + 55))
    start = _day_in(rng, year)
    return Partial(
        f"{phrase} – {who.full_name}", start, _after(rng, start, 5, 40), benefit, person, None
    )


def _passbook_review(rng: Random, ctx: Context, person: int | None, home: str) -> Partial:
    # Reviews follow letter 4027/BHXH-ST (late 2016) and ran for several years.
    assert person is not None
    who = ctx.people[person]
    employer = ctx.employer(rng, who.home)
    start = _day_in(rng, rng.randint(2017, 2021))
    title = (
        f"Hồ sơ rà soát sổ BHXH số {who.ssn} – {who.full_name}, "
        f"đơn vị {ctx.employers[employer].code}"
    )
    return Partial(title, start, _after(rng, start, 10, 180), "", person, employer)


def _sickness(rng: Random, ctx: Context, person: int | None, home: str) -> Partial:
    start, end, month = _month(rng, 1996)
    subject = rng.choice(tables.SICKNESS_SUBJECTS)
    return Partial(
        f"Danh sách giải quyết chế độ {subject} tháng {month}",
        start,
        _after(rng, end, 0, 20),
        "",
        None,
        None,
    )


def _collection(rng: Random, ctx: Context, person: int | None, home: str) -> Partial:
    employer = ctx.employer(rng, DISTRICTS.pick(rng) if home == PROVINCE else home)
    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    who = ctx.employers[employer]
    return Partial(
        f"Hồ sơ thu BHXH đơn vị {who.code} năm {year} ({who.name})",
        date(year, 1, 1),
        date(year, 12, 31),
        "",
        None,
        employer,
    )


def _health_cards(rng: Random, ctx: Context, person: int | None, home: str) -> Partial:
    start, end, month = _month(rng, 2003)
    subject = rng.choice(tables.HEALTH_CARD_SUBJECTS)
    return Partial(
        f"Danh sách cấp thẻ BHYT cho {subject} tháng {month}", start, end, "", None, None
    )


def _vouchers(rng: Random, ctx: Context, person: int | None, home: str) -> Partial:
    start, end, month = _month(rng, FIRST_YEAR)
    subject = rng.choice(tables.VOUCHER_SUBJECTS)
    return Partial(f"Chứng từ kế toán {subject} tháng {month}", start, end, "", None, None)


def _yearly(titles: Sequence[str], first_year: int) -> Callable[..., Partial]:
    def make(rng: Random, ctx: Context, person: int | None, home: str) -> Partial:
        year = rng.randint(first_year, LAST_YEAR)
        title = rng.choice(titles).format(year=year)
        if len(titles) > 1:
            title = f"{title} (tập {rng.randint(1, 6)})"
        return Partial(title, _day_in(rng, year), date(year, 12, 31), "", None, None)

    return make


_MAKERS: dict[str, Callable[[Random, Context, int | None, str], Partial]] = {
    "HUONG_HANG_THANG": _monthly_benefit,
    "HUONG_MOT_LAN": _one_time_benefit,
    "RA_SOAT_SO": _passbook_review,
    "OM_DAU_THAI_SAN": _sickness,
    "THU": _collection,
    "CAP_THE": _health_cards,
    "KE_TOAN": _vouchers,
    "HANH_CHINH": _yearly(tables.GENERAL_TITLES, FIRST_YEAR),
    "SO_KHAI_THAC": _yearly(tables.REGISTER_TITLES, 2000),
    "HUY_TAI_LIEU": _yearly([tables.DESTRUCTION_TITLE], 2005),
}
