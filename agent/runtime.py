"""What a running app holds: settings read once, the upgraded database, the compiled graph."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from agent.brain import Brain, OfflineBrain
from agent.claude import ClaudeBrain, system_blocks
from agent.graph import build_graph
from agent.llm import LLM
from agent.memory import open_checkpointer
from core.settings import Settings
from services.context import Engine
from services.setup import prepare_database
from tools.context import ToolContext, current, open_context

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    graph: Any

    def context(self, user: str) -> ToolContext:
        return open_context(user=user, settings=self.settings, engine=self.engine)


def brain_for(settings: Settings) -> Brain:
    """Claude when ``ANTHROPIC_API_KEY`` is set; the offline brain otherwise."""
    if settings.anthropic_api_key is None:
        return OfflineBrain()
    llm = LLM(api_key=settings.anthropic_api_key.get_secret_value(), model=settings.model)
    return ClaudeBrain(llm, current_system_prompt)


def current_system_prompt() -> list[Any]:
    """The system prompt for the context the graph runs in (bound by ``agent.graph.ask``)."""
    ctx = current()
    return system_blocks(
        now=ctx.now(),
        feed=ctx.settings.feed_mode,
        llm_mode=ctx.settings.llm_mode,
        user=ctx.user.name,
        settings=ctx.chat_settings.model_dump() if ctx.chat_settings is not None else {},
    )


def build_runtime(settings: Settings) -> Runtime:
    engine = prepare_database(settings)
    graph = build_graph(brain_for(settings), checkpointer=open_checkpointer(settings.resolved_database_url))
    log.info("benny ready: feed=%s brain=%s", settings.feed_mode, settings.llm_mode)
    return Runtime(settings=settings, engine=engine, graph=graph)
