"""The real PostgreSQL server the store tests use (CI has it at 127.0.0.1:5432, trust auth, database ``test``).

Each user gets a schema of its own, dropped afterwards, so concurrent runs and tests never collide. When the
server is unreachable the tests fail under ``CI=true`` and skip with the reason elsewhere.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest

POSTGRES_URL = os.environ.get("VIVA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


async def connect() -> asyncpg.Connection:
    try:
        return await asyncpg.connect(POSTGRES_URL, timeout=5)
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        reason = f"PostgreSQL at {POSTGRES_URL} is unreachable: {exc!r}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@asynccontextmanager
async def temporary_schema(prefix: str = "viva_test") -> AsyncIterator[str]:
    """A fresh, empty schema name; the schema (created by the store or the caller) is dropped at exit."""
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        yield schema
    finally:
        conn = await connect()
        try:
            await conn.execute(f'drop schema if exists "{schema}" cascade')
        finally:
            await conn.close()
