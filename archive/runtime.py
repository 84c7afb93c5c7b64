"""What a process holds once: settings, the engine, the session factory (built at the edge)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive.db import make_engine, session_factory, write_sessions
from archive.settings import Settings


@dataclass
class Runtime:
    """The settings and database handles of one process (the app, the worker or a CLI command)."""

    settings: Settings

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.effective_database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine)

    @cached_property
    def write_sessions(self) -> sessionmaker[Session]:
        return write_sessions(self.sessions)

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
