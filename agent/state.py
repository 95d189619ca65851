"""The graph's state: plain Anthropic Messages API dicts, appended turn by turn."""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

Message = dict[str, Any]


class ChatState(TypedDict):
    messages: Annotated[list[Message], operator.add]
    steps: int


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
