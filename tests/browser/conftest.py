"""Playwright journeys: Debian's Chromium (never a downloaded browser) against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.archive.web.seed import PASSWORD, Seeded
from tests.browser.server import CHROMIUM, CHROMIUM_ARGS, copy_database, seeded_database, serve


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Seeded]:
    path = tmp_path_factory.mktemp("browser-template") / "archive.sqlite3"
    return path, seeded_database(path)


@pytest.fixture
def db_path(seeded_template: tuple[Path, Seeded], tmp_path: Path) -> Path:
    return copy_database(seeded_template[0], tmp_path / "archive.sqlite3")


@pytest.fixture
def seeded(seeded_template: tuple[Path, Seeded]) -> Seeded:
    return seeded_template[1]


@pytest.fixture
def base_url(db_path: Path, tmp_path: Path) -> Iterator[str]:
    with serve(db_path, tmp_path / "data") as url:
        yield url


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    context = browser.new_context(
        base_url=base_url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(5000)
    tab = context.new_page()
    yield tab
    context.close()


def log_in(page: Page, username: str = "lan.nt", password: str = PASSWORD) -> None:
    """Through the login form, as a person would."""
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/login" not in url)
