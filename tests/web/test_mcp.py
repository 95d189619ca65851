"""The MCP server as Claude Desktop runs it: a subprocess on stdio, driven by the MCP client library.

Each test prepares a database in-process (the simulated book's odds at NOW, users, a model,
tokens), starts ``web.mcp_server`` with that database and no keys, and talks to it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import ClientSession, types
from mcp.client.stdio import StdioServerParameters, stdio_client

from core.errors import NotFound
from services.demo import seed_demo
from services.setup import prepare_database
from services.tokens import ANONYMOUS, issue_token, revoke_user_tokens
from store.db import unit_of_work
from store.users import create_user
from tests.conftest import NOW, ROOT, make_settings
from tests.factories import stored_models
from tools.context import ToolContext, bind, open_context
from tools.games import get_odds
from tools.registry import REGISTRY, Registry, ToolSpec
from tools.user_models import create_user_model
from web.mcp_server import needs_token, run_tool

SERVER = [sys.executable, "-c", "from web.mcp_server import main; main()"]
MODEL_TEXT = "NBA: 40% recent form, 30% injuries, 30% line movement"


@dataclass(frozen=True)
class Prepared:
    url: str
    home: Path
    ctx: ToolContext
    tokens: dict[str, str]
    model_id: int


@pytest.fixture
def prepared(db_url: str, tmp_path: Path) -> Iterator[Prepared]:
    """Odds at NOW, users alice (with one model) and bob, a token each."""
    settings = make_settings(db_url)
    engine = prepare_database(settings)
    ctx = open_context(settings=settings, engine=engine)
    seed_demo(ctx)
    with unit_of_work(engine) as session:
        for name in ("alice", "bob"):
            create_user(session=session, name=name, now=NOW)
    with bind(ctx.as_user("alice")):
        model = create_user_model(MODEL_TEXT, confirm=True).model
    assert model is not None
    tokens = {name: issue_token(engine=engine, user=name, now=NOW).token for name in ("alice", "bob")}
    yield Prepared(url=db_url, home=tmp_path / "server-home", ctx=ctx, tokens=tokens, model_id=model.id)
    engine.dispose()


def _env(prepared: Prepared, token: str | None = None) -> dict[str, str]:
    """The test's environment without any Benny setting or key, then the server's own."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BENNY_", "DATABASE_URL", "ODDS_API", "ANTHROPIC_"))
    }
    env.update(DATABASE_URL=prepared.url, BENNY_HOME=str(prepared.home), BENNY_NOW=NOW.isoformat())
    if token is not None:
        env["BENNY_TOKEN"] = token
    return env


@asynccontextmanager
async def _connect(
    env: dict[str, str], errlog: Path, command: list[str] = SERVER
) -> AsyncIterator[ClientSession]:
    params = StdioServerParameters(command=command[0], args=command[1:], env=env, cwd=ROOT)
    with errlog.open("w") as err, anyio.fail_after(30):
        async with stdio_client(params, errlog=err) as (read, write), ClientSession(read, write) as session:
            await session.initialize()
            yield session


def _text(result: types.CallToolResult) -> str:
    assert len(result.content) == 1
    block = result.content[0]
    assert isinstance(block, types.TextContent)
    return block.text


def _json(result: types.CallToolResult) -> Any:
    assert not result.isError, _text(result)
    return json.loads(_text(result))


def test_without_a_token_the_shared_tools_answer_and_the_personal_ones_ask_for_one(
    prepared: Prepared, tmp_path: Path
) -> None:
    errlog = tmp_path / "server.log"

    async def scenario() -> dict[str, Any]:
        async with _connect(_env(prepared), errlog) as session:
            return {
                "tools": (await session.list_tools()).tools,
                "odds": await session.call_tool("get_odds", {"sport": "nba"}),
                "mine": await session.call_tool("list_user_models", {}),
                "leaderboard": await session.call_tool("compare_models", {}),
                "cricket": await session.call_tool("get_odds", {"sport": "cricket"}),
                "mistyped": await session.call_tool("get_odds", {"hours": "many"}),
                "unknown": await session.call_tool("get_everything", {}),
            }

    got = anyio.run(scenario)

    listed = {t.name: t for t in got["tools"]}
    assert {"get_odds", "get_predictions", "compare_models", "list_user_models"} <= set(listed)
    assert sorted(listed) == REGISTRY.names()
    spec = REGISTRY.get("get_odds")
    assert listed["get_odds"].inputSchema == spec.schema()["input_schema"]
    assert listed["get_odds"].description == spec.description

    with bind(prepared.ctx):
        assert _json(got["odds"]) == get_odds(sport="nba").model_dump(mode="json")
    assert _json(got["odds"])["games"], "the demo seeds NBA games at NOW"

    assert got["mine"].isError
    # The leaderboard is public reading: without a token, the system's models only.
    assert not got["leaderboard"].isError and "(yours)" not in _text(got["leaderboard"])
    assert _text(got["mine"]) == needs_token("list_user_models")
    assert "BENNY_TOKEN" in _text(got["mine"]) and "benny users token" in _text(got["mine"])

    assert got["cricket"].isError
    assert "sport" in _text(got["cricket"]) and "'cricket'" in _text(got["cricket"])
    assert got["mistyped"].isError and "hours" in _text(got["mistyped"])
    assert got["unknown"].isError and "unknown tool 'get_everything'" in _text(got["unknown"])
    assert "Traceback" not in errlog.read_text()


