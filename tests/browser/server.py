"""A real uvicorn server on a free 127.0.0.1 port, serving the app on a SQLite file."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from archive import migrate
from archive.app import create_app
from archive.db import make_engine, session_factory, transaction
from archive.settings import Settings
from tests.archive.web.seed import Seeded, seed

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def seeded_database(path: Path) -> Seeded:
    """Migrate a new SQLite file and seed it (offices, layouts, users, files)."""
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    with transaction(session_factory(engine)) as session:
        seeded = seed(session)
    engine.dispose()
    return seeded


def copy_database(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(db_path: Path, data_dir: Path, settings: Settings | None = None) -> Iterator[str]:
    """Serve the app on `db_path` in a background thread; yields its base URL.

    `settings` (on the same database and data directory) when a worker must share them."""
    settings = settings or Settings(
        env="test", data_dir=data_dir, database_url=f"sqlite:///{db_path}"
    )
    app = create_app(settings)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        app.state.runtime.dispose()
