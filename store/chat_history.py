"""The browser chat's history: Chainlit's SQLAlchemy data layer, its schema, and a file store for charts.

Chainlit's data layer keeps threads, steps, elements and feedback in tables of its own, and one
of them is called ``users`` like Benny's. So the two never share a namespace:

- SQLite: a sibling file, ``chat.db`` next to Benny's database, opened with ``sqlite+aiosqlite``;
- PostgreSQL: the schema ``chainlit`` in Benny's database, opened with ``postgresql+asyncpg``
  and ``search_path=chainlit``, so Chainlit's unqualified ``users`` is ``chainlit.users``.

Chainlit never creates its schema; ``create_chat_schema`` does, idempotently, at every start,
and adds any column a newer Chainlit expects to tables an older one left (a missing column only
shows as a logged warning and steps lost on resume). Elements (charts) are kept on local disk by
``LocalFileStorage``; the app serves them back under ``FILES_ROUTE``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from chainlit.data.storage_clients.base import BaseStorageClient
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.engine import Engine, make_url

from core.errors import ConfigError

log = logging.getLogger(__name__)

PG_SCHEMA = "chainlit"
SQLITE_FILE = "chat.db"
FILES_ROUTE = "/benny-files"


# --- Where the history lives -----------------------------------------------------------------


@dataclass(frozen=True)
class ChatHistoryLocation:
    """How to reach the history: a sync URL to create the schema, an async one for Chainlit."""

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


# --- Chainlit's schema (2.12: the documented tables plus the columns its code writes) ---------


def chat_metadata(schema: str | None) -> sa.MetaData:
    """Chainlit's five tables, typed for PostgreSQL (UUID, JSONB, TEXT[]) and plain on SQLite."""
    uid = UUID(as_uuid=False).with_variant(sa.Text(), "sqlite")
    jsonb = JSONB().with_variant(sa.JSON(), "sqlite")
    texts = ARRAY(sa.Text()).with_variant(sa.JSON(), "sqlite")
    prefix = f"{schema}." if schema else ""
    md = sa.MetaData(schema=schema)
    sa.Table(
        "users",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("identifier", sa.Text, nullable=False, unique=True),
        sa.Column("metadata", jsonb, nullable=False),
        sa.Column("createdAt", sa.Text),
    )
    sa.Table(
        "threads",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("createdAt", sa.Text),
        sa.Column("name", sa.Text),
        sa.Column("userId", uid, sa.ForeignKey(f"{prefix}users.id", ondelete="CASCADE")),
        sa.Column("userIdentifier", sa.Text),
        sa.Column("tags", texts),
        sa.Column("metadata", jsonb),
    )
    sa.Table(
        "steps",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("threadId", uid, sa.ForeignKey(f"{prefix}threads.id", ondelete="CASCADE"), nullable=False),
        sa.Column("parentId", uid),
        sa.Column("streaming", sa.Boolean, nullable=False),
        sa.Column("waitForAnswer", sa.Boolean),
        sa.Column("isError", sa.Boolean),
        sa.Column("metadata", jsonb),
        sa.Column("tags", texts),
        sa.Column("input", sa.Text),
        sa.Column("output", sa.Text),
        sa.Column("createdAt", sa.Text),
        sa.Column("command", sa.Text),
        sa.Column("start", sa.Text),
        sa.Column("end", sa.Text),
        sa.Column("generation", jsonb),
        sa.Column("showInput", sa.Text),
        sa.Column("language", sa.Text),
        sa.Column("indent", sa.Integer),
        sa.Column("defaultOpen", sa.Boolean),
        sa.Column("autoCollapse", sa.Boolean),  # written by Step.to_dict, missing from the docs
        sa.Column("modes", sa.JSON),  # written by Message.to_dict since 2.9.4
        sa.Index("ix_chainlit_steps_thread_id", "threadId"),
    )
    sa.Table(
        "elements",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("threadId", uid, sa.ForeignKey(f"{prefix}threads.id", ondelete="CASCADE")),
        sa.Column("type", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("chainlitKey", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("display", sa.Text),
        sa.Column("objectKey", sa.Text),
        sa.Column("size", sa.Text),
        sa.Column("page", sa.Integer),
        sa.Column("language", sa.Text),
        sa.Column("forId", uid),
        sa.Column("mime", sa.Text),
        sa.Column("props", jsonb),
        sa.Column("autoPlay", sa.Boolean),
        sa.Column("playerConfig", jsonb),
        sa.Index("ix_chainlit_elements_thread_id", "threadId"),
    )
    sa.Table(
        "feedbacks",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("forId", uid, nullable=False),
        sa.Column("threadId", uid, sa.ForeignKey(f"{prefix}threads.id", ondelete="CASCADE"), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        sa.Column("comment", sa.Text),
    )
    return md


def create_chat_schema(engine: Engine, schema: str | None = None) -> list[str]:
    """Create Chainlit's tables if missing, and add any missing column; returns what was added.

    Safe at every start and under concurrent starts on PostgreSQL (``IF NOT EXISTS`` throughout).
    """
    md = chat_metadata(schema)
    added: list[str] = []
    with engine.begin() as conn:
        if schema is not None:
            conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        md.create_all(conn, checkfirst=True)
        inspector = sa.inspect(conn)
        for table in md.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name, schema=schema)}
            for column in table.columns:
                if column.name in present:
                    continue
                ddl = column.type.dialect_impl(conn.dialect).compile(dialect=conn.dialect)
                qualified = f'"{schema}"."{table.name}"' if schema else f'"{table.name}"'
                exists = " IF NOT EXISTS" if conn.dialect.name == "postgresql" else ""
                conn.execute(sa.text(f'ALTER TABLE {qualified} ADD COLUMN{exists} "{column.name}" {ddl}'))
                added.append(f"{table.name}.{column.name}")
    if added:
        log.info("chat history: added columns %s", ", ".join(added), extra={"columns": added})
    return added


# --- Elements on local disk --------------------------------------------------------------------


class FileStoreError(ValueError):
    """An object key that would leave the store's folder."""


class LocalFileStorage(BaseStorageClient):
    """Chainlit's storage client on local disk: ``root/<object key>``, its type beside it.

    Chainlit names an element's object key ``<chainlit user id>/<element id>/<name>``, so the
    first segment of a key says whose it is: the route that serves files checks it.
    """

    def __init__(self, root: Path, url_prefix: str = FILES_ROUTE) -> None:
        self.root = root.resolve()
        self.url_prefix = url_prefix.rstrip("/")

    def path_of(self, object_key: str) -> Path:
        parts = object_key.split("/")
        if not object_key or any(p in ("", ".", "..") or "\\" in p or "\x00" in p for p in parts):
            raise FileStoreError(f"bad object key {object_key!r}")
        path = (self.root / object_key).resolve()
        if not path.is_relative_to(self.root):
            raise FileStoreError(f"bad object key {object_key!r}")
        return path

    def _write(self, object_key: str, data: bytes, mime: str, overwrite: bool) -> None:
        path = self.path_of(object_key)
        if path.exists() and not overwrite:
            raise FileExistsError(object_key)
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, payload in ((path, data), (_meta(path), json.dumps({"mime": mime}).encode())):
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
            with os.fdopen(fd, "wb") as out:
                out.write(payload)
            os.replace(tmp, target)

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        payload = data.encode("utf-8") if isinstance(data, str) else data
        await asyncio.to_thread(self._write, object_key, payload, mime, overwrite)
        return {"object_key": object_key, "url": await self.get_read_url(object_key)}

    async def delete_file(self, object_key: str) -> bool:
        path = self.path_of(object_key)
        existed = path.exists()
        path.unlink(missing_ok=True)
        _meta(path).unlink(missing_ok=True)
        return existed

    async def get_read_url(self, object_key: str) -> str:
        self.path_of(object_key)
        return f"{self.url_prefix}/{quote(object_key)}"

    async def close(self) -> None:
        return None

    def read(self, object_key: str) -> tuple[bytes, str] | None:
        """A stored file's bytes and type, or None if there is none (or the key is bad)."""
        try:
            path = self.path_of(object_key)
        except FileStoreError:
            return None
        if not path.is_file():
            return None
        try:
            mime = str(json.loads(_meta(path).read_text())["mime"])
        except (OSError, ValueError, KeyError):
            mime = "application/octet-stream"
        return path.read_bytes(), mime


def _meta(path: Path) -> Path:
    return path.with_name(f"{path.name}.meta.json")


# --- Chainlit's data layer over both ------------------------------------------------------------


def open_data_layer(location: ChatHistoryLocation, files: LocalFileStorage) -> Any:
    """Chainlit's ``SQLAlchemyDataLayer`` on the history's database, elements kept in ``files``."""
    from chainlit.data.sql_alchemy import SQLAlchemyDataLayer

    return SQLAlchemyDataLayer(
        conninfo=location.async_url,
        connect_args=dict(location.connect_args),
        ssl_require=location.ssl_require,
        storage_provider=files,
    )
