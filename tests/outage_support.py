"""Taking the database away for real, on both databases: PostgreSQL behind a proxy the test cuts, SQLite locked by
another connection (as another process holding the write lock would)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tests.postgres import POSTGRES_URL, connect, temporary_schema
from tests.tcp_proxy import TcpProxy


def through(proxy: TcpProxy) -> str:
    """The test PostgreSQL's URL, pointing at the proxy instead."""
    parts = urlsplit(POSTGRES_URL)
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{proxy.port}"))


@asynccontextmanager
async def postgres_behind_proxy() -> AsyncIterator[tuple[TcpProxy, str, str]]:
    """A proxy to the real PostgreSQL, its URL, and a fresh schema (dropped afterwards)."""
    await (await connect()).close()  # fails under CI=true, skips elsewhere, when PostgreSQL is unreachable
    parts = urlsplit(POSTGRES_URL)
    proxy = await TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432).start()
    try:
        async with temporary_schema() as schema:
            yield proxy, through(proxy), schema
    finally:
        await proxy.close()


@contextmanager
def sqlite_write_locked(path: Path) -> Iterator[None]:
    """Hold the database's write lock from another connection: the server can read but not write."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("begin immediate")
        yield
        holder.execute("rollback")
    finally:
        holder.close()
