"""Getting a database ready to use: upgraded schema and the local user, as `benny init` does."""

from __future__ import annotations

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


def database_status(engine: Engine) -> str:
    """'ok', or the database's error in one line."""
    from store.db import check_connection

    return check_connection(engine)
