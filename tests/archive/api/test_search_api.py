"""GET /api/v1/search on a real tantivy index: query parameters, scope, re-checks (issue 4)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from archive.models import File
from archive.services.search_index import open_backend, reindex
from archive.settings import Settings
from tests.apps import bearer, make_app, make_user, seeded
from tests.search_world import World, build_world

Api = tuple[TestClient, World, dict[str, str]]


@pytest.fixture
def api(factory: sessionmaker[Session], tmp_path: Path) -> Api:
    with seeded(factory) as session:
        world = build_world(session)
        backend = open_backend(Settings(env="test", data_dir=tmp_path))
        try:
            reindex(session, backend)
        finally:
            backend.close()
    tokens = {
        "province": make_user(factory, "province.staff", ("staff",), all_offices=True),
        "main": make_user(factory, "main.staff", ("staff",)),
        "inspector": make_user(factory, "main.inspector", ("inspector",)),
    }
    return TestClient(make_app(factory, tmp_path), raise_server_exceptions=False), world, tokens


def get(api: Api, who: str, **params: Any) -> dict[str, Any]:
    client, _, tokens = api
    response = client.get("/api/v1/search", params=params, headers=bearer(tokens[who]))
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_search_by_folded_name_returns_hits_with_paths_and_facets(api: Api) -> None:
    body = get(api, "province", q="nguyen thi mai lan")
    assert (body["total"], body["fuzzy"]) == (5, False)
    assert sorted(h["code"] for h in body["hits"]) == ["HS-1", "HS-2", "HS-3", "HS-4", "HS-5"]
    first = next(h for h in body["hits"] if h["code"] == "HS-1")
    assert first["person_name"] == "Nguyễn Thị Mai Lan" and first["ssn"] == "4803004239"
    assert first["path"]["text"].startswith("Kho 1")
    assert {f["value"]: f["count"] for f in body["facets"]["office"]} == {"00": 3, "01": 2}


def test_the_backend_is_opened_once_per_app(api: Api) -> None:
    client, _, _ = api
    get(api, "province", q="nguyen")
    opened = client.app.state.search_backend  # type: ignore[attr-defined]
    get(api, "main", q="binh")
    assert client.app.state.search_backend is opened  # type: ignore[attr-defined]


def test_filters_map_onto_the_query_model(api: Api) -> None:
    body = get(api, "province", q="nguyen", office=["00", "01"], year_from=2016, year_to=2017)
    assert sorted(h["code"] for h in body["hits"]) == ["HS-2", "HS-3"]
    paged = get(api, "province", q="nguyen", sort="file_code", size=2, page=2)
    assert ([h["code"] for h in paged["hits"]], paged["total"]) == (["HS-3", "HS-4"], 5)


def test_office_scoped_user_sees_no_other_office_hits_or_counts(api: Api) -> None:
    body = get(api, "main", q="4803004239")
    assert sorted(h["code"] for h in body["hits"]) == ["HS-1", "HS-2"]
    assert body["total"] == 2
    assert [(f["value"], f["count"]) for f in body["facets"]["office"]] == [("00", 2)]
    other = get(api, "main", q="4803004239", office="01")
    assert (other["total"], other["hits"], other["facets"]["office"]) == (0, [], [])


def test_file_destroyed_after_indexing_is_not_shown(
    api: Api, factory: sessionmaker[Session]
) -> None:
    _, world, _ = api
    with seeded(factory) as session:
        session.get_one(File, world.codes["HS-1"]).status = "destroyed"
    body = get(api, "province", q="4803004239")
    assert sorted(h["code"] for h in body["hits"]) == ["HS-2", "HS-3"]
    assert body["total"] == 2


def test_personal_data_needs_its_permission(api: Api) -> None:
    (hit,) = get(api, "inspector", q="HS-6")["hits"]
    assert (hit["code"], hit["ssn"], hit["birth_date"]) == ("HS-6", "", None)


def test_invalid_query_is_a_problem_in_vietnamese(api: Api) -> None:
    client, _, tokens = api
    response = client.get(
        "/api/v1/search",
        params={"q": "nguyen", "year_from": 2020, "year_to": 2010},
        headers=bearer(tokens["province"]),
    )
    assert (response.status_code, response.json()["code"]) == (422, "search.query_invalid")


def test_an_outdated_index_is_a_503_problem_that_says_to_reindex(api: Api, tmp_path: Path) -> None:
    client, _, tokens = api
    marker = tmp_path / "index" / "tantivy" / "archive-index.json"
    marker.write_text('{"backend": "tantivy", "schema": 0}', encoding="utf-8")
    response = client.get("/api/v1/search", params={"q": "lan"}, headers=bearer(tokens["main"]))
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["code"] == "search.index_outdated" and "archive reindex" in problem["detail"]
