"""The graph's state: plain Anthropic Messages API dicts, appended turn by turn."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

Message = dict[str, Any]


class ChatState(TypedDict):
    messages: Annotated[list[Message], operator.add]
    steps: int


# The chat's memory (LangGraph's msgpack checkpoints) holds integers of 64 bits at most.
_INT64 = 2**63


def storable(value: Any) -> Any:
    """``value`` with each integer the chat's memory cannot hold written as its digits instead.

    A brain may ask for ``show_user_model(model_id=99999999999999999999)``: the registry refuses
    that by name when the call runs (ids stop at the database's integer range, and digits are
    read as the number they spell), but the call is checkpointed first, and must fit.
    """
    if isinstance(value, int) and not isinstance(value, bool) and not -_INT64 <= value < _INT64:
        return str(value)
    if isinstance(value, dict):
        return {key: storable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [storable(item) for item in value]
    return value


def user_text(text: str) -> Message:
    return {"role": "user", "content": [{"type": "text", "text": text}]}


def tool_uses(message: Message) -> list[dict[str, Any]]:
    """Every ``tool_use`` block of an assistant message (all of them, not only the first)."""
    if message.get("role") != "assistant" or isinstance(message.get("content"), str):
        return []
    return [block for block in message["content"] if block.get("type") == "tool_use"]


def text_of(message: Message) -> str:
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "\n".join(block["text"] for block in content or [] if block.get("type") == "text")
