"""What a process holds once: settings, the engine, the session factory (built at the edge)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from archive.db import make_engine, session_factory, write_sessions
from archive.settings import Settings


@dataclass
class Runtime:
    """The settings and database handles of one process (the app, the worker or a CLI command)."""

    settings: Settings
    # Copied into every session's `info` (e.g. what to call after a commit that marked files
    # for the search index); set before sessions are made, read when each session starts.
    session_info: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.effective_database_url)

    @cached_property
    def sessions(self) -> sessionmaker[Session]:
        return session_factory(self.engine, info=self.session_info)

    @cached_property
    def write_sessions(self) -> sessionmaker[Session]:
        return write_sessions(self.sessions)

    def dispose(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
