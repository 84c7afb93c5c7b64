"""The queue seam: huey on SQLite by default, on Redis when ARCHIVE_QUEUE_URL says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from huey import RedisHuey, SqliteHuey

from archive.errors import Invalid
from archive.jobs import make_queue, register_tasks, scan_tasks
from archive.jobs.queue import INDEX_LOCK, make_consumer
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


def test_a_new_sqlite_consumer_clears_the_index_lock_a_killed_one_held(tmp_path: Path) -> None:
    """The index writer takes its lock at run time; a consumer killed while holding it left it
    in huey's SQLite storage, where locks never expire, and every later drain was refused."""
    settings = Settings(env="test", data_dir=tmp_path / "data")
    killed = make_queue(settings)
    register_tasks(killed, settings)
    held = scan_tasks._index_lock(killed)
    held.__enter__()  # never left: the process died holding it
    starting = make_queue(settings)  # the next worker: a fresh huey that saw no lock created
    register_tasks(starting, settings)
    key = f"{starting.name}.lock.{INDEX_LOCK}"  # looked up raw: `is_locked` would register it
    assert starting.storage.has_data_for_key(key)
    make_consumer(starting, 1)
    assert not starting.storage.has_data_for_key(key)
    with scan_tasks._index_lock(starting):  # the index writer can run again
        pass


def test_a_redis_consumer_leaves_a_live_index_lock_alone() -> None:
    """On Redis another host's worker may hold the lock now; it expires by itself."""
    queue = make_queue(Settings(env="test", queue_url=REDIS_URL))
    queue.flush()
    try:
        with scan_tasks._index_lock(queue):
            make_consumer(queue, 1)
            assert queue.storage.conn.exists(f"{queue.name}.lock.{INDEX_LOCK}")
    finally:
        queue.flush()
