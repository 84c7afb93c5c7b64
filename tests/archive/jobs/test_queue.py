"""The queue seam: huey on SQLite by default, on Redis when ARCHIVE_QUEUE_URL says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey

from archive.errors import Invalid
from archive.jobs import make_queue, register_tasks
from archive.jobs.tasks import IMPORT_TASK
from archive.settings import Settings

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_default_queue_is_sqlite_under_the_data_directory(tmp_path: Path) -> None:
    settings = Settings(env="test", data_dir=tmp_path / "data")
    queue = make_queue(settings)
    assert isinstance(queue, SqliteHuey) and not queue.immediate
    tasks = register_tasks(queue, settings)
    tasks.enqueue_import(41)
    assert (tmp_path / "data" / "queue.sqlite3").is_file()
    assert queue.pending_count() == 1
    [message] = queue.pending()
    assert (message.name, message.args) == (IMPORT_TASK, (41,))


def test_redis_queue_carries_only_the_job_id() -> None:
    settings = Settings(env="test", queue_url=REDIS_URL)
    queue = make_queue(settings)
    assert isinstance(queue, RedisHuey)
    queue.flush()
    try:
        register_tasks(queue, settings).enqueue_import(7)
        [message] = queue.pending()
        assert (message.name, message.args) == (IMPORT_TASK, (7,))
    finally:
        queue.flush()


def test_an_unknown_queue_address_is_refused() -> None:
    with pytest.raises(Invalid) as err:
        make_queue(Settings(env="test", queue_url="amqp://broker/"))
    assert err.value.code == "queue.url"
