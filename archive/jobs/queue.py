"""The task queue: huey on its SQLite storage under the data directory, or on Redis.

Built by a factory from Settings at the edge (worker, app, CLI); nothing is read at import time."""

from __future__ import annotations

from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey
from huey.consumer import Consumer

from archive.errors import Invalid
from archive.settings import Settings

QUEUE_NAME = "archive"
REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
SQLITE_PREFIX = "sqlite:///"
# Locks taken inside tasks at run time. huey flushes a killed consumer's stale locks at start only
# for the locks it has seen created, and a fresh consumer has seen none of these: name them.
INDEX_LOCK = "archive.search-index"
RUNTIME_LOCKS = (INDEX_LOCK,)


def make_queue(settings: Settings) -> Huey:
    """The huey instance for `Settings.effective_queue_url`; refuses any other kind of address.

    Results are not stored: a job's outcome is on its row in the `jobs` table."""
    url = settings.effective_queue_url
    if url.startswith(REDIS_SCHEMES):
        return RedisHuey(QUEUE_NAME, url=url, results=False)
    if url.startswith(SQLITE_PREFIX):
        path = Path(url.removeprefix(SQLITE_PREFIX))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(QUEUE_NAME, filename=str(path), results=False)
    raise Invalid("queue.url", url=url)


def make_consumer(huey: Huey, workers: int) -> Consumer:
    """A consumer of `workers` processes with the periodic tasks. On huey's SQLite storage (one
    host) the locks a killed consumer held are cleared first: SQLite locks never expire. (On
    Redis the index lock expires by itself, and another host's live worker may hold it.)"""
    sqlite = isinstance(huey, SqliteHuey)
    return huey.create_consumer(
        workers=workers,
        worker_type="process",
        periodic=True,
        flush_locks=sqlite,
        extra_locks=",".join(RUNTIME_LOCKS) if sqlite else None,
    )
