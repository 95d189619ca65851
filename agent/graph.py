"""The agent graph: think (offline brain or Claude) -> run every requested tool -> think, until an answer.

Built by ``build_graph(brain)``; nothing is compiled at import time. The tool context (user,
database, clock) travels in the run's config under ``configurable.context``: tools read it,
the model never sees it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph

from agent.brain import Brain
from agent.state import ChatState, Message, tool_uses, user_text
from core.errors import BennyError
from tools.context import ToolContext, bind
from tools.registry import REGISTRY, Registry

log = logging.getLogger(__name__)

MAX_STEPS = 8


def _context(config: RunnableConfig) -> ToolContext:
    ctx = config.get("configurable", {}).get("context")
    if not isinstance(ctx, ToolContext):
        raise RuntimeError("the agent graph runs with config={'configurable': {'context': ToolContext}}")
    return ctx


def _result_json(value: Any) -> str:
    if hasattr(value, "model_dump"):
        return json.dumps(value.model_dump(mode="json"))
    if isinstance(value, list):
        return json.dumps([v.model_dump(mode="json") if hasattr(v, "model_dump") else v for v in value])
    return json.dumps(value)


def run_tool(registry: Registry, call: dict[str, Any], ctx: ToolContext) -> dict[str, Any]:
    """Answer one ``tool_use`` block; a tool's own error goes back to the model as an error."""
    try:
        spec = registry.get(call["name"])
        with bind(ctx):
            result = spec.invoke(call.get("input") or {})
        content, is_error = _result_json(result), False
    except BennyError as exc:  # bad arguments, unknown things: the model should read and recover
        content, is_error = str(exc), True
    log.info("tool %s", call["name"], extra={"tool": call["name"], "is_error": is_error})
    return {"type": "tool_result", "tool_use_id": call["id"], "content": content, "is_error": is_error}


def build_graph(brain: Brain, registry: Registry = REGISTRY) -> Any:
    schemas = registry.schemas()

    def think(state: ChatState) -> dict[str, Any]:
        if state["steps"] >= MAX_STEPS:
            stop: Message = {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "I stopped after too many steps; please ask more narrowly."}
                ],
            }
            return {"messages": [stop], "steps": state["steps"]}
        return {"messages": [brain.respond(state["messages"], schemas)], "steps": state["steps"] + 1}

    def act(state: ChatState, config: RunnableConfig) -> dict[str, Any]:
        ctx = _context(config)
        results = [run_tool(registry, call, ctx) for call in tool_uses(state["messages"][-1])]
        return {"messages": [{"role": "user", "content": results}]}

    def route(state: ChatState) -> str:
        return "act" if tool_uses(state["messages"][-1]) else END

    graph = StateGraph(ChatState)
    graph.add_node("think", think)
    graph.add_node("act", act)
    graph.add_edge(START, "think")
    graph.add_conditional_edges("think", route, ["act", END])
    graph.add_edge("act", "think")
    return graph.compile()


def ask(graph: Any, text: str, ctx: ToolContext) -> list[Message]:
    """Run one user message through the graph; returns every message of the turn."""
    state = graph.invoke(
        {"messages": [user_text(text)], "steps": 0}, config={"configurable": {"context": ctx}}
    )
    return list(state["messages"])
