"""Getting a database ready to use (upgraded schema and the local user, as `benny init` does), and
checking that it still is (for /health and /metrics)."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import StoreError
from core.settings import Settings
from store import migrate
from store.db import Engine, make_engine, unit_of_work
from store.users import LOCAL_USER, ensure_user


def prepare_database(settings: Settings, engine: Engine | None = None) -> Engine:
    """Upgrade the schema and make sure the user 'local' exists; returns the engine."""
    engine = engine or make_engine(settings.resolved_database_url)
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        ensure_user(session=session, name=LOCAL_USER, now=settings.clock()())
    return engine


@dataclass(frozen=True)
class DatabaseStatus:
    """What a check of the database found: the schema's revision and the code's, or why it failed."""

    revision: str | None
    head: str | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def problem(self) -> str | None:
        """Why the database is not usable, in one line; None when it is."""
        if self.error is not None:
            return self.error
        if self.revision != self.head:
            at = f"revision {self.revision}" if self.revision else "no revision"
            return f"the schema is at {at}, this code needs {self.head}: run `benny db upgrade`"
        return None


def database_status(engine: Engine) -> DatabaseStatus:
    """The database checked now, on a connection of its own: opened, read, its schema at head."""
    head = migrate.head_revision()
    try:
        revision = migrate.checked_revision(engine)
    except StoreError as exc:
        return DatabaseStatus(revision=None, head=head, error=str(exc))
    return DatabaseStatus(revision=revision, head=head)
