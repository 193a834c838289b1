"""Engines for a store URL: SQLite (WAL, busy timeout, one writer at a time) or PostgreSQL; Alembic upgrades."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_URL = "propscope.db"
BUSY_TIMEOUT_MS = 30_000


class StoreError(ValueError):
    """A store that cannot be opened: bad URL, unreachable server, unreadable file. One line."""


def normalise_url(url: str) -> str:
    """A file path means SQLite; ``postgresql://`` uses psycopg 3."""
    if "://" not in url:
        return "sqlite:///" + str(Path(url).expanduser())
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def is_sqlite(url: str) -> bool:
    return normalise_url(url).startswith("sqlite")


def make_engines(url: str) -> tuple[Engine, Engine]:
    """(reader, writer). For SQLite the writer takes the write lock at BEGIN, so two writers queue on
    busy_timeout instead of failing when a read transaction tries to upgrade; readers never block on WAL."""
    full = normalise_url(url)
    try:
        parsed = make_url(full)
    except ArgumentError as exc:
        raise StoreError(f"bad database URL {url!r}") from exc
    if not full.startswith("sqlite"):
        engine = create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
        return engine, engine
    if parsed.database and parsed.database != ":memory:":
        folder = Path(parsed.database).parent
        if not folder.is_dir():
            raise StoreError(f"cannot open {parsed.database}: folder {folder} does not exist")
    reader = _sqlite_engine(parsed, None)  # autocommit: each read sees the latest committed data, no BEGIN round trip
    writer = _sqlite_engine(parsed, "IMMEDIATE")
    return reader, writer


def _sqlite_engine(url: Any, begin: str | None) -> Engine:
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # pysqlite's own BEGIN handling is off; we emit BEGIN below
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")  # an acknowledged write survives a crash
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    if begin:

        @event.listens_for(engine, "begin")
        def _on_begin(conn: Any) -> None:
            conn.exec_driver_sql(f"BEGIN {begin}")

    return engine


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("propscope.store").joinpath("migrations")))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision, in one transaction; concurrent openers wait for each other."""
    from alembic import command

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(724100)"))  # any fixed key: serialises upgrades
        command.upgrade(_alembic_config(conn), "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
