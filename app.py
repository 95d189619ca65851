"""Benny in the browser: the Chainlit entry point.

Run it with `benny run` (or `make run`). The runtime (settings, database, agent graph) is built
on first use, not at import. Benny's own ``GET /health`` is put ahead of Chainlit's routes,
which would otherwise answer it (and every other GET) themselves.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from typing import Any

import chainlit as cl
from chainlit.server import app as server
from fastapi import APIRouter
from fastapi.responses import JSONResponse

from agent.graph import ask
from agent.runtime import Runtime, build_runtime
from agent.state import Message, text_of, tool_uses
from core.errors import BennyError
from core.settings import load_settings
from tools.context import LOCAL_USER
from tools.setup import database_status

log = logging.getLogger("benny.app")

# Chainlit takes DATABASE_URL for its own data layer; here it names Benny's database, so hand it
# to Benny under its own name before Chainlit looks.
if "DATABASE_URL" in os.environ:
    os.environ.setdefault("BENNY_DATABASE_URL", os.environ.pop("DATABASE_URL"))

# Chainlit loads this file as a bare module, so no classes here: the runtime lives in agent/.
_runtime: list[Runtime] = []
_runtime_lock = threading.Lock()


def runtime() -> Runtime:
    """Settings read once, the schema upgraded, the graph built: on first use, then kept."""
    with _runtime_lock:
        if not _runtime:
            _runtime.append(build_runtime(load_settings()))
        return _runtime[0]


# --- HTTP routes of Benny's own -------------------------------------------------------------

routes = APIRouter()


@routes.get("/health")
def health() -> JSONResponse:
    """Benny's health: the database, and which feed and brain are on."""
    try:
        rt = runtime()
        database = database_status(rt.engine)
        modes = {"feed": rt.settings.feed_mode, "llm": rt.settings.llm_mode}
    except BennyError as exc:
        database, modes = f"error: {exc}", {}
    status = "ok" if database == "ok" else "degraded"
    body = {"status": status, "database": database, **modes, "service": "benny"}
    return JSONResponse(body, status_code=200 if status == "ok" else 503)


def _install_routes() -> None:
    before = len(server.router.routes)
    server.include_router(routes)
    added = server.router.routes[before:]
    del server.router.routes[before:]
    server.router.routes[0:0] = added


_install_routes()


# --- Chat ----------------------------------------------------------------------------------


def _context(rt: Runtime) -> Any:
    # Auth is off by default: one local user. The user never comes from the chat text.
    return rt.context(LOCAL_USER)


@cl.on_app_startup
async def warm_up() -> None:
    await asyncio.to_thread(runtime)


@cl.set_starters
async def starters(user: cl.User | None = None, language: str | None = None) -> list[cl.Starter]:
    return [
        cl.Starter(label="NBA odds tonight", message="NBA odds"),
        cl.Starter(label="NBA games tomorrow", message="Which NBA games are on tomorrow?"),
        cl.Starter(label="What can you do?", message="help"),
    ]


async def _show_tool_steps(messages: list[Message]) -> None:
    for index, message in enumerate(messages):
        calls = tool_uses(message)
        if not calls or index + 1 >= len(messages):
            continue
        results = {
            b["tool_use_id"]: b for b in messages[index + 1]["content"] if b.get("type") == "tool_result"
        }
        for call in calls:
            async with cl.Step(name=call["name"], type="tool") as step:
                step.input = json.dumps(call["input"])
                result = results.get(call["id"], {})
                step.output = result.get("content", "")
                step.language = "json"


@cl.on_message
async def on_message(message: cl.Message) -> None:
    rt = await asyncio.to_thread(runtime)
    ctx = await asyncio.to_thread(_context, rt)
    turn = await asyncio.to_thread(ask, rt.graph, message.content, ctx)
    await _show_tool_steps(turn)
    await cl.Message(content=text_of(turn[-1])).send()  # type: ignore[no-untyped-call]
