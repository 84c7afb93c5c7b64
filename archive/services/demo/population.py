"""Demo people and employers: Vietnamese names, 10-digit numbers, citizen IDs, unit codes.

Pure functions of a `random.Random`; nothing here touches the database."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from random import Random
from typing import Generic, TypeVar

from archive.services.demo import tables

# Numbers are "PP YY NNNNNN" (seeds-digest §2.1): issuing province, year of first issue, serial.
HOME_PROVINCE = "48"
OTHER_PROVINCES = ["01", "79", "80", "82", "83", "86", "87", "89", "94", "95"]
# CCCD: province of birth (3 digits), century-and-sex digit, birth year (2 digits), serial.
HOME_BIRTH_PROVINCE = "080"
OTHER_BIRTH_PROVINCES = ["001", "079", "083", "086", "087", "089", "094", "095", "036"]
CITIZEN_ID_SHARE = 0.30
# Old records often know only the year of birth, written 01/01/yyyy: one source of people who
# share a name and a birth date. Namesakes (a new number, same name and birth date) are another.
YEAR_ONLY_SHARE = 0.12
NAMESAKE_SHARE = 0.02
# Birth years by role: monthly beneficiaries are mostly pensioners; the others are younger.
BIRTH_YEARS = {"monthly": (1935, 1966), "one_time": (1958, 1998), "worker": (1955, 2004)}


@dataclass(frozen=True, slots=True)
class PersonSpec:
    ssn: str
    full_name: str
    birth_date: date
    citizen_id: str | None
    home: str  # district office code
    female: bool


@dataclass(frozen=True, slots=True)
class EmployerSpec:
    code: str
    name: str
    home: str  # district office code
    size: float  # relative number of workers


T = TypeVar("T")


class Weighted(Generic[T]):
    """A weighted choice with precomputed cumulative weights (random.choices would redo them)."""

    def __init__(self, items: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _ in items]
        self.cum = list(itertools.accumulate(weight for _, weight in items))

    def pick(self, rng: Random) -> T:
        return rng.choices(self.values, cum_weights=self.cum)[0]


def _by_rank(names: list[str]) -> Weighted[str]:
    """Given names fall off with rank, so a few are very common (Hùng, Lan, Hương …)."""
    return Weighted([(name, 1 / (rank + 3)) for rank, name in enumerate(names)])


SURNAMES = Weighted(tables.SURNAMES)
MIDDLE = {False: Weighted(tables.MALE_MIDDLE), True: Weighted(tables.FEMALE_MIDDLE)}
GIVEN = {False: _by_rank(tables.MALE_GIVEN), True: _by_rank(tables.FEMALE_GIVEN)}
DISTRICTS = Weighted([(code, weight) for code, _, _, weight in tables.DISTRICT_OFFICES])


@dataclass
class PersonMaker:
    """Makes people with unique numbers; names and dates are interned to keep a million cheap."""

    rng: Random
    taken_ssns: set[str] = field(default_factory=set)
    taken_citizen_ids: set[str] = field(default_factory=set)
    made: list[PersonSpec] = field(default_factory=list)
    _interned: dict[object, object] = field(default_factory=dict)

    def make(self, role: str, home: str) -> int:
        """A new person of `role` living in district `home`; returns their index in `made`."""
        rng = self.rng
        if self.made and rng.random() < NAMESAKE_SHARE:
            twin = self.made[rng.randrange(len(self.made))]
            female, name, born = twin.female, twin.full_name, twin.birth_date
        else:
            female = rng.random() < 0.5
            name = self._intern(
                f"{SURNAMES.pick(rng)} {MIDDLE[female].pick(rng)} {GIVEN[female].pick(rng)}"
            )
            born = self._birth_date(role)
        cid = self._citizen_id(born, female) if rng.random() < CITIZEN_ID_SHARE else None
        person = PersonSpec(self._ssn(born), name, born, cid, home, female)
        self.made.append(person)
        return len(self.made) - 1

    def _intern(self, value: T) -> T:
        return self._interned.setdefault(value, value)  # type: ignore[return-value]

    def _birth_date(self, role: str) -> date:
        low, high = BIRTH_YEARS[role]
        year = self.rng.randint(low, high)
        if year < 1975 and self.rng.random() < YEAR_ONLY_SHARE:
            return self._intern(date(year, 1, 1))
        return self._intern(date(year, 1, 1) + timedelta(days=self.rng.randrange(365)))

    def _ssn(self, born: date) -> str:
        rng = self.rng
        first_issue = min(2024, max(1995, born.year + rng.randint(18, 28)))
        while True:
            province = HOME_PROVINCE if rng.random() < 0.9 else rng.choice(OTHER_PROVINCES)
            ssn = f"{province}{first_issue % 100:02d}{rng.randrange(1_000_000):06d}"
            if ssn not in self.taken_ssns:
                self.taken_ssns.add(ssn)
                return ssn

    def _citizen_id(self, born: date, female: bool) -> str:
        rng = self.rng
        century_sex = (0 if born.year < 2000 else 2) + female
        while True:
            province = (
                HOME_BIRTH_PROVINCE if rng.random() < 0.85 else rng.choice(OTHER_BIRTH_PROVINCES)
            )
            cid = f"{province}{century_sex}{born.year % 100:02d}{rng.randrange(1_000_000):06d}"
            if cid not in self.taken_citizen_ids:
                self.taken_citizen_ids.add(cid)
                return cid


def employer_count(files: int) -> int:
    """A few hundred employers for a large province, a few dozen for a small demo."""
    return min(600, max(30, files // 1500))


def make_employers(rng: Random, count: int, taken: set[str]) -> list[EmployerSpec]:
    """`count` employers with unique classic unit codes (`YN0405Z`) and Vietnamese names."""
    blocks = Weighted(
        [((prefix, shapes), weight) for prefix, weight, shapes in tables.EMPLOYER_BLOCKS]
    )
    names: set[str] = set()
    out: list[EmployerSpec] = []
    while len(out) < count:
        prefix, shapes = blocks.pick(rng)
        code = f"{prefix}{rng.randint(1, 999):04d}Z"
        if code in taken:
            continue
        taken.add(code)
        home = DISTRICTS.pick(rng)
        name = _employer_name(rng, rng.choice(shapes))
        if name in names:
            name = f"{name} - Chi nhánh {_district_name(home)}"
        names.add(name)
        out.append(EmployerSpec(code, name, home, rng.paretovariate(1.2)))
    return out


def _employer_name(rng: Random, shape: str) -> str:
    return shape.format(
        foreign=rng.choice(tables.FOREIGN_BRANDS),
        trade=rng.choice(tables.TRADES),
        brand=rng.choice(tables.BRANDS),
        place=rng.choice(tables.COMMUNES),
    )


def _district_name(code: str) -> str:
    return next(short for c, _, short, _ in tables.DISTRICT_OFFICES if c == code)
