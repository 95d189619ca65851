"""The chat's own costs: a turn's work without the model call, an offline answer, the tool schemas' size.

A turn's own work is everything but the model: the graph, the tool calls against a demo database
and rendering. It is measured with a brain that answers at once (a get_odds call, then a fixed
text), so only Benny's work is timed; the offline brain is then timed end to end on "NBA odds".
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from agent.brain import OfflineBrain
from agent.graph import ask, build_graph
from agent.state import Message
from bench.harness import Figure
from core.settings import load_settings
from services.demo import seed_demo
from services.setup import prepare_database
from tools import REGISTRY
from tools.context import open_context


class InstantBrain:
    """A model that costs nothing: asks for the NBA board, then answers with one sentence."""

    def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> Message:
        if messages[-1]["role"] == "user" and messages[-1]["content"][0].get("type") == "text":
            call = {"type": "tool_use", "id": "toolu_bench", "name": "get_odds", "input": {"sport": "nba"}}
            return {"role": "assistant", "content": [call]}
        return {"role": "assistant", "content": [{"type": "text", "text": "Here is the board."}]}


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)


def run(quick: bool = False) -> list[Figure]:
    turns = 20 if quick else 200
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(
            _env_file=None,
            BENNY_HOME=home,
            DATABASE_URL=f"sqlite:///{Path(home) / 'bench.db'}",
            BENNY_NOW="2025-11-05T18:00:00Z",
            ANTHROPIC_API_KEY="",
        )
        engine = prepare_database(settings)
        ctx = open_context(settings=settings, engine=engine)
        seed_demo(ctx)
        own, offline = [], []
        instant, brain = build_graph(InstantBrain()), build_graph(OfflineBrain())
        for _ in range(turns):
            started = time.perf_counter()
            ask(instant, "NBA board", ctx)
            own.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            ask(brain, "NBA odds", ctx)
            offline.append((time.perf_counter() - started) * 1000)
        engine.dispose()
    size = len(json.dumps(REGISTRY.schemas()))
    return [
        Figure("chat turn, Benny's own work (model excluded): p95", _p95(own), "ms", 50.0,
               note=f"median {statistics.median(own):.1f} ms over {turns} turns"),
        Figure("offline brain answer end to end (NBA odds): p95", _p95(offline), "ms", 300.0,
               note=f"median {statistics.median(offline):.1f} ms"),
        Figure("tool schemas sent to Claude", float(size), "chars", 32000.0,
               note=f"{len(REGISTRY.names())} tools"),
    ]  # fmt: skip
