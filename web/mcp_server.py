"""Benny's tools over the Model Context Protocol on stdio, for Claude Desktop and IDE assistants.

``benny mcp`` (or ``python -m web.mcp_server``) serves the whole tool registry: the assistant
lists the tools with their schemas and calls them; each answer is the tool's result as JSON text.

Who the calls run as comes from ``BENNY_TOKEN`` in the server's environment, read once in
``serve_mcp``:

- a live token: every tool runs as its user;
- no token: tools that read shared data (odds, predictions, math, and the model comparison,
  tagged ``public_read``) run as nobody (``services.tokens.ANONYMOUS``), and the other per-user
  tools answer an error saying a token is needed;
- a token that is unknown, revoked or malformed: the server does not start (``ConfigError``,
  exit status 2); the message never contains the token.

stdout is the protocol channel: logs go to stderr, and so does anything printed while serving.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from contextlib import redirect_stdout
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, version
from io import TextIOWrapper
from typing import Any

import anyio
import anyio.to_thread
from mcp import types
from mcp.server.lowlevel import Server
from mcp.server.stdio import stdio_server

from core.errors import BennyError, ConfigError, InvalidInput, NotFound
from core.settings import Settings, load_settings
from services.tokens import ANONYMOUS, token_user
from store.db import Engine
from tools.context import CurrentUser, ToolContext, bind, open_context
from tools.registry import REGISTRY, Registry, jsonable

log = logging.getLogger(__name__)

TOKEN_ENV = "BENNY_TOKEN"
INSTRUCTIONS = (
    "Benny: sports-betting analytics over stored odds for nba, nfl, mlb, nhl and epl: the odds board, "
    "ten models' predictions, the model leaderboard, odds math and your own models. Tools answer JSON."
)


def token_identity(*, engine: Engine, token: str | None) -> CurrentUser:
    """The user ``token`` belongs to; ``ANONYMOUS`` without one; ``ConfigError`` for a bad one."""
    if token is None or not token.strip():
        return ANONYMOUS
    user = token_user(engine=engine, token=token)
    if user is None:
        raise ConfigError(
            f"{TOKEN_ENV} is not a live API token (unknown, revoked or mistyped); "
            f"make one with `benny users token NAME`, or unset {TOKEN_ENV} to use only the shared tools"
        )
    return user


def result_json(value: Any) -> str:
    """A tool's result as JSON text, as the chat sends it to the model."""
    return json.dumps(jsonable(value))


def _error(message: str) -> types.CallToolResult:
    return types.CallToolResult(content=[types.TextContent(type="text", text=message)], isError=True)


def needs_token(name: str) -> str:
    return (
        f"{name} works on your own data, so it needs your API token: make one with "
        f"`benny users token NAME` and set {TOKEN_ENV} in the MCP server's environment"
    )


def run_tool(
    registry: Registry, ctx: ToolContext, name: str, arguments: dict[str, Any]
) -> types.CallToolResult:
    """One call, synchronously: Benny's own errors are the answer; anything else is logged, not shown."""
    try:
        spec = registry.get(name)
        if spec.per_user and "public_read" not in spec.tags and ctx.user == ANONYMOUS:
            return _error(needs_token(name))
        with bind(ctx):
            result = spec.invoke(arguments)
        answer = types.CallToolResult(content=[types.TextContent(type="text", text=result_json(result))])
    except BennyError as exc:
        answer = _error(str(exc))
    except Exception:
        log.exception("tool %s failed", name, extra={"tool": name})
        answer = _error(f"{name} failed inside Benny; the server's log (stderr) has the details")
    log.info("tool %s", name, extra={"tool": name, "is_error": answer.isError})
    return answer


def _version() -> str:
    try:
        return version("benny")
    except PackageNotFoundError:
        return "dev"


def build_server(ctx: ToolContext, registry: Registry = REGISTRY) -> Server[Any, Any]:
    """The MCP server over ``registry``; every call runs in ``ctx`` (its user decided by the token)."""
    server: Server[Any, Any] = Server("benny", version=_version(), instructions=INSTRUCTIONS)

    @server.list_tools()  # type: ignore[no-untyped-call,untyped-decorator]  # the SDK's decorators are untyped
    async def list_tools() -> list[types.Tool]:
        return [
            types.Tool(
                name=spec.name, description=spec.description, inputSchema=spec.schema()["input_schema"]
            )
            for spec in registry
        ]

    # The registry validates the arguments itself, with messages that name the argument.
    @server.call_tool(validate_input=False)  # type: ignore[untyped-decorator]
    async def call_tool(name: str, arguments: dict[str, Any]) -> types.CallToolResult:
        # Tools are synchronous and use the database: off the event loop.
        return await anyio.to_thread.run_sync(functools.partial(run_tool, registry, ctx, name, arguments))

    return server


async def serve_stdio(server: Server[Any, Any], channel: TextIOWrapper) -> None:
    """Answer requests from stdin on ``channel`` until stdin closes."""
    async with stdio_server(stdout=anyio.wrap_file(channel)) as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def serve_mcp(settings: Settings) -> None:
    """Serve the tool registry over MCP on stdin/stdout until stdin closes, as ``BENNY_TOKEN``'s user.

    Raises ``ConfigError`` (the CLI's exit status 2) when ``BENNY_TOKEN`` is set but not a live token.
    """
    from live.logs import configure_logging
    from services.setup import prepare_database

    configure_logging(settings)
    # The SDK logs every request at INFO; Benny logs each tool call itself.
    logging.getLogger("mcp").setLevel(max(logging.WARNING, logging.getLogger().level))
    engine = prepare_database(settings)
    try:
        user = token_identity(engine=engine, token=os.environ.get(TOKEN_ENV))
        ctx = replace(open_context(settings=settings, engine=engine), user=user)
        log.info("MCP server on stdio for %s", user.name, extra={"user": user.name})
        channel = TextIOWrapper(sys.stdout.buffer, encoding="utf-8")
        try:
            # A stray print would corrupt the protocol: while serving, sys.stdout is stderr.
            with redirect_stdout(sys.stderr):
                anyio.run(serve_stdio, build_server(ctx), channel)
        except KeyboardInterrupt:  # Ctrl-C in a terminal: a stop, not a crash
            log.info("MCP server stopped")
        finally:
            channel.detach()  # leave the process's stdout open
    finally:
        engine.dispose()


def main() -> None:
    """``python -m web.mcp_server``: settings from the environment; Benny's errors as one line on stderr."""
    try:
        serve_mcp(load_settings())
    except (InvalidInput, NotFound, ConfigError) as exc:  # exit statuses as the CLI's
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(2) from None
    except BennyError as exc:
        sys.stderr.write(f"error: {exc}\n")
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
