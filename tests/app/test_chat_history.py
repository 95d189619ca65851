"""The chat history's schema (an Alembic chain of its own) and files, on SQLite and PostgreSQL,
driven through Chainlit's own data layer."""

from __future__ import annotations

import asyncio
import concurrent.futures
import uuid
from pathlib import Path
from typing import Any
from unittest.mock import patch

import chainlit as cl
import plotly.graph_objects as go
import pytest
import sqlalchemy as sa
from chainlit.context import init_http_context
from chainlit.data.acl import is_thread_author
from fastapi import HTTPException
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID

from services.setup import prepare_database
from store.chat_history import (
    PG_SCHEMA,
    VERSION_TABLE,
    chat_history_head,
    chat_history_location,
    chat_history_revision,
    upgrade_chat_history,
)
from store.db import make_engine
from tests.conftest import make_settings
from web.chat_store import ChatHistory, prepare_chat_history
from web.files import FileStoreError, LocalFileStorage


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


def test_the_history_is_migrated_to_head_and_an_upgrade_again_changes_nothing(history_db: str) -> None:
    history = prepare_chat_history(make_settings(history_db))
    assert history is not None
    engine = sa.create_engine(history.location.sync_url)
    schema = history.location.schema
    try:
        assert chat_history_revision(engine, schema) == chat_history_head() == "0001"
        assert {"autoCollapse", "modes", "defaultOpen", "command"} <= _columns(engine, "steps", schema)
        assert {"objectKey", "props", "forId", "mime"} <= _columns(engine, "elements", schema)
        before = {t: _columns(engine, t, schema) for t in sa.inspect(engine).get_table_names(schema=schema)}
        upgrade_chat_history(history.location)  # the next start
        after = {t: _columns(engine, t, schema) for t in sa.inspect(engine).get_table_names(schema=schema)}
        assert after == before
        assert chat_history_revision(engine, schema) == "0001"
    finally:
        engine.dispose()


def test_the_history_holds_chainlits_five_tables_and_its_own_version_table(history_db: str) -> None:
    location = chat_history_location(history_db)
    assert location is not None
    upgrade_chat_history(location)
    engine = sa.create_engine(location.sync_url)
    try:
        tables = set(sa.inspect(engine).get_table_names(schema=location.schema))
        assert tables == {"users", "threads", "steps", "elements", "feedbacks", VERSION_TABLE}
        if location.schema is not None:  # nothing of the history's in Benny's schema
            assert not {"threads", VERSION_TABLE} & set(sa.inspect(engine).get_table_names(schema="public"))
    finally:
        engine.dispose()


# --- a history made before the migrations: the app's own DDL, as it ran at every start ----------


ADA = str(uuid.uuid4())


