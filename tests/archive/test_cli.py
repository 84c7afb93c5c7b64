"""The `archive` command on a real SQLite data directory: first-run setup, lookup, users, audit,
and `archive serve` answering on a port (what the README's run command does)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from archive.cli import app
from archive.db import make_engine, session_factory, transaction
from archive.models import Box

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    values = {
        "ARCHIVE_DATA_DIR": str(tmp_path / "var"),
        "ARCHIVE_DATABASE_URL": "",
        "ARCHIVE_ENV": "dev",
    }
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_setup_loads_demo_creates_admin_and_is_idempotent(env: dict[str, str]) -> None:
    first = run("setup", "--demo-files", "300")
    assert "admin / mật khẩu:" in first
    assert "Đã lập chỉ mục tìm kiếm 300 hồ sơ." in first
    assert "Đã nhận lô quét mẫu 1 (9 trang); worker sẽ đọc (OCR)." in first
    assert "Đã tạo 7 phiếu mượn mẫu (2 quá hạn)" in first
    assert "mức 2" in run("loans", "overdue")
    assert "Kho " in run("search", "nguyen")  # the demo is searchable straight after setup
    password = (Path(env["ARCHIVE_DATA_DIR"]) / "admin-password.txt").read_text().strip()
    assert password in first
    again = run("setup", "--demo-files", "300")
    assert "mật khẩu:" not in again and "admin-password.txt" in again
    assert "toàn vẹn" in run("audit", "verify")


def test_lookup_prints_the_full_path_and_bad_input_says_why(env: dict[str, str]) -> None:
    run("setup", "--demo-files", "200", "--demo-scans", "0")
    engine = make_engine(f"sqlite:///{Path(env['ARCHIVE_DATA_DIR']) / 'archive.sqlite3'}")
    with transaction(session_factory(engine), write=False) as session:
        box = session.scalars(select(Box).order_by(Box.id)).first()
        assert box is not None
        barcode = box.barcode
    engine.dispose()
    out = run("lookup", barcode)
    assert out.startswith("Kho ") and "Hộp" in out
    bad = CliRunner().invoke(app, ["lookup", " "])
    assert bad.exit_code == 1 and "Nhập mã vạch" in bad.output


def test_users_and_tokens(env: dict[str, str]) -> None:
    run("setup", "--demo-files", "0")
    run(
        "users",
        "create",
        "lan.nt",
        "--name",
        "Nguyễn Thị Lan",
        "--office",
        "00",
        "--role",
        "archivist",
        "--password",
        "mật-khẩu-rất-dài",
    )
    assert "lan.nt" in run("users", "list")
    token = run("users", "token", "lan.nt").strip()
    assert token.startswith("bhxh_")
    duplicate = CliRunner().invoke(
        app,
        [
            "users",
            "create",
            "lan.nt",
            "--name",
            "X",
            "--role",
            "staff",
            "--password",
            "mật-khẩu-rất-dài",
        ],
    )
    assert duplicate.exit_code == 1 and "đã tồn tại" in duplicate.output


def test_serve_answers_after_setup(env: dict[str, str]) -> None:
    run("setup", "--demo-files", "0")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "serve", "--port", str(port)],
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("archive serve did not answer")
        assert response.status_code == 200 and "Đăng nhập" in response.text
    finally:
        proc.terminate()
        proc.wait(timeout=10)
