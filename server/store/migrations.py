"""Versioned SQL migrations: files named ``<version>_<name>.sql``, applied in version order, each once.

PostgreSQL (Supabase) reads ``supabase/migrations/``, the layout the Supabase CLI expects; SQLite reads its own
dialect of the same schema from ``server/store/sqlite_migrations/``. Each store records applied versions in a
``schema_migrations`` table and applies the pending ones when it opens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

POSTGRES_DIR = Path(__file__).resolve().parents[2] / "supabase" / "migrations"
SQLITE_DIR = Path(__file__).resolve().parent / "sqlite_migrations"

_NAME = re.compile(r"^(\d{14})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    sql: str


def load_migrations(directory: Path) -> list[Migration]:
    """Every migration in ``directory``, oldest first. A file not named like a migration is an error."""
    if not directory.is_dir():
        raise FileNotFoundError(f"migrations directory {directory} is missing")
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        match = _NAME.match(path.name)
        if match is None:
            raise ValueError(f"migration file {path.name} is not named <14-digit version>_<name>.sql")
        migrations.append(Migration(match[1], match[2], path.read_text(encoding="utf-8")))
    versions = [m.version for m in migrations]
    if len(set(versions)) != len(versions):
        raise ValueError(f"duplicate migration versions in {directory}")
    return migrations


def pending(migrations: list[Migration], applied: set[str]) -> list[Migration]:
    return [m for m in migrations if m.version not in applied]
