"""The agent graph: think (offline brain or Claude) -> run every requested tool -> think, until an answer.

Built by ``build_graph(brain)``; nothing is compiled at import time. The tool context (user,
database, clock) travels in the run's config under ``configurable.context``: tools read it,
the model never sees it.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph

from agent.brain import Brain
from agent.claude import StreamingBrain
from agent.state import ChatState, Message, storable, tool_uses, user_text
from core.errors import BennyError
from tools.context import ToolContext, bind
from tools.registry import REGISTRY, Registry, jsonable

log = logging.getLogger(__name__)

MAX_STEPS = 8
PARALLEL_TOOLS = 4


def _context(config: RunnableConfig) -> ToolContext:
    ctx = config.get("configurable", {}).get("context")
    if not isinstance(ctx, ToolContext):
        raise RuntimeError("the agent graph runs with config={'configurable': {'context': ToolContext}}")
    return ctx


def _result_json(value: Any) -> str:
    return json.dumps(jsonable(value))


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


def build_graph(brain: Brain, registry: Registry = REGISTRY, *, checkpointer: Any = None) -> Any:
    schemas = registry.schemas()

    def think(state: ChatState, config: RunnableConfig) -> dict[str, Any]:
        if state["steps"] >= MAX_STEPS:
            stop: Message = {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "I stopped after too many steps; please ask more narrowly."}
                ],
            }
            return {"messages": [stop], "steps": state["steps"]}
        on_text = config.get("configurable", {}).get("on_text")
        if on_text is not None and isinstance(brain, StreamingBrain):
            reply = brain.respond(state["messages"], schemas, on_text)
        else:
            reply = brain.respond(state["messages"], schemas)
        return {"messages": [storable(reply)], "steps": state["steps"] + 1}

    def act(state: ChatState, config: RunnableConfig) -> dict[str, Any]:
        ctx = _context(config)
        calls = tool_uses(state["messages"][-1])
        if len(calls) == 1:
            results = [run_tool(registry, calls[0], ctx)]
        else:
            # Every tool here only reads, so a turn's calls run side by side; results keep their order.
            with ThreadPoolExecutor(max_workers=min(len(calls), PARALLEL_TOOLS)) as pool:
                results = list(pool.map(lambda call: run_tool(registry, call, ctx), calls))
        return {"messages": [{"role": "user", "content": results}]}

    def route(state: ChatState) -> str:
        return "act" if tool_uses(state["messages"][-1]) else END

    graph = StateGraph(ChatState)
    graph.add_node("think", think)
    graph.add_node("act", act)
    graph.add_edge(START, "think")
    graph.add_conditional_edges("think", route, ["act", END])
    graph.add_edge("act", "think")
    return graph.compile(checkpointer=checkpointer)


def ask(
    graph: Any,
    text: str,
    ctx: ToolContext,
    *,
    thread_id: str | None = None,
    on_text: Callable[[str], None] | None = None,
) -> list[Message]:
    """Run one user message through the graph; returns the turn's messages, the user's first.

    The context is bound for the whole turn, so the brain's system prompt reads the user and the
    clock from it. ``thread_id`` resumes a conversation when the graph has a checkpointer; the
    stored key is prefixed with the logged-in user's id, so a thread is only ever its owner's.
    """
    configurable: dict[str, Any] = {"context": ctx}
    if thread_id is None and getattr(graph, "checkpointer", None) is not None:
        thread_id = f"once-{uuid.uuid4().hex}"  # a graph with memory needs a thread: a fresh one
    if thread_id is not None:
        configurable["thread_id"] = f"{ctx.user.id}:{thread_id}"
    if on_text is not None:
        configurable["on_text"] = on_text
    sent = user_text(text)
    with bind(ctx):
        state = graph.invoke({"messages": [sent], "steps": 0}, config={"configurable": configurable})
    messages = list(state["messages"])
    start = max(i for i, m in enumerate(messages) if m == sent)
    return messages[start:]
