"""The tool context, bound for the calls inside a block: what the registered tools read.

Entry points bind it: the CLI and the app per request, library users with
``with tools.session(user="local"): ...``. Registered tools read it with ``current()`` and
hand it to the services explicitly; nothing below the tools reads the context variable.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from core.clock import Clock
from core.errors import BennyError
from core.settings import Settings, load_settings
from services.context import LOCAL_USER as LOCAL_USER
from services.context import CurrentUser as CurrentUser
from services.context import ToolContext as ToolContext
from services.context import open_context as open_context
from services.context import opened
from store.db import Engine


class NoContext(BennyError, RuntimeError):
    def __init__(self) -> None:
        super().__init__(
            "this tool needs Benny's context: open one with `with tools.session(user='local'):` "
            "(run `benny init` once to create the database and the local user)"
        )


_current: ContextVar[ToolContext | None] = ContextVar("benny_tool_context", default=None)


def current() -> ToolContext:
    ctx = _current.get()
    if ctx is None:
        raise NoContext()
    return ctx


@contextmanager
def bind(ctx: ToolContext) -> Iterator[ToolContext]:
    """Make ``ctx`` the current context for the calls inside the block."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@contextmanager
def session(
    user: str = LOCAL_USER,
    *,
    settings: Settings | None = None,
    engine: Engine | None = None,
    clock: Clock | None = None,
) -> Iterator[ToolContext]:
    """Open Benny for library use: ``with tools.session(user="local"): tools.get_odds(sport="nba")``.

    Reads the settings from the environment unless given, brings the schema up to date, and
    binds the context for the calls inside the block. An unknown user raises ``UnknownUser``.
    """
    with (
        opened(user=user, settings=settings or load_settings(), engine=engine, clock=clock) as ctx,
        bind(ctx),
    ):
        yield ctx
