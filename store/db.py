"""The engine and sessions. SQLite by default, PostgreSQL at scale, the same code for both."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine as Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlmodel import Session as Session

from core.errors import ConfigError, StoreError

_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=10000",
    "PRAGMA cache_size=-65536",  # 64 MiB: bulk imports update several large indexes at once
    "PRAGMA temp_store=MEMORY",
)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in _SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Build an engine; a malformed or unsupported URL becomes a one-line ``ConfigError``."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            f"DATABASE_URL is not a database URL: {url!r} (expected sqlite:///PATH or postgresql+psycopg://...)"
        ) from None
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL must be SQLite or PostgreSQL, got {parsed.render_as_string()!r}")
    if backend == "postgresql" and parsed.drivername == "postgresql":
        # psycopg 3 is the driver installed with Benny; plain postgresql:// would ask for psycopg2.
        parsed = parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    try:
        engine = sa.create_engine(parsed, pool_pre_ping=backend == "postgresql", **kwargs)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise ConfigError(f"DATABASE_URL cannot be used: {exc}") from None
    if backend == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_on_connect)
    return engine


def check_connection(engine: Engine) -> str:
    """'ok', or the database's error in one line (for /health)."""
    try:
        with engine.connect() as conn:
            conn.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError as exc:
        return f"error: {str(exc.orig if hasattr(exc, 'orig') and exc.orig else exc).splitlines()[0]}"
    return "ok"


@contextmanager
def unit_of_work(engine: Engine) -> Iterator[Session]:
    """One transaction: commit on success, roll back everything on any error."""
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except sa.exc.OperationalError as exc:
        session.rollback()
        raise StoreError(f"database error: {str(exc.orig).splitlines()[0] if exc.orig else exc}") from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def memory_location(database_url: str) -> str:
    """Where the chat's memory goes for a database URL: a file path, or a PostgreSQL conninfo."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            return ":memory:"
        path = Path(url.database)
        return str(path.with_name(f"{path.stem}.chat-memory{path.suffix or '.db'}"))
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql").render_as_string(hide_password=False)
    raise ConfigError(f"no chat memory for a {url.get_backend_name()} database")


def redacted_url(database_url: str) -> str:
    """The database URL with its password hidden, for messages and logs."""
    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:  # make_engine reports the malformed URL itself
        return "<unparsable DATABASE_URL>"
