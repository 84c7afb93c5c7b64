"""What scanning gives back on paper and as files: cover sheets to print before scanning, and a
file's scans as one searchable two-layer PDF built from the stored originals."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Invalid, NotFound
from archive.models import File, Office, Page, Series
from archive.permissions import Actor, Perm, require
from archive.printing.cover_sheet import CoverSheet, cover_sheets_pdf
from archive.services.files import files_in_box, path_of
from archive.services.pages import file_pages, page_view
from scanners.intake_checks import ScanKind
from scanners.pipeline import thumbnail_variant, view_variant
from scanners.searchable_pdf import SourcePage, write_searchable_pdf
from scanners.storage import DerivedMissing, DerivedStore, OriginalStore
from scanners.words import words_from_json

MAX_COVER_SHEETS = 1000


def _dates(start: date | None, end: date | None) -> str:
    def fmt(value: date | None) -> str:
        return value.strftime("%d/%m/%Y") if value else "…"

    if start is None and end is None:
        return ""
    return fmt(start) if start == end else f"{fmt(start)} – {fmt(end)}"


def cover_sheets(session: Session, actor: Actor, *, file_ids: Sequence[int]) -> bytes:
    """The cover sheets of these files, in the order given, as one A4 PDF."""
    require(actor, Perm.REGISTER_READ)
    if not file_ids:
        raise Invalid("scan.no_files")
    if len(file_ids) > MAX_COVER_SHEETS:
        raise Invalid("scan.too_many_cover_sheets", limit=MAX_COVER_SHEETS)
    rows = session.execute(
        select(File, Office.name, Series.name)
        .join(Office, Office.id == File.office_id)
        .join(Series, Series.id == File.series_id)
        .where(File.id.in_(file_ids))
    ).all()
    by_id = {
        file.id: (file, office, series)
        for file, office, series in rows
        if actor.sees_office(file.office_id)
    }
    sheets = []
    for file_id in file_ids:
        if file_id not in by_id:
            raise NotFound("file.not_found", file_id=file_id)
        file, office, series = by_id[file_id]
        sheets.append(_sheet(session, file, office, series))
    return cover_sheets_pdf(sheets)


def _sheet(session: Session, file: File, office_name: str, series_name: str) -> CoverSheet:
    return CoverSheet(
        barcode=file.barcode,
        file_code=file.code,
        title=file.title,
        office_name=office_name,
        location=" › ".join(path_of(session, file).parts("vi")),
        series_name=series_name,
        dates=_dates(file.start_date, file.end_date),
        sheet_count=file.sheet_count,
    )


def sheet_of(session: Session, file: File) -> CoverSheet:
    """The cover sheet of one file (the caller has checked the actor may see it)."""
    office = session.scalar(select(Office.name).where(Office.id == file.office_id)) or ""
    series = session.scalar(select(Series.name).where(Series.id == file.series_id)) or ""
    return _sheet(session, file, office, series)


def box_cover_sheets(session: Session, actor: Actor, *, box_id: int) -> bytes:
    """Cover sheets of every file in a box, in shelf order (print, then scan the whole box)."""
    files = files_in_box(session, actor, box_id)
    if not files:
        raise Invalid("scan.box_empty", box_id=box_id)
    return cover_sheets(session, actor, file_ids=[file.id for file in files])


def file_scans_pdf(
    session: Session, actor: Actor, *, file_id: int, originals: OriginalStore, out: BinaryIO
) -> str:
    """Write the file's pages, in order, as a searchable PDF to `out`; returns the file code."""
    listing = file_pages(session, actor, file_id)
    views = [page for page in listing.pages if page.status in ("done", "failed")]
    if not views:
        raise Invalid("scan.file_has_no_pages", file_code=listing.file_code)
    words = dict(
        session.execute(select(Page.id, Page.words).where(Page.id.in_([v.id for v in views]))).all()
    )
    sources = [
        SourcePage(
            original=originals.path_of(view.sha256),
            kind=ScanKind(view.kind),
            index=view.source_index,
            dpi=view.dpi or 300,
            image_width=view.width or 0,
            image_height=view.height or 0,
            words=words_from_json(json.loads(words.get(view.id) or "[]")),
            has_text_layer=view.text_source == "pdf",
        )
        for view in views
    ]
    title = session.scalar(select(File.title).where(File.id == file_id)) or listing.file_code
    write_searchable_pdf(sources, out, title=f"{listing.file_code} — {title}", author=actor.label)
    return listing.file_code


def page_image(
    session: Session, actor: Actor, *, page_id: int, derived: DerivedStore, thumbnail: bool
) -> Path:
    """The page's display image (or thumbnail) on disk, for a reader allowed to see it."""
    view = page_view(session, actor, page_id)
    variant = thumbnail_variant(view.source_index) if thumbnail else view_variant(view.source_index)
    if not derived.exists(view.sha256, variant):
        raise DerivedMissing("scan.derived_missing", sha256=view.sha256, variant=variant)
    return derived.path_of(view.sha256, variant)
