"""Create and upgrade the schema with Alembic, from code (no alembic.ini needed)."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

# Alembic announces each of its plugins at INFO when imported; nobody starting Benny needs that.
logging.getLogger("alembic").setLevel(logging.WARNING)

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.runtime.migration import MigrationContext  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402
from sqlalchemy.exc import OperationalError, SQLAlchemyError  # noqa: E402

from core.errors import StoreError  # noqa: E402
from store.db import fresh_connection  # noqa: E402

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema up to ``revision`` (default: the newest). Safe to call at every start."""
    config = alembic_config(engine)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise StoreError(f"cannot reach the database: {reason}") from exc


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def checked_revision(engine: Engine) -> str | None:
    """The revision the schema is at, read now on a connection of its own (for health checks).

    None before the first upgrade; a ``StoreError`` when the database cannot be opened or read.
    """
    try:
        with fresh_connection(engine) as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as exc:  # the rest: a missing table, a lock; StoreError already passes
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"cannot read the schema's revision: {reason}") from exc


@cache  # the revision files do not change under a running process
def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def revision(engine: Engine, message: str) -> None:
    """For developers: autogenerate a new revision against a database at head."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True)
