"""Searching, in Debian's Chromium against a live server (issue 4, item 7): type `nguyen van` in
the one search box → narrow by office in the facet sidebar → open a page with the hit highlighted
on its image. The page is a real scan read by the real pipeline (render, tesseract), and the index
is rebuilt from the served database into the served data directory."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from archive.db import transaction
from archive.jobs import scan_tasks
from archive.models import Office
from archive.runtime import Runtime
from archive.services import files, scan_intake, scan_work
from archive.services.search_index import open_backend, reindex
from archive.settings import Settings
from scanners.storage import OriginalStore
from tests.browser.conftest import log_in
from tests.browser.server import serve
from tests.factories import ADMIN, series
from tests.scan_docs import image_pdf, text_png

pytestmark = pytest.mark.browser
DPI = 200
PEOPLE = (  # office, file code, name, social-insurance number
    ("00", "HS-2015-101", "Nguyễn Văn Hùng", "4803009911"),
    ("00", "HS-2016-102", "Nguyễn Văn Bình", "4803009912"),
    ("01", "DT-2015-201", "Nguyễn Văn Hải", "4803009913"),
)
LINES = ["Quyết định hưởng trợ cấp mai táng", "Ông Nguyễn Văn Hùng, mã số 4803009911"]


def _arrange(settings: Settings, folder: Path) -> None:
    """Files of three Nguyễn Văn in two offices; one scanned page for the first, read by the
    pipeline in this process; then the index built from the database."""
    runtime = Runtime(settings)
    try:
        with transaction(runtime.sessions) as session:
            office_ids = {o.code: o.id for o in session.scalars(select(Office))}
            file_ids = [
                files.create_file(
                    session,
                    ADMIN,
                    files.FileIn(
                        office_id=office_ids[office],
                        series_id=series(session, "HUONG_MOT_LAN").id,
                        code=code,
                        title=f"Hồ sơ hưởng trợ cấp mai táng — {name}",
                        end_date=date(2015, 12, 31),
                        ssn=ssn,
                        full_name=name,
                    ),
                ).id
                for office, code, name, ssn in PEOPLE
            ]
            scan = folder / "hung.pdf"
            scan.write_bytes(image_pdf([text_png(LINES, dpi=DPI, seed=4)]))
            batch = scan_intake.receive(
                session,
                ADMIN,
                office_id=office_ids["00"],
                documents=[scan_intake.Incoming(scan, scan.name)],
                store=OriginalStore(settings.originals_dir),
                target_file_id=file_ids[0],
            )
        with transaction(runtime.sessions) as session:
            waiting = scan_work.pending_pages(session, batch.id)
        assert [scan_tasks.run_page(runtime, page_id) for page_id in waiting] == ["done"]
        with transaction(runtime.sessions) as session:
            backend = open_backend(settings)
            try:
                reindex(session, backend)
            finally:
                backend.close()
    finally:
        runtime.dispose()


@pytest.fixture
def base_url(db_path: Path, tmp_path: Path) -> Iterator[str]:
    settings = Settings(
        env="test",
        data_dir=tmp_path / "data",
        database_url=f"sqlite:///{db_path}",
        scan_dpi=DPI,
    )
    _arrange(settings, tmp_path)
    with serve(db_path, settings.data_dir, settings=settings) as url:
        yield url


def test_type_a_name_narrow_by_office_and_open_the_page_with_the_hit_highlighted(
    page: Page,
) -> None:
    log_in(page, "admin")
    box = page.locator("#lookup-box")
    box.fill("nguyen van")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=nguyen\+van$"))
    hits = page.locator("#search-results .hit-item")
    expect(hits).to_have_count(3)
    expect(page.locator("#search-total strong")).to_have_text("3")

    offices = page.locator("#facet-office")
    expect(offices.locator("li .count")).to_have_text(["2", "1"])
    offices.get_by_role("link", name=re.compile(r"^00 ·")).click()
    expect(page).to_have_url(re.compile(r"office=00"))
    expect(hits).to_have_count(2)
    expect(page.locator("#search-results .hit-code")).to_contain_text(
        ["HS-2015-101", "HS-2016-102"], ignore_case=False
    )
    expect(page.locator("#facet-office li.active a")).to_have_attribute("data-value", "00")

    hung = hits.filter(has_text="HS-2015-101")
    expect(hung.locator(".snippet mark").first).to_be_visible()
    hung.locator(".snippet a.page-link").first.click()
    expect(page).to_have_url(re.compile(r"/pages/\d+\?q="))
    image = page.locator("#page-image")
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth") > 0
    marks = page.locator("#page-view mark.hit")
    expect(marks.first).to_be_visible()
    assert marks.count() >= 2  # at least "Nguyễn" and "Văn", boxed where tesseract read them
    found = {marks.nth(n).get_attribute("title") for n in range(marks.count())}
    assert {"Nguyễn", "Văn"} <= found
    first = marks.first.bounding_box()
    assert first is not None and first["width"] > 5 and first["height"] > 5
