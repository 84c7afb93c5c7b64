"""Pages: a file's pages in order, the unassigned tray, the review queue, and the archivist's
corrections (reorder, move, remove, text, accept, read again)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from archive.api.deps import CurrentActor, DbSession, get_runtime
from archive.api.schemas import ERRORS
from archive.api.uploads import page_enqueuer
from archive.services import page_review, pages, scan_exports
from archive.services.pages import FilePages, PageView
from scanners.storage import DerivedStore

router = APIRouter(tags=["pages"], responses=ERRORS)


class PageOut(BaseModel):
    id: int
    file_id: int | None
    position: int | None
    role: str
    status: str
    needs_review: bool
    confidence: float | None
    text_source: str | None
    error_code: str | None
    barcode: str | None
    batch_id: int
    office_id: int
    sha256: str
    source_index: int
    kind: str
    width: int | None
    height: int | None
    dpi: int | None
    processed_at: datetime | None
    image_url: str
    thumbnail_url: str


def page_out(view: PageView) -> PageOut:
    return PageOut(
        **vars(view),
        image_url=f"/api/v1/pages/{view.id}/image",
        thumbnail_url=f"/api/v1/pages/{view.id}/image?thumbnail=true",
    )


class FilePagesOut(BaseModel):
    """A file's pages in order; `sheets_match` compares content pages with the sheet count."""

    file_id: int
    file_code: str
    sheet_count: int
    content_pages: int
    blank_pages: int
    sheets_match: bool
    pages: list[PageOut]


def file_pages_out(listing: FilePages) -> FilePagesOut:
    return FilePagesOut(
        file_id=listing.file_id,
        file_code=listing.file_code,
        sheet_count=listing.sheet_count,
        content_pages=listing.content_pages,
        blank_pages=listing.blank_pages,
        sheets_match=listing.sheets_match,
        pages=[page_out(view) for view in listing.pages],
    )


class WordOut(BaseModel):
    left: int
    top: int
    width: int
    height: int
    text: str
    confidence: float
    line: int


class PageTextOut(BaseModel):
    page: PageOut
    file_code: str | None
    text: str
    words: list[WordOut]


class PageIdsIn(BaseModel):
    page_ids: list[int] = Field(min_length=1, max_length=5000)


class TextIn(BaseModel):
    text: str


class RemoveIn(BaseModel):
    reason: str = ""


@router.get("/files/{file_id}/pages")
def list_file_pages(file_id: int, session: DbSession, actor: CurrentActor) -> FilePagesOut:
    """The file's pages in order (cover sheets and removed pages left out)."""
    return file_pages_out(pages.file_pages(session, actor, file_id))


@router.put("/files/{file_id}/pages/order")
def reorder_pages(
    file_id: int, body: PageIdsIn, session: DbSession, actor: CurrentActor
) -> FilePagesOut:
    """Put the file's pages in this order (each of its pages exactly once)."""
    return file_pages_out(pages.reorder(session, actor, file_id=file_id, page_ids=body.page_ids))


@router.post("/files/{file_id}/pages")
def move_pages_here(
    file_id: int, body: PageIdsIn, session: DbSession, actor: CurrentActor
) -> FilePagesOut:
    """Move pages (from another file or the unassigned tray) to the end of this file."""
    return file_pages_out(pages.move(session, actor, page_ids=body.page_ids, to_file_id=file_id))


@router.get("/pages/{page_id}")
def get_page(page_id: int, session: DbSession, actor: CurrentActor) -> PageTextOut:
    """A page with its text and the word boxes (pixels of the page image) for highlighting."""
    found = pages.page_text(session, actor, page_id)
    return PageTextOut(
        page=page_out(found.view),
        file_code=found.file_code,
        text=found.text,
        words=[WordOut(**vars(word)) for word in found.words],
    )


@router.get("/pages/{page_id}/image", response_class=FileResponse)
def page_image(
    request: Request,
    page_id: int,
    session: DbSession,
    actor: CurrentActor,
    thumbnail: bool = Query(default=False),
) -> FileResponse:
    """The page image (JPEG, at most 1654 px wide; word boxes are in the pixels of the page as read, `width` × `height`: scale them), or its thumbnail."""
    derived = DerivedStore(get_runtime(request).settings.derived_dir)
    path = scan_exports.page_image(
        session, actor, page_id=page_id, derived=derived, thumbnail=thumbnail
    )
    return FileResponse(
        path, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"}
    )


@router.delete("/pages/{page_id}", status_code=204)
def remove_page(
    page_id: int, session: DbSession, actor: CurrentActor, body: RemoveIn | None = None
) -> None:
    """Take a page out of its file (the original is kept; the removal is audited)."""
    pages.remove(session, actor, page_id=page_id, reason=body.reason if body else "")


@router.put("/pages/{page_id}/text")
def correct_page_text(
    page_id: int, body: TextIn, session: DbSession, actor: CurrentActor
) -> PageTextOut:
    """Replace the page's text with a corrected reading; it leaves the review queue."""
    page_review.correct_text(session, actor, page_id=page_id, text=body.text)
    return get_page(page_id, session, actor)


@router.post("/pages/{page_id}/accept")
def accept_page(page_id: int, session: DbSession, actor: CurrentActor) -> PageTextOut:
    """Accept the page's text as read; it leaves the review queue."""
    page_review.accept(session, actor, page_id=page_id)
    return get_page(page_id, session, actor)


@router.post("/pages/{page_id}/ocr", status_code=202)
def rerun_ocr(request: Request, page_id: int, session: DbSession, actor: CurrentActor) -> PageOut:
    """Read the page again (queued); its text is replaced when the worker is done."""
    page_review.rerun(session, actor, page_id=page_id, queue=page_enqueuer(request))
    return page_out(pages.page_view(session, actor, page_id))


@router.get("/scan-tray")
def unassigned_tray(
    session: DbSession,
    actor: CurrentActor,
    office_id: int | None = None,
    limit: int = Query(500, ge=1, le=5000),
) -> list[PageOut]:
    """Pages no cover sheet placed, waiting to be moved to a file."""
    return [page_out(v) for v in pages.tray(session, actor, office_id=office_id, limit=limit)]


@router.get("/review-queue")
def review_queue(
    session: DbSession,
    actor: CurrentActor,
    office_id: int | None = None,
    limit: int = Query(200, ge=1, le=2000),
) -> list[PageOut]:
    """Pages read with low confidence, or not read at all: lowest confidence first."""
    return [
        page_out(v) for v in pages.review_queue(session, actor, office_id=office_id, limit=limit)
    ]
