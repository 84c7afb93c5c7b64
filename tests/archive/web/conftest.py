"""Pages through the real app: a seeded database, a logged-in TestClient, BeautifulSoup."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from archive.app import create_app
from archive.db import transaction
from archive.settings import Settings
from tests.archive.web.seed import PASSWORD, Seeded, seed


@pytest.fixture
def seeded(factory: sessionmaker[Session]) -> Seeded:
    with transaction(factory) as session:
        return seed(session)


@pytest.fixture
def app_client(
    factory: sessionmaker[Session], settings: Settings, seeded: Seeded
) -> Iterator[TestClient]:
    app = create_app(settings)
    app.state.runtime.__dict__["sessions"] = factory
    with TestClient(app, follow_redirects=True) as client:
        yield client


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Through the real form: the login CSRF cookie and its hidden field."""
    form = soup(client.get("/login").text)
    token = form.select_one("input[name=csrf_token]")
    assert token is not None
    response = client.post(
        "/login",
        data={
            "username": username,
            "password": password,
            "csrf_token": str(token["value"]),
            "next": "/",
        },
    )
    assert response.status_code == 200 and "/login" not in str(response.url), response.text


def csrf_of(html: str) -> str:
    """The session's CSRF token, as every page's forms carry it."""
    field = soup(html).select_one("form input[name=csrf_token]")
    assert field is not None
    return str(field["value"])


@pytest.fixture
def client_as(app_client: TestClient) -> Callable[[str], TestClient]:
    def login(username: str) -> TestClient:
        log_in(app_client, username)
        return app_client

    return login