def _made_before_migrations(url: str, schema: str | None, *, without: tuple[str, ...]) -> None:
    """Chainlit's tables as the app made them before the chain, ``steps`` lacking ``without``."""
    uid = UUID(as_uuid=False).with_variant(sa.Text(), "sqlite")
    jsonb = JSONB().with_variant(sa.JSON(), "sqlite")
    texts = ARRAY(sa.Text()).with_variant(sa.JSON(), "sqlite")
    prefix = f"{schema}." if schema else ""
    md = sa.MetaData(schema=schema)

    def fk(table: str) -> sa.ForeignKey:
        return sa.ForeignKey(f"{prefix}{table}.id", ondelete="CASCADE")

    def text(*names: str) -> list[sa.Column[Any]]:
        return [sa.Column(name, sa.Text) for name in names]

    sa.Table(
        "users",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("identifier", sa.Text, nullable=False, unique=True),
        sa.Column("metadata", jsonb, nullable=False),
        *text("createdAt"),
    )
    sa.Table(
        "threads",
        md,
        sa.Column("id", uid, primary_key=True),
        *text("createdAt", "name"),
        sa.Column("userId", uid, fk("users")),
        *text("userIdentifier"),
        sa.Column("tags", texts),
        sa.Column("metadata", jsonb),
    )
    steps = [
        sa.Column("id", uid, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("threadId", uid, fk("threads"), nullable=False),
        sa.Column("parentId", uid),
        sa.Column("streaming", sa.Boolean, nullable=False),
        sa.Column("waitForAnswer", sa.Boolean),
        sa.Column("isError", sa.Boolean),
        sa.Column("metadata", jsonb),
        sa.Column("tags", texts),
        *text("input", "output", "createdAt", "command", "start", "end"),
        sa.Column("generation", jsonb),
        *text("showInput", "language"),
        sa.Column("indent", sa.Integer),
        sa.Column("defaultOpen", sa.Boolean),
        sa.Column("autoCollapse", sa.Boolean),
        sa.Column("modes", sa.JSON),
    ]
    sa.Table(
        "steps",
        md,
        *[c for c in steps if c.name not in without],
        sa.Index("ix_chainlit_steps_thread_id", "threadId"),
    )
    sa.Table(
        "elements",
        md,
        sa.Column("id", uid, primary_key=True),
        sa.Column("threadId", uid, fk("threads")),
        *text("type", "url", "chainlitKey"),
        sa.Column("name", sa.Text, nullable=False),
        *text("display", "objectKey", "size"),
        sa.Column("page", sa.Integer),
        *text("language"),
        sa.Column("forId", uid),
        *text("mime"),
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
        sa.Column("threadId", uid, fk("threads"), nullable=False),
        sa.Column("value", sa.Integer, nullable=False),
        *text("comment"),
    )
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            if schema is not None:
                conn.execute(sa.text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            md.create_all(conn)
            users, threads = md.tables[f"{prefix}users"], md.tables[f"{prefix}threads"]
            conn.execute(users.insert().values(id=ADA, identifier="ada", metadata={}))
            conn.execute(threads.insert().values(id=str(uuid.uuid4()), name="Odds tonight", userId=ADA))
    finally:
        engine.dispose()


@pytest.mark.parametrize("without", [(), ("autoCollapse", "modes")], ids=["as-made", "older-steps"])
def test_a_history_made_before_the_migrations_upgrades_in_place_with_its_rows(
    history_db: str, without: tuple[str, ...], tmp_path: Path
) -> None:
    location = chat_history_location(history_db)
    assert location is not None
    _made_before_migrations(location.sync_url, location.schema, without=without)
    upgrade_chat_history(location)
    engine = sa.create_engine(location.sync_url)
    qualified = f'"{location.schema}".threads' if location.schema else "threads"
    try:
        assert chat_history_revision(engine, location.schema) == "0001"
        assert {"autoCollapse", "modes"} <= _columns(engine, "steps", location.schema)
        with engine.connect() as conn:
            rows = conn.execute(sa.text(f'SELECT name, CAST("userId" AS TEXT) FROM {qualified}')).all()
        assert [tuple(r) for r in rows] == [("Odds tonight", ADA)]
    finally:
        engine.dispose()
    # And Chainlit keeps new threads in it as in a history made by the migrations.
    out = asyncio.run(_round_trip(ChatHistory(location=location, files=LocalFileStorage(tmp_path / "files"))))
    assert out["listed"] == [out["thread"]["id"]]
    assert [s["name"] for s in out["thread"]["steps"]] == ["compare_models"]


@pytest.mark.postgres
def test_app_processes_starting_together_migrate_the_history_once(postgres_server_url: str) -> None:
    engine = sa.create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE'))
    engine.dispose()
    location = chat_history_location(postgres_server_url)
    assert location is not None
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
        for started in [pool.submit(upgrade_chat_history, location) for _ in range(3)]:
            started.result()  # none fails on a table another made
    engine = sa.create_engine(location.sync_url)
    try:
        assert chat_history_revision(engine, PG_SCHEMA) == "0001"
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


# --- Chainlit's routes on the history answer 404, never 500 --------------------------------------


async def _chart_then_reads(history: ChatHistory) -> dict[str, Any]:
    """A chart (no props) and an element with props kept as Chainlit keeps them, read back; and an
    unknown thread asked for."""
    init_http_context()
    layer = history.data_layer()
    try:
        user = await layer.create_user(cl.User(identifier="alice"))
        assert user is not None
        thread_id, step_id = str(uuid.uuid4()), str(uuid.uuid4())
        await layer.update_thread(thread_id, name="Model leaderboard", user_id=user.id)
        await layer.create_step(
            cl.Step(name="compare_models", type="tool", thread_id=thread_id, id=step_id).to_dict()
        )
        chart = cl.Plotly(name="leaderboard", figure=go.Figure(go.Scatter(x=[0.6], y=["value"])))
        custom = cl.CustomElement(name="Slip", props={"stake_usd": 5})
        for element in (chart, custom):
            element.thread_id, element.for_id = thread_id, step_id
            await layer.create_element(element)
        read = [await layer.get_element(thread_id, e.id) for e in (chart, custom)]
        with patch("chainlit.data.acl.get_data_layer", return_value=layer):
            with pytest.raises(HTTPException) as unknown:
                await is_thread_author("alice", str(uuid.uuid4()))
            assert await is_thread_author("alice", thread_id)
        return {"read": read, "unknown": unknown.value.status_code}
    finally:
        await layer.close()


def test_a_chart_element_is_read_back_and_an_unknown_thread_is_a_404(history_db: str) -> None:
    history = prepare_chat_history(make_settings(history_db))
    assert history is not None
    out = asyncio.run(_chart_then_reads(history))
    assert [(e["name"], e["props"]) for e in out["read"]] == [("leaderboard", {}), ("Slip", {"stake_usd": 5})]
    assert out["unknown"] == 404