def test_a_token_runs_every_tool_as_its_user_and_nobody_sees_anothers_model(
    prepared: Prepared, tmp_path: Path
) -> None:
    async def as_user(name: str) -> dict[str, Any]:
        async with _connect(_env(prepared, prepared.tokens[name]), tmp_path / f"{name}.log") as session:
            return {
                "mine": await session.call_tool("list_user_models", {}),
                "alices": await session.call_tool("show_user_model", {"model_id": prepared.model_id}),
                "missing": await session.call_tool("show_user_model", {"model_id": prepared.model_id + 1000}),
                "odds": await session.call_tool("get_odds", {"sport": "nba", "hours": 12}),
            }

    alice, bob = anyio.run(as_user, "alice"), anyio.run(as_user, "bob")

    assert [m["id"] for m in _json(alice["mine"])] == [prepared.model_id]
    assert _json(alice["alices"])["id"] == prepared.model_id
    assert not alice["odds"].isError

    assert _json(bob["mine"]) == []
    assert bob["alices"].isError and bob["missing"].isError
    theirs, missing = _text(bob["alices"]), _text(bob["missing"])
    assert theirs.replace(str(prepared.model_id), "N") == missing.replace(str(prepared.model_id + 1000), "N")
    assert "no model" in theirs and "40%" not in theirs
    for name in ("alice", "bob"):
        assert prepared.tokens[name] not in (tmp_path / f"{name}.log").read_text()


def test_a_refused_call_leaves_every_model_as_it_was(prepared: Prepared, tmp_path: Path) -> None:
    mid = prepared.model_id
    refused = [
        (
            "create_user_model",
            {"description": f"delete model {mid}", "confirm": True},
            "use update_user_model",
        ),
        (
            "update_user_model",
            {"description": "EPL: 100% injuries, bet above 60%", "confirm": True},
            "use create",
        ),
        ("delete_user_model", {"model_id": mid + 99, "confirm": True}, f"no model {mid + 99}"),
        ("delete_user_model", {"model_id": 2**70, "confirm": True}, "model_id: a number out of range"),
    ]
    before = stored_models(prepared.ctx.engine)

    async def scenario() -> list[types.CallToolResult]:
        async with _connect(_env(prepared, prepared.tokens["alice"]), tmp_path / "alice.log") as session:
            return [await session.call_tool(name, arguments) for name, arguments, _ in refused]

    for answer, (_, _, says) in zip(anyio.run(scenario), refused, strict=True):
        assert answer.isError and says in _text(answer), _text(answer)
    assert stored_models(prepared.ctx.engine) == before


# A tool that prints, registered in the server's process only.
PRINTING_SERVER = [
    sys.executable,
    "-c",
    "from tools.registry import tool\n"
    "def chatty() -> int:\n"
    '    """Prints, then answers."""\n'
    "    print('a stray line')\n"
    "    return 7\n"
    "tool()(chatty)\n"
    "from web.mcp_server import main\n"
    "main()\n",
]


def test_a_tool_that_prints_cannot_corrupt_the_protocol(prepared: Prepared, tmp_path: Path) -> None:
    errlog = tmp_path / "server.log"

    async def scenario() -> types.CallToolResult:
        async with _connect(_env(prepared), errlog, PRINTING_SERVER) as session:
            return await session.call_tool("chatty", {})

    assert _json(anyio.run(scenario)) == 7
    assert "a stray line" in errlog.read_text()


def _start_with(prepared: Prepared, token: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        SERVER, env=_env(prepared, token), cwd=ROOT, stdin=subprocess.DEVNULL,
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip


def test_a_bad_or_revoked_token_stops_the_server_before_it_serves(prepared: Prepared) -> None:
    bad = "benny_" + "x" * 43
    refused = _start_with(prepared, bad)
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert "BENNY_TOKEN is not a live API token" in refused.stderr
    assert bad not in refused.stderr and "Traceback" not in refused.stderr

    revoke_user_tokens(engine=prepared.ctx.engine, user="bob", now=NOW)
    revoked = _start_with(prepared, prepared.tokens["bob"])
    assert revoked.returncode == 2 and revoked.stdout == ""
    assert prepared.tokens["bob"] not in revoked.stderr and "not a live API token" in revoked.stderr


def _broken() -> None:
    """A tool with a bug in it."""
    raise KeyError("a secret detail of the failure")


def _missing() -> None:
    """A tool that finds nothing."""
    raise NotFound("no such thing")


def test_an_unexpected_failure_is_logged_and_answered_without_its_details(
    ctx: ToolContext, caplog: pytest.LogCaptureFixture
) -> None:
    from pydantic import create_model

    registry = Registry()
    for func in (_broken, _missing):
        registry.add(
            ToolSpec(func.__name__, func, func.__doc__ or "", create_model(f"{func.__name__}In"), False)
        )

    answer = run_tool(registry, ctx, "_broken", {})
    assert answer.isError
    assert "secret detail" not in _text(answer) and "Traceback" not in _text(answer)
    assert "_broken failed inside Benny" in _text(answer)
    assert any(r.exc_info and "secret detail" in str(r.exc_info[1]) for r in caplog.records)

    assert _text(run_tool(registry, ctx, "_missing", {})) == "no such thing"
    anonymous = replace(ctx, user=ANONYMOUS)
    assert _text(run_tool(REGISTRY, anonymous, "list_user_models", {})) == needs_token("list_user_models")
