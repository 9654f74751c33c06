"""The embedded SQLite driver: one connection, in WAL mode, owned by one dedicated thread.

sqlite3 blocks, so every call runs on that thread and the event loop only awaits it. One thread also
serialises this process's writes; ``busy_timeout`` covers a second process on the same file (a restarted
server while the old one is still exiting).

A database that stays locked past that wait, a full disk, a file that became read-only or vanished: each raises
:class:`~server.store.base.StoreUnavailable`, as PostgreSQL's outages do, so callers treat both alike.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from server.store.base import StoreUnavailable
from server.store.driver import Row, Statement, UniqueViolation
from server.store.migrations import SQLITE_DIR, Migration, load_migrations, pending

T = TypeVar("T")

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%f%z"
#: How long a statement waits for a lock another process holds before the database counts as unavailable.
BUSY_TIMEOUT_MS = 10_000
#: SQLite's messages for a database that cannot be used now, as opposed to a statement that is wrong.
_UNAVAILABLE_MESSAGES = (
    "database is locked",
    "database table is locked",
    "disk i/o error",
    "database or disk is full",
    "unable to open database file",
    "attempt to write a readonly database",
)


def _is_unavailable(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return any(known in message for known in _UNAVAILABLE_MESSAGES)


def _adapt(value: Any) -> Any:
    """Timestamps become fixed-width UTC ISO text, so text order is time order."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime(_TIME_FORMAT)
    return value


def split_statements(script: str) -> list[str]:
    """Cut a script into complete statements, so a migration can run inside one explicit transaction."""
    statements: list[str] = []
    current = ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            statements.append(current.strip())
            current = ""
    if not _only_comments(current):
        raise ValueError(f"incomplete SQL statement at the end of a migration: {current.strip()[:80]!r}")
    return statements


def _only_comments(text: str) -> bool:
    return all(not line.strip() or line.strip().startswith("--") for line in text.splitlines())


class SqliteDriver:
    def __init__(self, path: Path, migrations_dir: Path = SQLITE_DIR, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self.migrations_dir = migrations_dir
        self.busy_timeout_ms = busy_timeout_ms
        self._executor: ThreadPoolExecutor | None = None
        self._conn: sqlite3.Connection | None = None

    async def _call(self, fn: Callable[..., T], *args: Any) -> T:
        if self._executor is None:
            raise RuntimeError("the SQLite store is not open")
        return await asyncio.get_running_loop().run_in_executor(self._executor, fn, *args)

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError("the SQLite store is not open")
        return self._conn

    async def open(self) -> None:
        migrations = load_migrations(self.migrations_dir)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="viva-sqlite")
        try:
            await self._call(self._connect)
            await self._call(self._migrate, migrations)
        except BaseException:
            await self.close()
            raise

    def _connect(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: no implicit transactions; every write below opens its own explicitly.
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.execute(f"pragma busy_timeout = {int(self.busy_timeout_ms)}")
        conn.execute("pragma journal_mode = wal")
        conn.execute("pragma synchronous = full")
        conn.execute("pragma foreign_keys = on")
        self._conn = conn

    def _migrate(self, migrations: list[Migration]) -> None:
        conn = self.conn
        conn.execute(
            "create table if not exists schema_migrations "
            "(version text primary key, name text not null, applied_at text not null)"
        )
        conn.execute("begin immediate")
        try:
            applied = {row[0] for row in conn.execute("select version from schema_migrations")}
            for migration in pending(migrations, applied):
                for statement in split_statements(migration.sql):
                    conn.execute(statement)
                conn.execute(
                    "insert into schema_migrations (version, name, applied_at) values (?, ?, ?)",
                    (migration.version, migration.name, _adapt(datetime.now(UTC))),
                )
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise

    async def close(self) -> None:
        if self._executor is None:
            return
        if self._conn is not None:
            await self._call(self._conn.close)
            self._conn = None
        self._executor.shutdown(wait=True)
        self._executor = None

    async def _call_store(self, fn: Callable[..., T], *args: Any) -> T:
        try:
            return await self._call(fn, *args)
        except sqlite3.OperationalError as exc:
            if _is_unavailable(exc):
                raise StoreUnavailable(f"SQLite cannot be used now ({exc})") from exc
            raise

    async def ping(self) -> None:
        await self._call_store(self._ping)

    def _ping(self) -> None:
        # Taking the write lock (and giving it back) proves writes can happen, without writing anything.
        self.conn.execute("begin immediate")
        self.conn.execute("rollback")

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return await self._call_store(self._fetch, sql, params)

    def _fetch(self, sql: str, params: Sequence[Any]) -> list[Row]:
        return [dict(row) for row in self.conn.execute(sql, [_adapt(p) for p in params]).fetchall()]

    async def transaction(self, statements: Sequence[Statement]) -> list[int]:
        return await self._call_store(self._transaction, statements)

    def _transaction(self, statements: Sequence[Statement]) -> list[int]:
        conn = self.conn
        conn.execute("begin immediate")
        try:
            counts = [conn.execute(sql, [_adapt(p) for p in params]).rowcount for sql, params in statements]
            conn.execute("commit")
        except sqlite3.IntegrityError as exc:
            conn.execute("rollback")
            if "UNIQUE constraint failed" in str(exc):
                raise UniqueViolation(str(exc)) from exc
            raise
        except BaseException:
            conn.execute("rollback")
            raise
        return counts
