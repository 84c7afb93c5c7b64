"""Files as lists show them, read in one statement: the file's own columns, its office, series,
person and employer, and where it stands (store, shelf, tier, box numbers). Plain columns, not ORM
entities: a list only displays, and building entities was most of a lookup's cost (issue 2)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, select

from archive.models import Box, Employer, File, Office, Person, Series, Shelf, Store, Tier
from archive.services.paths import LocationPath

FileRows = Select[*tuple[Any, ...]]

FILE_ROWS: FileRows = (
    select(
        File.id,
        File.code,
        File.title,
        File.barcode,
        File.status,
        File.office_id,
        File.position,
        Person.full_name,
        Person.ssn,
        Person.birth_date,
        Employer.code.label("employer_code"),
        Office.code.label("office_code"),
        Series.code.label("series_code"),
        Series.name.label("series_name"),
        Store.code.label("store_code"),
        Shelf.number.label("shelf_number"),
        Tier.number.label("tier_number"),
        Box.number.label("box_number"),
    )
    .join(Office, Office.id == File.office_id)
    .join(Series, Series.id == File.series_id)
    .outerjoin(Person, Person.id == File.person_id)
    .outerjoin(Employer, Employer.id == File.employer_id)
    .outerjoin(Box, Box.id == File.box_id)
    .outerjoin(Tier, Tier.id == Box.tier_id)
    .outerjoin(Shelf, Shelf.id == Tier.shelf_id)
    .outerjoin(Store, Store.id == Shelf.store_id)
)


def row_path(row: Row[*tuple[Any, ...]]) -> LocationPath:
    """Where the file of a FILE_ROWS row stands (only its office when it is not boxed)."""
    return LocationPath(
        office_code=row.office_code,
        store_code=row.store_code,
        shelf_number=row.shelf_number,
        tier_number=row.tier_number,
        box_number=row.box_number,
        position=row.position if row.box_number is not None else None,
    )
