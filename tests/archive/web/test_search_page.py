"""The search page through the real app on a real tantivy index: results with highlighted
snippets linking to the page image, facets that narrow, office scope, near matches, the top-bar
box, and saved searches that are each user's own and audited (issue 4, item 7)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from archive.models import AuditEvent, File, Page, SavedSearch
from archive.services import files, scan_intake
from archive.services.search_index import open_backend, reindex
from archive.settings import Settings
from scanners.storage import OriginalStore
from scanners.words import Word, words_to_json
from tests.apps import seeded as committed
from tests.archive.web.conftest import csrf_of, soup
from tests.archive.web.seed import Seeded
from tests.factories import ADMIN, series, write_png

PAGE_TEXT = "Quyết định hưởng trợ cấp mai táng\nÔng Nguyễn Văn Hùng, mã số 4803009911"
Client = Callable[[str], TestClient]


def _file(session: Session, office_id: int, code: str, name: str, year: int) -> int:
    ssn = f"48030100{session.scalar(select(func.count(File.id))):02d}"
    data = files.FileIn(
        office_id=office_id,
        series_id=series(session, "HUONG_MOT_LAN").id,
        code=code,
        title=f"Hồ sơ hưởng trợ cấp mai táng — {name}",
        end_date=date(year, 6, 30),
        full_name=name,
        ssn=ssn,
    )
    return files.create_file(session, ADMIN, data).id


def _scanned_page(session: Session, tmp: Path, office_id: int, file_id: int) -> int:
    """A content page of the file with its text and word boxes, as OCR leaves it."""
    batch = scan_intake.receive(
        session,
        ADMIN,
        office_id=office_id,
        documents=[scan_intake.Incoming(write_png(tmp / "p.png", 600, 400), "p.png")],
        store=OriginalStore(tmp / "originals"),
    )
    page = session.scalars(select(Page).where(Page.batch_id == batch.id)).one()
    words = [
        Word(40, 20, 60, 12, "Quyết", 95.0, 0),
        Word(40, 60, 50, 12, "Ông", 95.0, 1),
        Word(95, 60, 70, 12, "Nguyễn", 95.0, 1),
        Word(170, 60, 40, 12, "Văn", 95.0, 1),
        Word(215, 60, 50, 12, "Hùng,", 95.0, 1),
    ]
    page.file_id, page.position, page.role, page.status = file_id, 1, "content", "done"
    page.text, page.words = PAGE_TEXT, json.dumps(words_to_json(words))
    page.width, page.height = 600, 400
    session.flush()
    return page.id


@pytest.fixture
def world(
    factory: sessionmaker[Session], settings: Settings, seeded: Seeded, tmp_path: Path
) -> dict[str, int]:
    """Three Nguyễn Văn files in office 00 (one with a scanned page), two in office 01; indexed."""
    with committed(factory) as session:
        ids = {
            "HS-NV-1": _file(session, seeded.office_id, "HS-NV-1", "Nguyễn Văn Hùng", 2015),
            "HS-NV-2": _file(session, seeded.office_id, "HS-NV-2", "Nguyễn Văn Bình", 2016),
            "HS-NV-3": _file(session, seeded.office_id, "HS-NV-3", "Nguyễn Văn Tư", 2016),
            "DT-NV-1": _file(session, seeded.other_office_id, "DT-NV-1", "Nguyễn Văn Hải", 2015),
            "DT-NV-2": _file(session, seeded.other_office_id, "DT-NV-2", "Nguyễn Văn Sơn", 2017),
        }
        ids["page"] = _scanned_page(session, tmp_path, seeded.office_id, ids["HS-NV-1"])
        backend = open_backend(settings)
        try:
            reindex(session, backend)
        finally:
            backend.close()
    return ids


def _codes(html: str) -> list[str]:
    return [a.get_text(strip=True) for a in soup(html).select("#search-results .hit-code")]


def _facet(html: str, facet: str) -> dict[str, tuple[int, str]]:
    """Facet value -> (count, link)."""
    out = {}
    for li in soup(html).select(f"#facet-{facet} li"):
        link = li.select_one("a")
        assert link is not None
        count = li.select_one(".count")
        assert count is not None
        out[str(link["data-value"])] = (int(count.get_text().replace(".", "")), str(link["href"]))
    return out


def test_results_show_files_snippets_and_page_links_in_vietnamese(
    client_as: Client, world: dict[str, int]
) -> None:
    client = client_as("admin")
    response = client.get("/search", params={"q": "nguyen van hung"})
    assert response.status_code == 200
    page = soup(response.text)
    assert page.select_one("h1").get_text().startswith("Tìm kiếm")  # type: ignore[union-attr]
    assert _codes(response.text)[0] == "HS-NV-1"
    first = page.select_one("#search-results .hit-item")
    assert first is not None
    assert "Nguyễn Văn Hùng" in first.get_text()
    assert "Trong kho" in first.get_text()  # the status, in Vietnamese
    marks = [m.get_text() for m in first.select(".snippet mark")]
    assert {"Nguyễn", "Văn", "Hùng"} <= set(marks)
    link = first.select_one(".snippet a.page-link")
    assert link is not None
    url = urlsplit(str(link["href"]))
    assert url.path == f"/pages/{world['page']}"
    assert "hung" in parse_qs(url.query)["q"][0].lower()
    shown = client.get(str(link["href"]))
    assert shown.status_code == 200
    boxes = soup(shown.text).select("#page-view mark.hit")
    assert {str(b["title"]) for b in boxes} >= {"Nguyễn", "Văn", "Hùng,"}
    # The top-bar box keeps the query.
    box = page.select_one("#lookup-box")
    assert box is not None and box["value"] == "nguyen van hung"


def test_the_page_reads_in_english(client_as: Client, world: dict[str, int]) -> None:
    client = client_as("admin")
    client.get("/lang/en")
    html = client.get("/search", params={"q": "nguyen van"}).text
    assert soup(html).select_one("h1").get_text().startswith("Search")  # type: ignore[union-attr]
    assert "files found" in html and "Saved searches" in html
    assert soup(html).select_one("#facet-office h2").get_text() == "Office"  # type: ignore[union-attr]


def test_facets_count_and_narrow_the_query(client_as: Client, world: dict[str, int]) -> None:
    client = client_as("admin")
    html = client.get("/search", params={"q": "nguyen van"}).text
    offices = _facet(html, "office")
    assert {k: v[0] for k, v in offices.items()} == {"00": 3, "01": 2}
    narrowed = client.get(offices["01"][1]).text
    assert sorted(_codes(narrowed)) == ["DT-NV-1", "DT-NV-2"]
    assert parse_qs(urlsplit(offices["01"][1]).query)["office"] == ["01"]
    # The chosen value is marked, and its link takes the filter out again.
    active = soup(narrowed).select_one("#facet-office li.active a")
    assert active is not None and active["data-value"] == "01"
    assert len(_codes(client.get(str(active["href"])).text)) == 5
    years = _facet(narrowed, "year")
    assert {k: v[0] for k, v in years.items()} == {"2015": 1, "2017": 1}
    only_2017 = client.get(years["2017"][1]).text
    assert _codes(only_2017) == ["DT-NV-2"]


def test_office_scope_hides_other_offices_hits_and_counts(
    client_as: Client, world: dict[str, int]
) -> None:
    client = client_as("lan.nt")  # archivist of office 00 only
    html = client.get("/search", params={"q": "nguyen van"}).text
    assert sorted(_codes(html)) == ["HS-NV-1", "HS-NV-2", "HS-NV-3"]
    assert set(_facet(html, "office")) == {"00"}
    assert "Duy Tiên" not in html
    total = soup(html).select_one("#search-total strong")
    assert total is not None and total.get_text() == "3"
    # Asking for the other office by URL finds nothing rather than its files.
    assert _codes(client.get("/search", params={"q": "nguyen van", "office": "01"}).text) == []


def test_a_near_match_is_labelled(client_as: Client, world: dict[str, int]) -> None:
    client = client_as("admin")
    html = client.get("/search", params={"q": "nguyen van hunq"}).text
    assert soup(html).select_one("#fuzzy-label").get_text() == "Kết quả gần đúng"  # type: ignore[union-attr]
    assert "HS-NV-1" in _codes(html)
    exact = client.get("/search", params={"q": "nguyen van hung"}).text
    assert soup(exact).select_one("#fuzzy-label") is None


def test_snippets_are_for_readers_of_personal_data_only(
    client_as: Client, world: dict[str, int]
) -> None:
    client = client_as("thanh.tt")  # inspector: reads the register, not scanned pages
    html = client.get("/search", params={"q": "nguyen van hung"}).text
    assert "HS-NV-1" in _codes(html)
    assert soup(html).select(".snippet") == []


def test_no_query_shows_the_hint_and_nothing_found_says_so(
    client_as: Client, world: dict[str, int]
) -> None:
    client = client_as("admin")
    assert soup(client.get("/search").text).select_one("#search-hint") is not None
    none = client.get("/search", params={"q": "zzzzqqqq xxxyyy"})
    assert none.status_code == 200
    assert "Không tìm thấy hồ sơ nào" in none.text


def test_the_top_bar_box_sends_words_to_search_and_identifiers_to_the_object(
    client_as: Client, world: dict[str, int], seeded: Seeded
) -> None:
    client = client_as("admin")
    words = client.get("/lookup", params={"q": "nguyen van"})
    assert urlsplit(str(words.url)).path == "/search"
    assert len(_codes(words.text)) == 5
    code = client.get("/lookup", params={"q": "HS-NV-2"})
    assert urlsplit(str(code.url)).path == f"/files/{world['HS-NV-2']}"
    box = client.get("/lookup", params={"q": seeded.barcodes[seeded.box_ids[0]]})
    assert urlsplit(str(box.url)).path == f"/boxes/{seeded.box_ids[0]}"
    # A number the register does not hold may still be on a scanned page.
    number = client.get("/lookup", params={"q": "4803009911"})
    assert urlsplit(str(number.url)).path == "/search"
    assert _codes(number.text) == ["HS-NV-1"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": "nguyen", "year_from": "2017", "year_to": "2015"}, "year"),
        ({"q": "nguyen", "year_from": "năm"}, "year_from"),
        ({"q": "nguyen", "sort": "random"}, "sort"),
    ],
)
def test_a_bad_query_gives_the_vietnamese_message(
    client_as: Client, world: dict[str, int], params: dict[str, str], field: str
) -> None:
    client = client_as("admin")
    response = client.get("/search", params=params)
    assert response.status_code == 422
    error = soup(response.text).select_one("#main .error")
    assert error is not None and error["data-code"] == "search.query_invalid"
    assert error.get_text() == f"Câu tìm kiếm không hợp lệ (trường “{field}”)."
    assert _codes(response.text) == []


def _saved(factory: sessionmaker[Session]) -> list[tuple[str, int, dict[str, object]]]:
    with committed(factory) as session:
        rows = session.scalars(select(SavedSearch).order_by(SavedSearch.id))
        return [(r.name, r.user_id, json.loads(r.query)) for r in rows]


def _audit_count(factory: sessionmaker[Session], action: str) -> int:
    with committed(factory) as session:
        return int(session.scalar(select(func.count()).where(AuditEvent.action == action)) or 0)


def test_saved_searches_are_each_users_own_and_audited(
    client_as: Client, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    client = client_as("lan.nt")
    html = client.get("/search", params={"q": "nguyen van", "office": "00"}).text
    form = soup(html).select_one("#save-search")
    assert form is not None
    data: dict[str, str] = {
        str(i["name"]): str(i["value"]) for i in form.select("input[type=hidden]")
    }
    data.update({"name": "Nguyễn Văn ở tỉnh", "csrf_token": csrf_of(html)})
    saved = client.post("/search/saved", data=data)
    assert saved.status_code == 200
    assert soup(saved.text).select_one(".ok")["data-ok"] == "search.saved"  # type: ignore[index]
    [(name, _, query)] = _saved(factory)
    assert name == "Nguyễn Văn ở tỉnh"
    assert (query["v"], query["words"], query["office_codes"]) == (1, ["nguyen", "van"], ["00"])
    assert _audit_count(factory, "saved_search.created") == 1

    # Run it: the listed link gives the same search back.
    link = soup(saved.text).select_one("#saved-searches a")
    assert link is not None and link.get_text() == "Nguyễn Văn ở tỉnh"
    assert sorted(_codes(client.get(str(link["href"])).text)) == ["HS-NV-1", "HS-NV-2", "HS-NV-3"]

    # The same name again is refused with its message, and nothing changes.
    again = client.post("/search/saved", data=data)
    assert again.status_code == 422
    assert "Bạn đã có một lượt tìm kiếm đã lưu tên" in again.text
    assert len(_saved(factory)) == 1

    # Another user neither sees it nor can delete it.
    other = client_as("admin")
    page = other.get("/search").text
    assert "Nguyễn Văn ở tỉnh" not in page
    search_id = _saved_id(factory)
    refused = other.post(f"/search/saved/{search_id}/delete", data={"csrf_token": csrf_of(page)})
    assert refused.status_code == 404
    assert len(_saved(factory)) == 1

    # Its owner deletes it.
    mine = client_as("lan.nt")
    page = mine.get("/search").text
    delete = soup(page).select_one("#saved-searches form")
    assert delete is not None
    done = mine.post(str(delete["action"]), data={"csrf_token": csrf_of(page)})
    assert done.status_code == 200 and "Đã xóa lượt tìm kiếm đã lưu." in done.text
    assert _saved(factory) == []
    assert _audit_count(factory, "saved_search.deleted") == 1


def _saved_id(factory: sessionmaker[Session]) -> int:
    with committed(factory) as session:
        return int(session.scalars(select(SavedSearch.id)).one())


def test_saving_without_a_name_or_a_query_is_refused(
    client_as: Client, world: dict[str, int], factory: sessionmaker[Session]
) -> None:
    client = client_as("admin")
    html = client.get("/search", params={"q": "nguyen"}).text
    token = csrf_of(html)
    nameless = client.post("/search/saved", data={"name": "  ", "q": "nguyen", "csrf_token": token})
    assert nameless.status_code == 422
    assert (
        soup(nameless.text).select_one("#main .error")["data-code"] == "saved_search.name_invalid"
    )  # type: ignore[index]
    empty = client.post("/search/saved", data={"name": "Trống", "q": "", "csrf_token": token})
    assert soup(empty.text).select_one("#main .error")["data-code"] == "saved_search.empty"  # type: ignore[index]
    assert _saved(factory) == []
