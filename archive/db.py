"""Engine and session factory. SQLite is tuned (WAL, foreign keys, busy timeout) and write
transactions start with BEGIN IMMEDIATE so two writers never deadlock on lock upgrade."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

WRITE = {"archive_write": True}
_AFTER_COMMIT = "archive_after_commit"


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`; SQLite gets its pragmas and explicit BEGIN handling."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # Connections move between the server's worker threads; SQLite's own check would refuse.
        connect_args = {"timeout": 30, "check_same_thread": False, **kwargs.pop("connect_args", {})}
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        _tune_sqlite(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's own handling defers it wrongly).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        immediate = conn.get_execution_options().get("archive_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def is_sqlite(engine_or_session: Engine | Session) -> bool:
    """True when the records live in SQLite."""
    bind = (
        engine_or_session.get_bind()
        if isinstance(engine_or_session, Session)
        else engine_or_session
    )
    return bind.dialect.name == "sqlite"


def session_factory(engine: Engine, *, info: dict[str, Any] | None = None) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (pages render after the commit)."""
    return sessionmaker(bind=engine, expire_on_commit=False, info=info)


def write_sessions(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    """Sessions whose transactions are writes: on SQLite they begin with BEGIN IMMEDIATE as soon
    as they first touch the database, without an explicit call (an engine-level option)."""
    bind = factory.kw.get("bind")
    if not isinstance(bind, Engine):
        return factory  # bound to one connection (tests): the option is SQLite-only anyway
    return sessionmaker(**{**factory.kw, "bind": bind.execution_options(**WRITE)})


@contextmanager
def transaction(factory: sessionmaker[Session], *, write: bool = True) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error; after-commit effects run."""
    with factory() as session, session.begin():
        if write:
            session.connection(execution_options=WRITE)
        yield session


def after_commit(session: Session, effect: Callable[[], None]) -> None:
    """Run `effect` once the surrounding transaction commits; dropped if it rolls back."""
    session.info.setdefault(_AFTER_COMMIT, []).append(effect)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    effects = session.info.pop(_AFTER_COMMIT, [])
    for effect in effects:
        effect()


@event.listens_for(Session, "after_rollback")
def _drop_after_commit(session: Session) -> None:
    session.info.pop(_AFTER_COMMIT, None)
