"""Alembic environment. ``propscope.store.engine.upgrade`` passes a connection in ``config.attributes``;
the ``alembic`` command line (for writing new revisions) passes ``sqlalchemy.url`` instead."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from propscope.store.models import Base

config = context.config


def _run(connection) -> None:
    # SQLite can roll DDL back too; one transaction per upgrade keeps a half-migrated file impossible.
    context.configure(connection=connection, target_metadata=Base.metadata, transactional_ddl=True)
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.begin() as conn:
        _run(conn)
