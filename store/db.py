"""The engine and sessions. SQLite by default, PostgreSQL at scale, the same code for both.

A database that cannot be opened or read is a one-line ``DatabaseUnavailable`` (a ``StoreError``)
wherever the SQL runs: the engine turns a failed connection, a lost one and an unreadable file
into it (``_store_error``), so no face shows SQLAlchemy's own. An SQLite file is created once,
owner-only, when its engine is made; its connections then open it read-write without ever
creating it, and a pooled connection whose file was deleted or replaced is dropped at checkout.
So a deleted file is reported, never recreated empty, and a restored one is used at once.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.engine import URL, Connection, ExceptionContext, make_url
from sqlalchemy.engine import Engine as Engine
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import NullPool
from sqlmodel import Session as Session

from core.errors import ConfigError, DatabaseUnavailable, StoreError

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
    """Build an engine; a malformed or unsupported URL becomes a one-line ``ConfigError``.

    A missing SQLite file is created here, empty and owner-only, for the schema's upgrade to fill.
    """
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
    path = _sqlite_file(parsed)
    if path is not None:
        try:
            create_private_file(path)
        except OSError as exc:
            raise DatabaseUnavailable(f"cannot create the database file: {exc.strerror or exc}") from None
    return _build_engine(parsed, **kwargs)


def create_private_file(path: Path) -> None:
    """Make ``path`` (and its folder) if it is missing, readable and writable by its owner alone.

    SQLite gives a database's -wal and -shm files the database file's permissions, so they are
    private too. An existing file is left as it is.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_file(url: URL) -> Path | None:
    """The SQLite file a URL names, absolute; None for an in-memory database or an SQLite URI."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    if str(url.database).startswith("file:") or url.query.get("uri"):
        return None  # a URI's own options (mode=...) decide how it is opened
    return Path(str(url.database)).resolve()


def _build_engine(url: URL, **kwargs: Any) -> Engine:
    backend = url.get_backend_name()
    try:
        engine = sa.create_engine(url, pool_pre_ping=backend == "postgresql", **kwargs)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise ConfigError(f"DATABASE_URL cannot be used: {exc}") from None
    sa.event.listen(engine, "handle_error", _store_error)
    if backend == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_on_connect)
        path = _sqlite_file(url)
        if path is not None:
            _open_existing_only(engine, path)
    return engine


def _open_existing_only(engine: Engine, path: Path) -> None:
    """Connections to ``path`` never create it, and a pooled one whose file has gone is dropped.

    An open connection keeps the file it opened after that file is deleted or replaced, and reads
    on it go on succeeding. So each remembers the file (device and inode) it opened; at checkout,
    one whose file is no longer at ``path`` is dropped with the whole pool, and the pool
    reconnects: that fails while the file is missing, and opens a restored one.
    """
    location = f"file:{quote(str(path))}?mode=rw"

    def open_read_write(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
        cargs[:] = [location]
        cparams["uri"] = True

    def remember_file(_dbapi_connection: Any, record: Any) -> None:
        record.info["benny_file"] = _file_identity(path)

    def same_file(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        identity = _file_identity(path)
        if identity is None or identity != record.info.get("benny_file"):
            raise sa.exc.InvalidatePoolError(f"the database file {path} was deleted or replaced")

    sa.event.listen(engine, "do_connect", open_read_write)
    sa.event.listen(engine, "connect", remember_file)
    sa.event.listen(engine, "checkout", same_file)


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


def _store_error(context: ExceptionContext) -> DatabaseUnavailable | None:
    """A database that cannot be opened or read, or a connection lost: ``DatabaseUnavailable``.

    Only those: a refused statement (a duplicate row, a bad value, a lock) stays SQLAlchemy's for
    the code that handles it (``Conflict``, ``unit_of_work``). A failed pre-ping is the pool's to
    handle: it reconnects. The message names no host or file: the REST API and the chat show it.
    """
    error = context.sqlalchemy_exception
    if context.is_pre_ping or error is None:
        return None
    reason = str(context.original_exception).strip().splitlines()[0]
    if context.connection is None:  # raised while opening a connection
        return DatabaseUnavailable(f"cannot open the database: {reason}")
    if context.is_disconnect:
        return DatabaseUnavailable(f"lost the connection to the database: {reason}")
    if type(error) is sa.exc.DatabaseError:  # no finer class: SQLite's corrupt or unreadable file
        return DatabaseUnavailable(f"cannot read the database: {reason}")
    return None


# Per engine, a twin without a pool that opens a new connection each time (fresh_connection).
_FRESH: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()


@contextmanager
def fresh_connection(engine: Engine) -> Iterator[Connection]:
    """A connection opened for this call alone, never one from the pool: for health checks.

    It meets what a new process would: a deleted, replaced or corrupt SQLite file, a server that
    refuses new connections. When it fails the pool is emptied too, so the connections made once
    the database is back are all new.
    """
    twin = _FRESH.get(engine)
    if twin is None:
        twin = _FRESH.setdefault(engine, _build_engine(engine.url, poolclass=NullPool))
    try:
        with twin.connect() as connection:
            yield connection
    except DatabaseUnavailable:
        engine.dispose()
        raise


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
