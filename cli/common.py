"""What the commands share: the options, the settings and engine kept on the Typer context, the
tool context for a user, calls to registered tools through the registry, JSON, and progress.

A command calls a registered tool the way REST and the chat do: by name, through the registry,
whose input model validates the arguments before the tool runs. A value it refuses raises
``InvalidInput`` with the registry's message, which ``cli.BennyGroup`` prints on one line with
exit status 2, so `benny odds --hours x` and `GET /api/v1/games?hours=x` refuse it alike.

The heavy imports (the store, the tools) happen inside the helpers: `benny --help` stays quick.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from core.formatting import signed_usd
from core.settings import Settings

if TYPE_CHECKING:
    from rich.progress import Progress

    from store.db import Engine
    from tools.context import ToolContext

LOCAL = "local"  # the user `benny init` makes; commands run as it unless given --user

JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable JSON summary.")]
UserOpt = Annotated[str, typer.Option("--user", help="An existing user (see `benny users list`).")]
SportOpt = Annotated[
    str | None,
    typer.Option("--sport", help="nba, nfl, mlb, nhl or epl (or an Odds API key); default: all five."),
]

# Calls one registered tool by name with its arguments (a dict, as the registry takes them).
ToolCall = Callable[[str, dict[str, Any]], Any]

# A command whose work failed exits 1, one whose work partly failed 3 (2 is a refused argument).
EXIT_FAILED, EXIT_PARTIAL = 1, 3
EXIT_HELP = "Exit status: 1 when the work failed, 3 when part of it did (e.g. one sport of five)."


def exit_for(statuses: Iterable[str]) -> None:
    """End the command with 1 when any of its runs failed, else 3 when any was partial.

    ``ok`` and ``skipped`` (by the credit budget: a choice, not a failure) return.
    """
    seen = set(statuses)
    if "failed" in seen:
        raise typer.Exit(EXIT_FAILED)
    if "partial" in seen:
        raise typer.Exit(EXIT_PARTIAL)


def as_typed(text: str) -> str:
    """The text of an argument that feeds a tool, untouched: the registry parses and checks it."""
    return text


def settings_of(ctx: typer.Context) -> Settings:
    settings: Settings = ctx.obj["settings"]
    return settings


def engine_of(ctx: typer.Context) -> Engine:
    """One engine per invocation, disposed of when the command ends."""
    from store.db import make_engine

    if "engine" not in ctx.obj:
        ctx.obj["engine"] = make_engine(settings_of(ctx).resolved_database_url)
        ctx.call_on_close(ctx.obj["engine"].dispose)
    engine: Engine = ctx.obj["engine"]
    return engine


def migrated_engine(ctx: typer.Context) -> Engine:
    from store import migrate

    engine = engine_of(ctx)
    migrate.upgrade(engine)
    return engine


def tool_context(ctx: typer.Context, user: str = LOCAL, *, prepare: bool = True) -> ToolContext:
    """The context tools run in, as ``user``; ``prepare`` also makes the user 'local' if missing."""
    import tools.context  # looked up when called: tests swap its open_context for an offline one
    from services.setup import prepare_database

    settings = settings_of(ctx)
    engine = prepare_database(settings, engine_of(ctx)) if prepare else migrated_engine(ctx)
    return tools.context.open_context(user=user, settings=settings, engine=engine)


@contextlib.contextmanager
def tool_calls(ctx: typer.Context, user: str = LOCAL, *, prepare: bool = True) -> Iterator[ToolCall]:
    """``user``'s tool context bound for the block, and a ``call(tool, arguments)`` through the registry."""
    from tools import REGISTRY  # the package: importing it registers every tool
    from tools.context import bind

    def call(name: str, arguments: dict[str, Any]) -> Any:
        return REGISTRY.get(name).invoke(arguments)

    with bind(tool_context(ctx, user, prepare=prepare)):
        yield call


def call_tool(
    ctx: typer.Context, name: str, arguments: dict[str, Any], *, user: str = LOCAL, prepare: bool = True
) -> Any:
    """One registered tool called through the registry, as ``user``."""
    with tool_calls(ctx, user, prepare=prepare) as call:
        return call(name, arguments)


def print_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, default=str))


# Long work shows its progress on stderr, transient, and never under --json: stdout stays the report.


def busy(description: str, *, quiet: bool) -> contextlib.AbstractContextManager[Any]:
    """A spinner with a description while one long call runs (one call: nothing to count)."""
    if quiet:
        return contextlib.nullcontext()
    return Console(stderr=True).status(description)


def progress_bar() -> Progress:
    """A bar per task, for work that reports how far it has got."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, transient=True, console=Console(stderr=True))


def spark(values: list[float]) -> str:
    """A bankroll as a one-line sparkline (at most 61 bars), with its last value."""
    bars = "▁▂▃▄▅▆▇█"
    if len(values) > 60:
        step = len(values) / 60
        values = [values[int(i * step)] for i in range(60)] + [values[-1]]
    low, high = min(values), max(values)
    span = high - low or 1.0
    return (
        "".join(bars[int((v - low) / span * (len(bars) - 1))] for v in values) + f"  {signed_usd(values[-1])}"
    )
