"""What a running app holds: settings read once, the upgraded database, the compiled graph."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine

from agent.brain import OfflineBrain
from agent.graph import build_graph
from core.settings import Settings
from tools.context import ToolContext, open_context
from tools.setup import prepare_database

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Runtime:
    settings: Settings
    engine: Engine
    graph: Any

    def context(self, user: str) -> ToolContext:
        return open_context(user=user, settings=self.settings, engine=self.engine)


def build_runtime(settings: Settings) -> Runtime:
    engine = prepare_database(settings)
    graph = build_graph(OfflineBrain())
    log.info("benny ready: feed=%s brain=%s", settings.feed_mode, settings.llm_mode)
    return Runtime(settings=settings, engine=engine, graph=graph)
