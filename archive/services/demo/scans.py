"""Demo scans: a few files of the demo province scanned as an archivist would (our cover sheet,
printed and rasterised, then degraded Vietnamese pages), taken in as one batch for the worker.

The run command's demo then shows pages, cover-sheet assignment and OCR text straight away."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import File, ScanBatch
from archive.permissions import Actor
from archive.printing.cover_sheet import CoverSheet, cover_sheets_pdf
from archive.services import scan_intake
from archive.services.scan_exports import sheet_of
from archive.services.scan_intake import PageQueue
from scanners.intake_checks import ScanKind
from scanners.pages import render_page
from scanners.specimens import make_page
from scanners.storage import OriginalStore

DPI = 200


def _cover(sheet: CoverSheet) -> Image.Image:
    with tempfile.TemporaryDirectory(prefix="archive-demo-") as folder:
        path = Path(folder) / "cover.pdf"
        path.write_bytes(cover_sheets_pdf([sheet]))
        return render_page(path, ScanKind.PDF, 0, dpi=DPI).image.rotate(
            0.6, fillcolor=255, resample=Image.Resampling.BILINEAR
        )


def scanned_pdf(sheets: list[CoverSheet], *, pages_per_file: int, seed: int) -> bytes:
    """An image-only PDF: each file's cover sheet followed by its pages, as a scanner writes."""
    out = io.BytesIO()
    pdf = Canvas(out)
    number = 0
    for sheet in sheets:
        images = [_cover(sheet)]
        for _ in range(pages_per_file):
            number += 1
            page = make_page(seed + number, dpi=DPI, kind="table" if number % 3 == 0 else "text")
            images.append(Image.open(io.BytesIO(page.png)))
        for image in images:
            size = (image.width * 72 / DPI, image.height * 72 / DPI)
            pdf.setPageSize(size)
            pdf.drawImage(ImageReader(image), 0, 0, *size)
            pdf.showPage()
    pdf.save()
    return out.getvalue()


def take_in_demo_scans(
    session: Session,
    actor: Actor,
    *,
    store: OriginalStore,
    queue: PageQueue | None,
    files: int = 3,
    pages_per_file: int = 2,
    seed: int = 2019,
) -> ScanBatch | None:
    """Scan the first `files` boxed files of the provincial office; None when there are none."""
    chosen = list(
        session.scalars(select(File).where(File.box_id.is_not(None)).order_by(File.id).limit(files))
    )
    if not chosen:
        return None
    sheets = [sheet_of(session, file) for file in chosen]
    with tempfile.TemporaryDirectory(prefix="archive-demo-") as folder:
        path = Path(folder) / "demo-scan.pdf"
        path.write_bytes(scanned_pdf(sheets, pages_per_file=pages_per_file, seed=seed))
        return scan_intake.receive(
            session,
            actor,
            office_id=chosen[0].office_id,
            documents=[scan_intake.Incoming(path, "ban-quet-mau.pdf")],
            store=store,
            source="cli",
            queue=queue,
        )
