"""The engine when its database goes wrong under it, and the files it creates.

A deleted SQLite file is reported, never silently recreated empty, and seen again once restored;
a corrupt one, or a PostgreSQL connection dropped mid-session, raises a one-line
``DatabaseUnavailable`` (never SQLAlchemy's own); the schema is read afresh at every check; and the
database files (with their -wal and -shm, the chat history's and the chat memory's) are owner-only.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from core.errors import DatabaseUnavailable
from services.setup import database_status, prepare_database
from store import migrate
from store.db import Engine, make_engine, unit_of_work
from store.users import find_user
from tests.conftest import PG_ADMIN_URL, _fresh_postgres, make_settings


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    engine = prepare_database(make_settings(sqlite_url))
    yield engine
    engine.dispose()


def _file(engine: Engine) -> Path:
    return Path(str(engine.url.database))


def _read_a_user(engine: Engine) -> None:
    with unit_of_work(engine) as session:
        find_user(session=session, name="local")


def _backup(engine: Engine, to: Path) -> None:
    """A consistent copy of the live database (SQLite's online backup), as an operator keeps one."""
    source, target = sqlite3.connect(_file(engine)), sqlite3.connect(to)
    source.backup(target)
    source.close()
    target.close()


def _delete(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _corrupt_header(path: Path) -> None:
    with path.open("r+b") as file:
        file.write(b"this is no longer an SQLite file" * 3)


def test_a_deleted_file_is_reported_not_recreated_and_its_restored_copy_is_used(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    path = _file(sqlite_engine)
    _read_a_user(sqlite_engine)  # the pool now holds a connection to the file
    assert database_status(sqlite_engine).ok
    _backup(sqlite_engine, tmp_path / "backup.db")
    _delete(path)

    status = database_status(sqlite_engine)
    assert not status.ok and status.error is not None and "unable to open database file" in status.error
    # Not the deleted file the pooled connection still holds:
    with pytest.raises(
        DatabaseUnavailable, match=r"^cannot open the database: unable to open database file$"
    ):
        _read_a_user(sqlite_engine)
    assert not path.exists()  # no connection made an empty one in its place

    shutil.copy(tmp_path / "backup.db", path)  # the operator restores it: no restart needed
    assert database_status(sqlite_engine).ok
    _read_a_user(sqlite_engine)


def test_a_corrupt_file_is_a_one_line_store_error(sqlite_engine: Engine) -> None:
    _read_a_user(sqlite_engine)
    sqlite_engine.dispose()  # the last connection writes the WAL back into the file and removes it
    _corrupt_header(_file(sqlite_engine))
    status = database_status(sqlite_engine)
    assert not status.ok and status.error is not None and "file is not a database" in status.error
    with pytest.raises(DatabaseUnavailable, match=r"^cannot open the database: file is not a database$"):
        _read_a_user(sqlite_engine)


def test_a_missing_file_is_made_once_when_the_engine_is(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    path = _file(engine)
    assert path.exists() and path.stat().st_size == 0  # made empty here, for the upgrade to fill
    path.unlink()
    with pytest.raises(DatabaseUnavailable, match="unable to open database file"):
        migrate.upgrade(engine)
    assert not path.exists()
    engine.dispose()


def test_a_file_that_cannot_be_made_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "home").write_text("a file where the data folder should be")
    with pytest.raises(DatabaseUnavailable, match=r"^cannot create the database file: File exists$"):
        make_engine(f"sqlite:///{tmp_path / 'home' / 'benny.db'}")


def test_the_schema_revision_is_read_at_every_check(db_url: str) -> None:
    engine = prepare_database(make_settings(db_url))
    head = migrate.head_revision()
    assert database_status(engine).revision == head
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0013'"))
    status = database_status(engine)
    assert (status.ok, status.revision, status.head, status.error) == (False, "0013", head, None)
    assert status.problem == f"the schema is at revision 0013, this code needs {head}: run `benny db upgrade`"
    engine.dispose()


@pytest.mark.postgres
def test_a_dropped_postgres_connection_is_a_store_error(postgres_server_url: str) -> None:
    _fresh_postgres(postgres_server_url)
    engine = prepare_database(make_settings(postgres_server_url))
    name = engine.url.database
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        lost = pytest.raises(DatabaseUnavailable, match=r"^lost the connection to the database: ")
        with lost, unit_of_work(engine) as session:
            find_user(session=session, name="local")
            with admin.connect() as conn:  # as a server restart or a failover would
                conn.execute(
                    sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :db"),
                    {"db": name},
                )
            find_user(session=session, name="nobody")
        _read_a_user(engine)  # the next session reconnects
        assert database_status(engine).ok
    finally:
        admin.dispose()
        engine.dispose()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_files_are_created_owner_only(sqlite_url: str) -> None:
    from agent.memory import open_checkpointer
    from store.chat_history import chat_history_location, upgrade_chat_history

    previous = os.umask(0o022)  # the usual umask, which leaves new files readable by everyone
    try:
        engine = prepare_database(make_settings(sqlite_url))
        _read_a_user(engine)  # WAL: the -wal and -shm files exist while a connection is open
        location = chat_history_location(sqlite_url)
        assert location is not None
        upgrade_chat_history(location)
        saver = open_checkpointer(sqlite_url)
    finally:
        os.umask(previous)
    home = _file(engine).parent
    with engine.connect():
        files = {p.name: _mode(p) for p in home.iterdir() if not p.name.endswith(".lock")}
    saver.conn.close()
    engine.dispose()
    assert {"benny.db", "benny.db-wal", "benny.db-shm", "chat.db", "benny.chat-memory.db"} <= set(files)
    assert files == dict.fromkeys(files, 0o600)


def test_the_scheduler_lock_file_is_owner_only(tmp_path: Path) -> None:
    from store.db import make_engine
    from store.locks import SchedulerLock

    engine = make_engine(f"sqlite:///{tmp_path / 'benny.db'}")
    lock = SchedulerLock(engine)
    try:
        assert lock.acquire()
        assert (tmp_path / "benny.db.scheduler.lock").stat().st_mode & 0o777 == 0o600
    finally:
        lock.release()
        engine.dispose()
