"""The context every tool call runs in: settings, database, clock and the current user.

Entry points open it: the CLI and the app per request, library users with
``with tools.session(user="local"): ...``. The LLM never sees it and cannot set it; the
user comes from the login (or the CLI's ``--user``), never from a tool argument.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from core.clock import Clock
from core.errors import BennyError
from core.settings import Settings, load_settings
from store import migrate
from store.db import make_engine, unit_of_work
from store.users import LOCAL_USER as LOCAL_USER  # re-exported for the faces
from store.users import get_user


@dataclass(frozen=True)
class CurrentUser:
    id: int
    name: str


@dataclass(frozen=True)
class ToolContext:
    settings: Settings
    engine: Engine
    clock: Clock
    user: CurrentUser
    # An httpx transport every collector uses instead of the network (tests, recorded replays).
    transport: Any = None
    # How collectors wait between retries (tests pass one that returns at once).
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    # The user's chat settings (sport, window, odds format): what the chat's system prompt states.
    chat_settings: Mapping[str, Any] = field(default_factory=dict)

    def now(self) -> datetime:
        return self.clock()

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        with unit_of_work(self.engine) as session:
            yield session

    def as_user(self, name: str) -> ToolContext:
        """The same context for another existing user (``UnknownUser`` if there is none)."""
        with self.unit_of_work() as session:
            user = get_user(session=session, name=name)
            assert user.id is not None
            return replace(self, user=CurrentUser(id=user.id, name=user.name))


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


def open_context(
    *, user: str = LOCAL_USER, settings: Settings, engine: Engine, clock: Clock | None = None
) -> ToolContext:
    """Build a context for an existing user over an engine the caller owns."""
    with unit_of_work(engine) as session:
        row = get_user(session=session, name=user)
        assert row.id is not None
        current_user = CurrentUser(id=row.id, name=row.name)
    return ToolContext(settings=settings, engine=engine, clock=clock or settings.clock(), user=current_user)


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
    settings = settings or load_settings()
    owned = engine is None
    engine = engine or make_engine(settings.resolved_database_url)
    try:
        migrate.upgrade(engine)
        ctx = open_context(user=user, settings=settings, engine=engine, clock=clock)
        with bind(ctx):
            yield ctx
    finally:
        if owned:
            engine.dispose()
