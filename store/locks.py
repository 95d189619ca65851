"""The scheduler's lock: one process at a time runs the live loop over a database.

PostgreSQL: a session-level advisory lock held on a connection of its own for as long as the
process runs the loop; the server drops it when that connection dies, so a crashed scheduler
frees it at once. SQLite: an exclusive ``flock`` on a file beside the database, which the
kernel drops with the process. An in-memory SQLite database belongs to one process: always free.
"""

from __future__ import annotations

import fcntl
import logging
import os
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

# "BENNY" in ASCII: the advisory-lock key the scheduler takes on PostgreSQL.
ADVISORY_KEY = 0x42454E4E59


class SchedulerLock:
    """``acquire()`` without waiting; ``release()`` when the loop stops."""

    def __init__(self, engine: Engine, *, key: int = ADVISORY_KEY) -> None:
        self.engine = engine
        self.key = key
        self._connection: Any = None
        self._file: IO[str] | None = None
        self.held = False

    def acquire(self) -> bool:
        if self.held:
            return True
        backend = self.engine.url.get_backend_name()
        if backend == "postgresql":
            connection = self.engine.connect()
            got = bool(
                connection.execute(sa.text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
            )
            connection.commit()
            if got:
                self._connection = connection
            else:
                connection.close()
            self.held = got
            return got
        path = self.engine.url.database
        if not path or path == ":memory:":
            self.held = True
            return True
        lock_path = Path(f"{path}.scheduler.lock")
        # Owner-only, like the database beside it: it names the process holding the lock.
        handle = os.fdopen(os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600), "a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle
        self.held = True
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(sa.text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                self._connection.commit()
            except sa.exc.SQLAlchemyError:
                log.warning("the scheduler's advisory lock could not be released; its connection closes it")
            finally:
                self._connection.close()
                self._connection = None
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None
        self.held = False
