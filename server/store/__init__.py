"""Choose the store named by the configuration: PostgreSQL (Supabase) if a URL is set, else embedded SQLite."""

from __future__ import annotations

from server.config import Settings
from server.store.base import Store
from server.store.sql import SqlStore


def create_store(settings: Settings) -> Store:
    """An unopened store; :meth:`Store.open` connects and applies pending migrations."""
    if settings.database_url is not None:
        from server.store.postgres import PostgresDriver

        return SqlStore(
            PostgresDriver(
                settings.database_url.get_secret_value(),
                schema=settings.database_schema,
                max_connections=settings.database_max_connections,
            )
        )
    from server.store.sqlite import SqliteDriver

    return SqlStore(SqliteDriver(settings.sqlite_path))
