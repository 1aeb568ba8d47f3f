"""The migration chain: an empty database goes to head, one step down, and up to head again.

After the step down the schema must be exactly what the previous revision builds from empty,
and after the step up again exactly what head builds.

Runs the alembic commands (through migrations/env.py, which reads DATABASE_URL like a
deployment) on a throwaway database of its own: the test database's name plus `_migrations`.
"""

import asyncio
from collections.abc import Iterator
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]
import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import URL, make_url

from unionhub.core.config import get_settings

BACKEND = Path(__file__).resolve().parents[1]

SCHEMA_QUERIES = (
    "SELECT table_name, column_name, data_type, is_nullable, column_default "
    "FROM information_schema.columns WHERE table_schema = 'public'",
    "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'",
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
    "WHERE connamespace = 'public'::regnamespace",
    "SELECT event_object_table, trigger_name, action_statement, action_condition "
    "FROM information_schema.triggers WHERE trigger_schema = 'public'",
    # With the body: a revision may only redefine a function (or a trigger's condition).
    "SELECT p.proname, pg_get_function_identity_arguments(p.oid), p.prosrc FROM pg_proc p "
    "WHERE p.pronamespace = 'public'::regnamespace AND p.prokind = 'f' "
    "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')",
    "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'",
    "SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid "
    "WHERE t.typnamespace = 'public'::regnamespace",
    "SELECT extname FROM pg_extension",
)


async def _connect(url: URL) -> asyncpg.Connection:
    return await asyncpg.connect(url.set(drivername="postgresql").render_as_string(False))


async def _admin(url: URL, statement: str) -> None:
    conn = await _connect(url.set(database="postgres"))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


async def _inspect(url: URL) -> tuple[list[str], list[list[tuple[object, ...]]]]:
    """(the alembic_version rows, the public schema) of the database."""
    conn = await _connect(url)
    try:
        versions = []
        if await conn.fetchval("SELECT to_regclass('public.alembic_version') IS NOT NULL"):
            versions = [
                row[0] for row in await conn.fetch("SELECT version_num FROM alembic_version")
            ]
        schema = [sorted(tuple(row) for row in await conn.fetch(q)) for q in SCHEMA_QUERIES]
        return versions, schema
    finally:
        await conn.close()


@pytest.fixture
def empty_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[URL]:
    """A new, empty database; DATABASE_URL (and so get_settings()) points at it meanwhile."""
    test_url = make_url(get_settings().database_url)
    assert test_url.database and "test" in test_url.database
    url = test_url.set(database=f"{test_url.database}_migrations")
    drop = f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'
    asyncio.run(_admin(url, drop))
    asyncio.run(_admin(url, f'CREATE DATABASE "{url.database}"'))
    monkeypatch.setenv("DATABASE_URL", url.render_as_string(hide_password=False))
    get_settings.cache_clear()
    try:
        yield url
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
        asyncio.run(_admin(url, drop))


def test_chain_upgrades_from_empty_then_down_one_and_up_again(empty_database: URL) -> None:
    config = Config(str(BACKEND / "alembic.ini"))
    script = ScriptDirectory.from_config(config)
    heads = script.get_heads()
    assert len(heads) == 1, f"the migrations have {len(heads)} heads: {heads}"
    head = script.get_revision(heads[0])
    assert head is not None
    assert not isinstance(head.down_revision, tuple), "the head revision merges branches"
    previous = head.down_revision

    command.upgrade(config, previous or "base")
    versions, at_previous = asyncio.run(_inspect(empty_database))
    assert versions == ([previous] if previous else [])

    command.upgrade(config, "head")
    versions, at_head = asyncio.run(_inspect(empty_database))
    assert versions == [head.revision]
    assert at_head != at_previous, "the head revision changed nothing"

    command.downgrade(config, "-1")
    versions, after_down = asyncio.run(_inspect(empty_database))
    assert versions == ([previous] if previous else [])
    assert after_down == at_previous, "downgrade -1 does not give back the previous schema"

    command.upgrade(config, "head")
    versions, again = asyncio.run(_inspect(empty_database))
    assert versions == [head.revision]
    assert again == at_head, "the schema after down one and up again differs from head's"
