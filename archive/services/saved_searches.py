"""Saved searches: a user names a search to run it again later (issue 4). A saved search belongs
to one user; nobody else lists, runs or deletes it. It stores our query model, never engine syntax."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.errors import Conflict, Forbidden, Invalid, NotFound
from archive.models import SavedSearch
from archive.permissions import Actor, Perm, require
from archive.services import audit
from archive.text import nfc
from indexes.query import Query

NAME_MAX = 100


@dataclass(frozen=True)
class SavedSearchView:
    id: int
    name: str
    query: Query
    created_at: datetime


def _view(row: SavedSearch) -> SavedSearchView:
    return SavedSearchView(row.id, row.name, Query.from_json(row.query), row.created_at)


def _user_id(actor: Actor) -> int:
    """Saved searches are a person's: system actors (worker, CLI) have none."""
    require(actor, Perm.REGISTER_READ)
    if actor.user_id is None:
        raise Forbidden("saved_search.no_user")
    return actor.user_id


def save(session: Session, actor: Actor, *, name: str, query: Query) -> SavedSearchView:
    """Save `query` (from its first page) under `name`; refuses an empty or too long name, a
    name the actor already uses, and a query with no words and no filters."""
    user_id = _user_id(actor)
    name = " ".join(nfc(name).split())
    if not name or len(name) > NAME_MAX:
        raise Invalid("saved_search.name_invalid", max=NAME_MAX)
    query = replace(query, page=1)
    if query == Query(sort=query.sort, size=query.size):
        raise Invalid("saved_search.empty")
    taken = session.scalar(
        select(SavedSearch.id).where(SavedSearch.user_id == user_id, SavedSearch.name == name)
    )
    if taken is not None:
        raise Conflict("saved_search.name_taken", name=name)
    row = SavedSearch(user_id=user_id, name=name, query=query.to_json())
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "saved_search.created",
        object_type="saved_search",
        object_id=row.id,
        changes={"name": name, "query": row.query},
    )
    return _view(row)


def list_mine(session: Session, actor: Actor) -> list[SavedSearchView]:
    """The actor's own saved searches, by name."""
    user_id = _user_id(actor)
    rows = session.scalars(
        select(SavedSearch).where(SavedSearch.user_id == user_id).order_by(SavedSearch.name)
    )
    return [_view(row) for row in rows]


def _mine(session: Session, actor: Actor, search_id: int) -> SavedSearch:
    row = session.get(SavedSearch, search_id)
    # Another user's saved search is reported as missing: its existence is not ours to reveal.
    if row is None or row.user_id != _user_id(actor):
        raise NotFound("saved_search.not_found", search_id=search_id)
    return row


def get_mine(session: Session, actor: Actor, search_id: int) -> SavedSearchView:
    """One of the actor's saved searches; refuses (as not found) anyone else's."""
    return _view(_mine(session, actor, search_id))


def delete(session: Session, actor: Actor, *, search_id: int) -> None:
    """Delete one of the actor's saved searches; refuses (as not found) anyone else's."""
    row = _mine(session, actor, search_id)
    audit.record(
        session,
        actor,
        "saved_search.deleted",
        object_type="saved_search",
        object_id=row.id,
        changes={"name": row.name, "query": row.query},
    )
    session.delete(row)
