"""Benny's offline brain: a deterministic intent router that speaks the Messages API's shapes.

Without an Anthropic key the graph runs this instead of Claude. It turns a user's request into
``tool_use`` blocks for the registry's tools, and turns the ``tool_result`` blocks that come
back into an answer built from the tools' own numbers. What it cannot place, it says so and
lists what it can do.
"""

from __future__ import annotations

import json
import re
from typing import Any, Protocol

from agent import render
from agent.state import Message, text_of, tool_uses

_SPORT_WORDS = {
    "nba": ("nba", "basketball"),
    "nfl": ("nfl", "american football"),
    "mlb": ("mlb", "baseball"),
    "nhl": ("nhl", "hockey", "ice hockey"),
    "epl": ("epl", "premier league", "soccer", "football"),
}
_ODDS_WORDS = (
    "odds",
    "line",
    "lines",
    "price",
    "prices",
    "moneyline",
    "spread",
    "spreads",
    "total",
    "totals",
)
_GAMES_WORDS = ("games", "schedule", "fixtures", "playing", "matchups", "slate")
_HELP_WORDS = ("help", "what can you do", "commands")

CAPABILITIES = (
    "- **odds** for a sport: *NBA odds*, *EPL lines tomorrow*\n"
    "- **games** on the slate: *which NHL games are on?*\n"
)


class Brain(Protocol):
    """Anything that answers a conversation with one assistant message (Messages API shape)."""

    def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> Message: ...


def _sport_in(text: str) -> str | None:
    # "football" alone means soccer here; "american football" is checked first via NFL's words.
    for sport in ("nba", "nfl", "mlb", "nhl", "epl"):
        for word in _SPORT_WORDS[sport]:
            if re.search(rf"\b{re.escape(word)}\b", text):
                return sport
    return None


def _hours_in(text: str) -> int:
    if "tomorrow" in text:
        return 48
    if re.search(r"\b(this week|week)\b", text):
        return 168
    return 36


def _words_in(text: str, words: tuple[str, ...]) -> bool:
    return any(re.search(rf"\b{re.escape(w)}\b", text) for w in words)


class OfflineBrain:
    """Routes the common requests to tools; composes answers from their results."""

    def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> Message:
        last = messages[-1]
        if last["role"] == "user" and any(b.get("type") == "tool_result" for b in last["content"]):
            return self._answer(messages)
        return self._route(text_of(last), {t["name"] for t in tools}, len(messages))

    def _route(self, text: str, available: set[str], turn: int) -> Message:
        lowered = text.lower().strip()
        sport = _sport_in(lowered)
        if _words_in(lowered, _HELP_WORDS) or not lowered:
            return _say("Here is what I can do offline:\n" + CAPABILITIES)
        if _words_in(lowered, _ODDS_WORDS) and "get_odds" in available:
            return _use("get_odds", {"sport": sport or "nba", "hours": _hours_in(lowered)}, turn)
        if _words_in(lowered, _GAMES_WORDS) and "get_games" in available:
            return _use(
                "get_games", {"sport": sport or "nba", "days": max(1, _hours_in(lowered) // 24)}, turn
            )
        if sport is not None and "get_odds" in available:
            return _use("get_odds", {"sport": sport, "hours": _hours_in(lowered)}, turn)
        return _say(
            "I could not work out what you are asking for. Offline, I can answer these:\n" + CAPABILITIES
        )

    def _answer(self, messages: list[Message]) -> Message:
        results = {b["tool_use_id"]: b for b in messages[-1]["content"] if b.get("type") == "tool_result"}
        calls = tool_uses(messages[-2]) if len(messages) >= 2 else []
        parts: list[str] = []
        for call in calls:
            result = results.get(call["id"])
            if result is None:
                continue
            if result.get("is_error"):
                parts.append(f"That did not work: {result['content']}")
                continue
            parts.append(render.tool_result(call["name"], json.loads(result["content"])))
        return _say("\n\n".join(parts) or "I have nothing to show for that.")


def _say(text: str) -> Message:
    return {"role": "assistant", "content": [{"type": "text", "text": text}]}


def _use(name: str, arguments: dict[str, Any], turn: int) -> Message:
    return {
        "role": "assistant",
        "content": [
            {"type": "tool_use", "id": f"toolu_offline_{turn:04d}", "name": name, "input": arguments}
        ],
    }
