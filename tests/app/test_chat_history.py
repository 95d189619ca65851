"""The chat history's schema and files, on SQLite and PostgreSQL, driven through Chainlit's own data layer."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

import chainlit as cl
import plotly.graph_objects as go
import pytest
import sqlalchemy as sa
from chainlit.context import init_http_context

from services.setup import prepare_database
from store.chat_history import (
    PG_SCHEMA,
    FileStoreError,
    LocalFileStorage,
    chat_history_location,
    chat_metadata,
    create_chat_schema,
)
from tests.conftest import make_settings
from web.chat_store import ChatHistory, prepare_chat_history


def test_sqlite_history_is_a_sibling_file() -> None:
    where = chat_history_location("sqlite:////srv/benny/benny.db")
    assert where is not None
    assert (where.sync_url, where.async_url) == (
        "sqlite:////srv/benny/chat.db",
        "sqlite+aiosqlite:////srv/benny/chat.db",
    )
    assert where.schema is None
    assert chat_history_location("sqlite://") is None
    assert chat_history_location("sqlite:///:memory:") is None


def test_postgres_history_is_a_schema_of_the_same_database() -> None:
    where = chat_history_location(
        "postgresql+psycopg://benny:pw@db:5432/benny?connect_timeout=5&sslmode=require"
    )
    assert where is not None
    assert where.sync_url == "postgresql+psycopg://benny:pw@db:5432/benny"
    assert where.async_url == "postgresql+asyncpg://benny:pw@db:5432/benny"
    assert (where.schema, where.ssl_require) == (PG_SCHEMA, True)
    assert where.connect_args == {"server_settings": {"search_path": "chainlit"}}


@pytest.fixture
def history_db(db_url: str) -> str:
    """``db_url`` with no history left from another test (its fresh PostgreSQL keeps other schemas)."""
    if db_url.startswith("postgresql"):
        engine = sa.create_engine(db_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
        engine.dispose()
    return db_url


def _columns(engine: sa.Engine, table: str, schema: str | None) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns(table, schema=schema)}


def test_schema_is_created_once_and_repaired_when_a_column_is_missing(history_db: str) -> None:
    history = prepare_chat_history(make_settings(history_db))
    assert history is not None
    engine = sa.create_engine(history.location.sync_url)
    schema = history.location.schema
    try:
        assert {"autoCollapse", "modes", "defaultOpen", "command"} <= _columns(engine, "steps", schema)
        assert {"objectKey", "props", "forId", "mime"} <= _columns(engine, "elements", schema)
        assert create_chat_schema(engine, schema) == []  # idempotent
        qualified = f'"{schema}".steps' if schema else "steps"
        with engine.begin() as conn:
            conn.execute(sa.text(f'ALTER TABLE {qualified} DROP COLUMN "autoCollapse"'))
            conn.execute(sa.text(f"ALTER TABLE {qualified} DROP COLUMN modes"))
        assert create_chat_schema(engine, schema) == ["steps.autoCollapse", "steps.modes"]
        assert {"autoCollapse", "modes"} <= _columns(engine, "steps", schema)
    finally:
        engine.dispose()


def test_chainlits_users_table_never_touches_bennys(history_db: str) -> None:
    settings = make_settings(history_db)
    benny = prepare_database(settings)
    history = prepare_chat_history(settings)
    assert history is not None
    chat = sa.create_engine(history.location.sync_url)
    try:
        assert "password_hash" in _columns(benny, "users", None)
        assert "identifier" not in _columns(benny, "users", None)
        assert "identifier" in _columns(chat, "users", history.location.schema)
    finally:
        chat.dispose()
        benny.dispose()


async def _round_trip(history: ChatHistory) -> dict[str, Any]:
    init_http_context()
    layer = history.data_layer()
    try:
        user = await layer.create_user(cl.User(identifier="alice"))
        assert user is not None
        thread_id, step_id = str(uuid.uuid4()), str(uuid.uuid4())
        await layer.update_thread(thread_id, name="Model leaderboard", user_id=user.id)
        step = cl.Step(name="compare_models", type="tool", thread_id=thread_id, id=step_id)
        step.input, step.output, step.auto_collapse = '{"days": "30"}', "[]", True
        await layer.create_step(step.to_dict())
        chart = cl.Plotly(name="leaderboard", figure=go.Figure(go.Scatter(x=[0.6], y=["value"])))
        chart.thread_id, chart.for_id = thread_id, step_id
        await layer.create_element(chart)
        thread = await layer.get_thread(thread_id)
        assert thread is not None
        listed = await layer.list_threads(
            cl.types.Pagination(first=10), cl.types.ThreadFilter(userId=user.id)
        )
        return {"thread": thread, "listed": [t["id"] for t in listed.data], "user_id": user.id}
    finally:
        await layer.close()


def test_chainlits_data_layer_keeps_a_thread_with_its_steps_and_chart(history_db: str) -> None:
    history = prepare_chat_history(make_settings(history_db))
    assert history is not None
    out = asyncio.run(_round_trip(history))
    thread = out["thread"]
    assert out["listed"] == [thread["id"]]
    assert (thread["name"], thread["userIdentifier"]) == ("Model leaderboard", "alice")
    assert [(s["name"], s["output"]) for s in thread["steps"]] == [("compare_models", "[]")]
    (element,) = thread["elements"]
    assert element["url"].startswith(f"/benny-files/{out['user_id']}/")
    stored = history.files.read(element["objectKey"])
    assert stored is not None
    content, mime = stored
    assert mime == "application/json"
    assert b'"value"' in content


def test_file_store_round_trip_and_refuses_keys_that_leave_it(tmp_path: Path) -> None:
    files = LocalFileStorage(tmp_path / "files")
    uploaded = asyncio.run(files.upload_file("u1/e1/leader board", b"{}", mime="application/json"))
    assert uploaded == {"object_key": "u1/e1/leader board", "url": "/benny-files/u1/e1/leader%20board"}
    assert files.read("u1/e1/leader board") == (b"{}", "application/json")
    assert asyncio.run(files.delete_file("u1/e1/leader board")) is True
    assert files.read("u1/e1/leader board") is None
    for key in ("../outside", "u1/../../outside", "/etc/passwd", "", "u1//x"):
        assert files.read(key) is None
        with pytest.raises(FileStoreError):
            asyncio.run(files.upload_file(key, b"x"))


def test_schema_defines_chainlits_five_tables() -> None:
    assert sorted(chat_metadata(None).tables) == ["elements", "feedbacks", "steps", "threads", "users"]
    assert sorted(chat_metadata(PG_SCHEMA).tables)[0] == "chainlit.elements"
