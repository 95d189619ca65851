"""Where the browser chat's history lives, and its schema, migrated by an Alembic chain of its own.

Chainlit's data layer keeps threads, steps, elements and feedback in tables of its own, and one
of them is called ``users`` like Benny's. So the two never share a namespace:

- SQLite: a sibling file, ``chat.db`` next to Benny's database (Chainlit opens it with
  ``sqlite+aiosqlite``);
- PostgreSQL: the schema ``chainlit`` in Benny's database (Chainlit opens it with
  ``postgresql+asyncpg`` and ``search_path=chainlit``, so its unqualified ``users`` is
  ``chainlit.users``).

Chainlit never creates its tables. The revisions in ``store/chat_migrations/versions/`` do,
through a sync driver, with their own version table (``chainlit_alembic_version``, in the
history's database or schema) so they never meet Benny's chain. ``upgrade_chat_history`` runs
at every start and is a no-op at head; a newer Chainlit that writes a new column needs a new
revision there. The first revision takes over tables made before the chain existed as they are.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

# Alembic announces each of its plugins at INFO when imported; nobody starting Benny needs that.
logging.getLogger("alembic").setLevel(logging.WARNING)

from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.runtime.migration import MigrationContext  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402
from sqlalchemy.engine import Connection, Engine, make_url  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from core.errors import ConfigError, StoreError  # noqa: E402
from store.db import make_engine  # noqa: E402

PG_SCHEMA = "chainlit"
SQLITE_FILE = "chat.db"
CHAT_MIGRATIONS = Path(__file__).resolve().parent / "chat_migrations"
VERSION_TABLE = "chainlit_alembic_version"
# "CHAT" in ASCII: app processes starting together on PostgreSQL migrate the history one at a time.
ADVISORY_KEY = 0x43484154


@dataclass(frozen=True)
class ChatHistoryLocation:
    """How to reach the history: a sync URL to migrate the schema, an async one for Chainlit."""

    sync_url: str
    async_url: str
    schema: str | None = None  # PostgreSQL only
    connect_args: dict[str, Any] = field(default_factory=dict)
    ssl_require: bool = False


def chat_history_location(database_url: str) -> ChatHistoryLocation | None:
    """Where the chat history goes for Benny's database URL; None for an in-memory SQLite."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        if not url.database or url.database == ":memory:":
            return None
        path = Path(url.database).resolve().with_name(SQLITE_FILE)
        return ChatHistoryLocation(
            sync_url=f"sqlite:///{path.as_posix()}", async_url=f"sqlite+aiosqlite:///{path.as_posix()}"
        )
    if backend == "postgresql":
        # asyncpg takes none of psycopg's query options (connect_timeout, sslmode, ...): drop them,
        # keeping only whether TLS is required.
        sslmode = str(url.query.get("sslmode", ""))
        base = url.set(query={})
        return ChatHistoryLocation(
            sync_url=base.set(drivername="postgresql+psycopg").render_as_string(hide_password=False),
            async_url=base.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False),
            schema=PG_SCHEMA,
            connect_args={"server_settings": {"search_path": PG_SCHEMA}},
            ssl_require=sslmode in ("require", "verify-ca", "verify-full"),
        )
    raise ConfigError(f"no chat history for a {backend} database")


# --- The schema's migrations -------------------------------------------------------------------


def _config(connection: Connection, schema: str | None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(CHAT_MIGRATIONS))
    # env.py and the revisions read these; nothing is looked up by import when Alembic loads them.
    config.attributes.update(connection=connection, schema=schema, version_table=VERSION_TABLE)
    return config


def upgrade_chat_history(location: ChatHistoryLocation, revision: str = "head") -> None:
    """Bring the history's schema up to ``revision`` (default: the newest). Safe at every start."""
    engine = make_engine(location.sync_url)
    try:
        with engine.begin() as connection:
            if location.schema is not None:
                # Held to the end of this transaction: a second process waits, then finds it at head.
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_KEY})
                connection.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{location.schema}"'))
            command.upgrade(_config(connection, location.schema), revision)
    except OperationalError as exc:
        reason = str(exc.orig or exc).strip().splitlines()[0]
        raise StoreError(f"cannot reach the chat history's database: {reason}") from exc
    finally:
        engine.dispose()


def chat_history_revision(engine: Engine, schema: str | None = None) -> str | None:
    """The revision the history's schema is at; None before its first upgrade."""
    with engine.connect() as connection:
        opts = {"version_table": VERSION_TABLE, "version_table_schema": schema}
        return MigrationContext.configure(connection, opts=opts).get_current_revision()


def chat_history_head() -> str | None:
    return ScriptDirectory(str(CHAT_MIGRATIONS)).get_current_head()
