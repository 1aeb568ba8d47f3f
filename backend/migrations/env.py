import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from unionhub.core.config import get_settings
from unionhub.models import Base

target_metadata = Base.metadata


def _include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # Exclusion constraints are written by hand in migrations; the job queue's tables
    # (procrastinate_*) are procrastinate's own, created from its schema (revision 5c1f0e2a9d41).
    if type_ == "table" and reflected and compare_to is None:
        return not name.startswith(("pg_", "procrastinate_"))
    # References checked by triggers instead (unionhub.members.models.BY_TRIGGER, ADR 0016).
    if type_ == "foreign_key_constraint" and not reflected:
        return not any(fk.info.get("by_trigger") for fk in obj.elements)
    return True


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        include_object=_include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async() -> None:
    engine = create_async_engine(get_settings().database_url)
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(
        url=get_settings().database_url, target_metadata=target_metadata, literal_binds=True
    )
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_async())
