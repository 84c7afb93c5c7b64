"""What is indexed for one file: its metadata and every page's text (issue 4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class FileDoc:
    """One archive file as the index sees it; built from the database, never edited in place."""

    file_id: int
    office_code: str
    series_code: str
    year: int | None
    status: str
    code: str
    title: str
    box_number: str | None = None
    has_scans: bool = False
    person_name: str = ""
    ssn: str | None = None
    citizen_id: str | None = None
    employer_code: str | None = None
    birth_date: date | None = None
    pages: tuple[tuple[int, str], ...] = ()

    def metadata_values(self) -> list[str]:
        """The searchable metadata, one value per field: code, title, person, numbers, birth date."""
        parts = [self.code, self.title, self.person_name, self.ssn, self.citizen_id]
        parts.append(self.employer_code)
        if self.birth_date is not None:
            parts.append(self.birth_date.strftime("%d/%m/%Y"))
        return [part for part in parts if part]
