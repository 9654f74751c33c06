"""What the store asks of a database: SQL with ``?`` placeholders, run on SQLite or PostgreSQL.

:class:`~server.store.sql.SqlStore` writes every query once; a :class:`Driver` (``server/store/sqlite.py``,
``server/store/postgres.py``) adapts placeholders, parameter types and errors to its database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

Row = Mapping[str, Any]
Statement = tuple[str, Sequence[Any]]


class UniqueViolation(Exception):
    """A driver's translation of its database's unique/primary-key violation."""


class Driver(Protocol):
    """Runs SQL with ``?`` placeholders on one database."""

    async def open(self) -> None:
        """Connect and apply the pending migrations."""
        ...

    async def close(self) -> None: ...

    async def ping(self) -> None:
        """One cheap round trip that needs the database (for SQLite: the write lock, taken and released)."""
        ...

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...

    async def transaction(self, statements: Sequence[Statement]) -> list[int]:
        """Run the statements in one transaction; return each one's row count.

        Raises :class:`UniqueViolation`, or :class:`~server.store.base.StoreUnavailable` when the database
        cannot be reached (as :meth:`fetch` and :meth:`ping` do too).
        """
        ...
