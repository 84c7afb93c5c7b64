"""`archive reindex` and `archive search` on a real SQLite data directory (issue 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archive.cli import app
from archive.db import make_engine, session_factory, transaction
from tests.archive.services.test_search import build_world


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path / "var"
    for key, value in {
        "ARCHIVE_DATA_DIR": str(data_dir),
        "ARCHIVE_DATABASE_URL": "",
        "ARCHIVE_ENV": "dev",
        "ARCHIVE_SEARCH_BACKEND": "tantivy",
    }.items():
        monkeypatch.setenv(key, value)
    return data_dir


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _migrated_world(env: Path) -> None:
    run("migrate")
    engine = make_engine(f"sqlite:///{env / 'archive.sqlite3'}")
    with transaction(session_factory(engine)) as session:
        build_world(session)
    engine.dispose()


def test_reindex_then_search_prints_files_with_paths(env: Path) -> None:
    _migrated_world(env)
    assert "Đã lập chỉ mục 7 hồ sơ." in run("reindex")
    assert (env / "index" / "tantivy").is_dir()
    found = json.loads(run("search", "4803004239", "--json", "--office", "00"))
    assert sorted(hit["code"] for hit in found["hits"]) == ["HS-1", "HS-2"]
    assert found["total"] == 2 and found["facets"]["office"] == {"00": 2}
    text = run("search", "tran van binh")
    assert "HS-6" in text and "Kho 1" in text
    nothing = CliRunner().invoke(app, ["search", "khongcogi"])
    assert nothing.exit_code == 1 and "Không tìm thấy" in nothing.output


def test_reindex_refuses_an_unknown_backend_in_vietnamese(env: Path) -> None:
    run("migrate")
    refused = CliRunner().invoke(app, ["reindex", "--backend", "elasticsearch"])
    assert refused.exit_code == 1 and "chưa được cài đặt" in refused.output


def test_reindex_rebuilds_an_outdated_index_beside_it_and_keeps_the_old_one(env: Path) -> None:
    _migrated_world(env)
    run("reindex")
    marker = env / "index" / "tantivy" / "archive-index.json"
    marker.write_text('{"backend": "tantivy", "schema": 0}', encoding="utf-8")
    refused = CliRunner().invoke(app, ["search", "4803004239"])
    assert refused.exit_code == 1 and "phiên bản cũ" in refused.output
    output = run("reindex")
    assert "Đã lập chỉ mục 7 hồ sơ." in output and "giữ lại ở" in output
    kept = [p for p in (env / "index").iterdir() if p.name.startswith("tantivy.replaced-")]
    assert len(kept) == 1 and '"schema": 0' in (kept[0] / "archive-index.json").read_text()
    found = json.loads(run("search", "4803004239", "--json"))
    assert sorted(hit["code"] for hit in found["hits"]) == ["HS-1", "HS-2", "HS-3"]
