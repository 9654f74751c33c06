"""The PostgreSQL driver (Supabase or any PostgreSQL 13+), over an asyncpg connection pool.

Works with Supabase's direct connection and with its pooler (Supavisor, session or transaction mode): the
statement cache is off, because a transaction-mode pooler cannot keep named prepared statements.

When the server cannot be reached (refused, dropped, restarting, out of connections, a failover's read-only
standby) every call raises :class:`~server.store.base.StoreUnavailable`; connecting and each statement are bounded
in time, so a network that silently drops packets is reported as such instead of hanging a session.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg

from server.store.base import StoreUnavailable
from server.store.driver import Row, Statement, UniqueViolation
from server.store.migrations import POSTGRES_DIR, load_migrations, pending

_PLACEHOLDER = re.compile(r"\?")
_ROWCOUNT = re.compile(r"(\d+)$")
_MIGRATION_LOCK = 0x5649_5641  # "VIVA": one migrating process at a time, across every node
#: Longest wait for a new connection, and for one statement (Viva's statements take milliseconds).
CONNECT_TIMEOUT_S = 5.0
COMMAND_TIMEOUT_S = 15.0
#: Migrating at start-up may wait for another node's migration, and may rewrite a large table.
MIGRATION_TIMEOUT_S = 3600.0

#: What asyncpg raises when the server is out of reach, rather than for a statement's own fault.
_UNAVAILABLE: tuple[type[BaseException], ...] = (
    OSError,  # refused, reset, unreachable
    TimeoutError,
    asyncpg.PostgresConnectionError,  # class 08: the connection was lost or could not be made
    asyncpg.exceptions.OperatorInterventionError,  # class 57: shutdown, terminated, starting up, cancelled
    asyncpg.exceptions.InsufficientResourcesError,  # class 53: too many connections, disk full
    asyncpg.exceptions.ReadOnlySQLTransactionError,  # a standby after a failover
)


def _is_unavailable(exc: BaseException) -> bool:
    """Also a connection that closed under a statement or a transaction, which asyncpg reports as an
    InterfaceError (other InterfaceErrors are misuse: bugs, not outages)."""
    if isinstance(exc, _UNAVAILABLE):
        return True
    return isinstance(exc, asyncpg.InterfaceError) and "connection is closed" in str(exc)


# The migrations' own bookkeeping table, locked down like every other table.
_BOOTSTRAP = """
create table if not exists schema_migrations (
    version text primary key,
    name text not null,
    applied_at timestamptz not null default now()
);
alter table schema_migrations enable row level security;
do $$
declare
    r text;
begin
    foreach r in array array['anon', 'authenticated'] loop
        if exists (select 1 from pg_roles where rolname = r) then
            execute format('revoke all on table schema_migrations from %I', r);
        end if;
    end loop;
end
$$;
"""


def to_numbered(sql: str) -> str:
    """``?`` placeholders become asyncpg's ``$1, $2, ...`` (the queries hold no literal question marks)."""
    counter = iter(range(1, 10_000))
    return _PLACEHOLDER.sub(lambda _: f"${next(counter)}", sql)


def _rowcount(status: str) -> int:
    match = _ROWCOUNT.search(status)
    return int(match[1]) if match else 0


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class PostgresDriver:
    def __init__(
        self, dsn: str, schema: str = "public", migrations_dir: Path = POSTGRES_DIR, max_connections: int = 10
    ) -> None:
        self.dsn = dsn
        self.schema = schema
        self.migrations_dir = migrations_dir
        self.max_connections = max_connections
        self._pool: asyncpg.Pool | None = None

    @property
    def pool(self) -> asyncpg.Pool:
        if self._pool is None:
            raise RuntimeError("the PostgreSQL store is not open")
        return self._pool

    async def open(self) -> None:
        migrations = load_migrations(self.migrations_dir)
        server_settings = {} if self.schema == "public" else {"search_path": self.schema}
        self._pool = await asyncpg.create_pool(
            self.dsn,
            min_size=1,
            max_size=self.max_connections,
            statement_cache_size=0,
            server_settings=server_settings,
            timeout=CONNECT_TIMEOUT_S,
            command_timeout=COMMAND_TIMEOUT_S,
        )
        try:
            async with self.pool.acquire() as conn, conn.transaction():
                await conn.execute("select pg_advisory_xact_lock($1)", _MIGRATION_LOCK, timeout=MIGRATION_TIMEOUT_S)
                if self.schema != "public":
                    await conn.execute(f"create schema if not exists {quote_ident(self.schema)}")
                await conn.execute(_BOOTSTRAP)
                applied = {r["version"] for r in await conn.fetch("select version from schema_migrations")}
                for migration in pending(migrations, applied):
                    await conn.execute(migration.sql, timeout=MIGRATION_TIMEOUT_S)
                    await conn.execute(
                        "insert into schema_migrations (version, name) values ($1, $2)",
                        migration.version,
                        migration.name,
                    )
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    async def ping(self) -> None:
        with _translated_errors():
            await self.pool.fetchval("select 1")

    async def fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with _translated_errors():
            rows = await self.pool.fetch(to_numbered(sql), *params)
        return [dict(row) for row in rows]

    async def transaction(self, statements: Sequence[Statement]) -> list[int]:
        with _translated_errors():
            async with self.pool.acquire() as conn, conn.transaction():
                return [_rowcount(await conn.execute(to_numbered(sql), *params)) for sql, params in statements]


@contextmanager
def _translated_errors() -> Iterator[None]:
    """asyncpg's errors in the store's terms: a unique violation, or the database out of reach."""
    try:
        yield
    except asyncpg.UniqueViolationError as exc:
        raise UniqueViolation(str(exc)) from exc
    except Exception as exc:
        if not _is_unavailable(exc):
            raise
        raise _unavailable(exc) from exc


def _unavailable(exc: BaseException) -> StoreUnavailable:
    """Says what happened without the connection string (it may hold a password)."""
    return StoreUnavailable(f"PostgreSQL is unreachable ({type(exc).__name__})")
