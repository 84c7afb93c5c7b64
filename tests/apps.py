"""The real app on a test database, and users with bearer tokens, for API and page tests.

Seed data with `seeded(factory)` (its own committed transaction): on SQLite a test must not hold
a write transaction open while the app writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from archive.app import create_app
from archive.db import transaction
from archive.services import accounts, offices
from archive.settings import Settings
from tests.factories import ADMIN


def make_app(factory: sessionmaker[Session], data_dir: Path, **settings: Any) -> FastAPI:
    """The whole service, its runtime's sessions bound to the test database."""
    app = create_app(Settings(env="test", data_dir=data_dir, **settings))
    app.state.runtime.__dict__["sessions"] = factory
    return app


@contextmanager
def seeded(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A committed write transaction for arranging a test's data."""
    with transaction(factory) as session:
        yield session


def make_user(
    factory: sessionmaker[Session],
    username: str,
    roles: tuple[str, ...],
    *,
    office_code: str = "00",
    all_offices: bool = False,
    password: str = "mật-khẩu-thử-nghiệm",
) -> str:
    """A user with these roles; returns a bearer token for them."""
    with seeded(factory) as session:
        office_id = offices.get_by_code(session, office_code).id
        user = accounts.create_user(
            session,
            ADMIN,
            accounts.UserIn(
                username=username,
                full_name=username.title(),
                password=password,
                office_id=office_id,
                roles=roles,
                all_offices=all_offices,
            ),
        )
        return accounts.issue_token(session, ADMIN, user_id=user.id, name="test")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
