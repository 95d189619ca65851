"""What a unit of work runs with: settings, database, clock and the current user.

The faces build one per request (the CLI from ``--user``, the app from the login, library
users through ``tools.session``) and pass it down: services take it as an argument, and
only ``tools.context`` binds it for the registered tools to read. The LLM never sees it and
cannot set it; the user is never a tool argument.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine as Engine
from sqlmodel import Session

from core.chat_settings import ChatSettings
from core.clock import Clock
from core.settings import Settings
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
    # The user's chat settings (sport, window, odds format), checked: what the chat's system prompt
    # states. None outside the chat.
    chat_settings: ChatSettings | None = None

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
def opened(
    *, user: str, settings: Settings, engine: Engine | None = None, clock: Clock | None = None
) -> Iterator[ToolContext]:
    """A context over an upgraded database; an engine made here is disposed of on the way out."""
    owned = engine is None
    engine = engine or make_engine(settings.resolved_database_url)
    try:
        migrate.upgrade(engine)
        yield open_context(user=user, settings=settings, engine=engine, clock=clock)
    finally:
        if owned:
            engine.dispose()
