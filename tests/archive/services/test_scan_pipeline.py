"""Scanned documents end to end on real parts: intake, cover sheets printed by our code and read
back by zxing, OCR by tesseract, assignment to files, the tray, idempotence, the search index."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.models import AuditEvent, Page, ScanSource
from archive.services import search_outbox
from archive.services.demo.scans import take_in_demo_scans
from archive.services.search import search
from archive.services.search_index import open_backend
from indexes.query import parse
from tests.apps import seeded
from tests.factories import ADMIN, archivist
from tests.scan_docs import cover_png, image_pdf, page_lines, text_png
from tests.scan_world import ScanWorld, build_scan_world


@pytest.fixture
def world(factory: sessionmaker[Session], tmp_path: Path) -> ScanWorld:
    return build_scan_world(factory, tmp_path)


def content(number: int) -> bytes:
    return text_png(page_lines(number), seed=number)


def test_cover_sheets_start_files_and_pages_follow_in_order(world: ScanWorld) -> None:
    pdf = image_pdf(
        [
            cover_png(world.barcode("HS-A")),
            content(1),
            content(2),
            cover_png(world.barcode("HS-B")),
            content(3),
        ]
    )
    batch_id = world.take_in("hop-1.pdf", pdf)
    assert world.run_pages(batch_id) == ["done"] * 5
    batch = world.batch(batch_id)
    assert (batch.status, batch.pages_total, batch.pages_new) == ("done", 5, 5)
    a, b = world.pages_of("HS-A"), world.pages_of("HS-B")
    assert [p.position for p in a] == [1, 2] and [p.position for p in b] == [1]
    assert "Trang số 1" in a[0].text and "Trang số 2" in a[1].text and "Trang số 3" in b[0].text
    assert all(p.text_source == "ocr" and (p.confidence or 0) > 70 for p in a + b)
    assert "Nguyễn Thị Mai Lan" in a[0].text  # diacritics read exactly (line 2 of page 1)
    with seeded(world.factory) as session:
        covers = session.scalars(select(Page).where(Page.role == "cover")).all()
        assert {c.barcode for c in covers} == {world.barcode("HS-A"), world.barcode("HS-B")}
        assert all(c.position is None for c in covers)  # never content of the file
        tray = session.scalar(select(func.count()).where(Page.file_id.is_(None)))
        assert tray == 0
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
        assert actions[-2:] == ["scan.batch_received", "scan.batch_completed"]


def test_the_same_document_again_adds_nothing(world: ScanWorld) -> None:
    pdf = image_pdf([cover_png(world.barcode("HS-C")), content(4)])
    first = world.take_in("a.pdf", pdf)
    world.run_pages(first)
    again = world.take_in("a-copy.pdf", pdf)
    batch = world.batch(again)
    assert (batch.status, batch.pages_new, batch.pages_known) == ("done", 0, 2)
    assert world.run_pages(again) == []
    assert len(world.pages_of("HS-C")) == 1
    with seeded(world.factory) as session:
        assert session.scalar(select(func.count(Page.id))) == 2
        # Both intakes are on record, pointing at one stored original.
        shas = session.scalars(select(ScanSource.sha256)).all()
        assert len(shas) == 2 and len(set(shas)) == 1
    assert sum(1 for _ in world.store.iter_files()) == 1


def test_pages_before_a_cover_or_after_an_unknown_barcode_wait_in_the_tray(
    world: ScanWorld,
) -> None:
    unknown = "F0099999999"
    pdf = image_pdf(
        [content(5), cover_png(world.barcode("HS-A")), content(6), cover_png(unknown), content(7)]
    )
    batch_id = world.take_in("lan-xon.pdf", pdf)
    world.run_pages(batch_id)
    assert len(world.pages_of("HS-A")) == 1
    with seeded(world.factory) as session:
        tray = session.scalars(
            select(Page.text)
            .where(Page.file_id.is_(None), Page.role == "content")
            .order_by(Page.batch_seq)
        ).all()
        assert ["Trang số 5" in text for text in tray] == [True, False]
        assert "Trang số 7" in tray[1]
        unknown_cover = session.scalars(select(Page).where(Page.barcode == unknown)).one()
        assert (unknown_cover.role, unknown_cover.file_id) == ("cover", None)


def test_a_target_file_takes_pages_until_a_cover_says_otherwise(world: ScanWorld) -> None:
    pdf = image_pdf([content(8), cover_png(world.barcode("HS-B")), content(9)])
    batch_id = world.take_in("x.pdf", pdf, target_file_id=world.files["HS-A"].id)
    world.run_pages(batch_id)
    assert [("Trang số 8" in p.text) for p in world.pages_of("HS-A")] == [True]
    assert [("Trang số 9" in p.text) for p in world.pages_of("HS-B")] == [True]


def test_scanned_text_is_searchable_after_the_index_writer_runs(world: ScanWorld) -> None:
    pdf = image_pdf([cover_png(world.barcode("HS-C")), content(10)])
    world.run_pages(world.take_in("c.pdf", pdf))
    backend = open_backend(world.runtime.settings)
    try:
        written = search_outbox.drain(world.factory, backend)
        assert written >= 1
        found = backend.search(parse("trang so 10"), None)
    finally:
        backend.close()
    assert [hit.file_id for hit in found.hits] == [world.files["HS-C"].id]
    with seeded(world.factory) as session:
        assert search_outbox.pending(session) == 0
        backend = open_backend(world.runtime.settings)
        try:
            (shown,) = search(session, ADMIN, backend, parse("trang so 10")).hits
            inspector = archivist(world.office_id, roles=frozenset({"inspector"}))
            (hidden,) = search(session, inspector, backend, parse("trang so 10")).hits
        finally:
            backend.close()
    # Page text is personal data: the snippet only for those entitled to it.
    assert shown.pages and "10" in shown.pages[0].snippet.text
    assert hidden.file_id == shown.file_id and hidden.pages == ()


def test_demo_scans_land_on_their_files_through_the_real_pipeline(world: ScanWorld) -> None:
    with seeded(world.factory) as session:
        batch = take_in_demo_scans(
            session, ADMIN, store=world.store, queue=None, files=2, pages_per_file=1, seed=5
        )
        assert batch is not None
        batch_id = batch.id
    assert world.run_pages(batch_id) == ["done"] * 4
    first, second = world.pages_of("HS-A"), world.pages_of("HS-B")
    assert len(first) == len(second) == 1
    assert all(page.text_source == "ocr" and len(page.text) > 200 for page in first + second)
    assert world.batch(batch_id).status == "done"
