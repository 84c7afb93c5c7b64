"""Rebuilding a PostgreSQL index beside the live one: a staging schema, then one transaction that
renames the live schema aside and the staging schema into its place (DDL is transactional, so
readers see the old index or the new one, never neither)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL

from indexes.backends import postgres_sql as sql

STAGING_SUFFIX = "_rebuild"


def staging(database: str | URL | Engine, live: str) -> str:
    """The name of an empty staging schema beside `live` (what an interrupted rebuild left in it
    is dropped: it was never the index)."""
    name = live + STAGING_SUFFIX
    _run(database, f"DROP SCHEMA IF EXISTS {sql.schema_name(name)} CASCADE")
    return name


def swap_in(database: str | URL | Engine, live: str, stamp: str) -> str:
    """Put the finished staging schema in place of `live`; returns the schema the old one is
    kept in."""
    kept = f"{live}_replaced_{stamp}"
    _run(
        database,
        f"SELECT pg_advisory_xact_lock({sql.SETUP_LOCK}, hashtext('{live}'))",
        f"ALTER SCHEMA {sql.schema_name(live)} RENAME TO {sql.schema_name(kept)}",
        f"ALTER SCHEMA {sql.schema_name(live + STAGING_SUFFIX)} RENAME TO {sql.schema_name(live)}",
    )
    return kept


def _run(database: str | URL | Engine, *statements: str) -> None:
    engine = database if isinstance(database, Engine) else create_engine(database)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        if engine is not database:
            engine.dispose()
