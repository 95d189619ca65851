"""A thin wrapper over the Anthropic client: one call, its usage and cost, errors as ``UpstreamError``.

The trading flow asks for picks with ``propose_picks``; the chat will reuse the same client,
price table and error mapping. Nothing is connected at import time: the client is built (or
injected, in tests) when an ``LLM`` is constructed.

Costs are estimates from ``PRICES_USD_PER_MTOK``, list prices per million tokens by model
family. Cache writes bill at 1.25x and cache reads at 0.1x the input price (five-minute cache).
A model of no known family is priced as ``DEFAULT_FAMILY``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anthropic
import httpx2
from anthropic.types import (
    MessageParam,
    TextBlockParam,
    ToolChoiceParam,
    ToolChoiceToolParam,
    ToolParam,
    ToolUseBlock,
)

from core.errors import ConfigError, UpstreamError
from core.proposals import PICK_SCHEMA

log = logging.getLogger("benny.llm")

PICKS_TOOL = "submit_picks"
PICKS_TOOL_DESCRIPTION = (
    "Submit your picks for the games in today's dossiers. For each pick give only the game id, "
    "the market, the side, your probability that the side wins, your reasoning, its key factors "
    "and its risks. Benny's code sets every stake and takes every price from the dossiers: do "
    "not give stakes, odds, prices, books or units."
)

# USD per million tokens: (input, output). List prices; update here when Anthropic's change.
PRICES_USD_PER_MTOK: dict[str, tuple[float, float]] = {
    "opus": (5.0, 25.0),
    "sonnet": (3.0, 15.0),
    "haiku": (1.0, 5.0),
}
DEFAULT_FAMILY = "sonnet"  # an unknown model is priced like Sonnet, the product's default family
CACHE_WRITE_FACTOR = 1.25
CACHE_READ_FACTOR = 0.1


def prices_for(model: str) -> tuple[float, float]:
    """(input, output) USD per million tokens for a model id, by the family its name contains."""
    name = model.lower()
    for family, prices in PRICES_USD_PER_MTOK.items():
        if family in name:
            return prices
    return PRICES_USD_PER_MTOK[DEFAULT_FAMILY]


def cost_usd(
    model: str,
    *,
    input_tokens: int,
    output_tokens: int,
    cache_creation_input_tokens: int = 0,
    cache_read_input_tokens: int = 0,
) -> float:
    """The estimated cost of one call; ``input_tokens`` excludes the cached ones, as the API counts."""
    input_price, output_price = prices_for(model)
    input_equivalent = (
        input_tokens
        + CACHE_WRITE_FACTOR * cache_creation_input_tokens
        + CACHE_READ_FACTOR * cache_read_input_tokens
    )
    return (input_equivalent * input_price + output_tokens * output_price) / 1_000_000


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens of one call, as the API reported them, and their estimated cost."""

    input_tokens: int
    output_tokens: int
    cache_creation_input_tokens: int
    cache_read_input_tokens: int
    cost_usd: float

    @classmethod
    def of(cls, model: str, usage: anthropic.types.Usage) -> Usage:
        counts = {
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "cache_creation_input_tokens": usage.cache_creation_input_tokens or 0,
            "cache_read_input_tokens": usage.cache_read_input_tokens or 0,
        }
        return cls(**counts, cost_usd=cost_usd(model, **counts))


def _upstream_message(exc: anthropic.APIError) -> str:
    """What went wrong, from the status and the error body's type and message: never a header."""
    if isinstance(exc, anthropic.APIStatusError):
        message = f"the Anthropic API answered {exc.status_code}"
        if exc.type:
            message += f" ({exc.type})"
        if exc.api_message:
            message += f": {exc.api_message}"
        if exc.request_id:
            message += f" [request {exc.request_id}]"
        return message
    if isinstance(exc, anthropic.APIConnectionError):
        return f"could not reach the Anthropic API ({type(exc).__name__})"
    return f"the Anthropic API call failed ({type(exc).__name__})"


class LLM:
    """Claude behind the calls Benny makes; construct once in the entry point and pass it down."""

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        client: anthropic.Anthropic | None = None,
        http_client: httpx2.Client | None = None,
        max_tokens: int = 2048,
    ) -> None:
        if client is None and not api_key:
            raise ConfigError("an Anthropic API key is needed (set ANTHROPIC_API_KEY)")
        self.model = model
        self.max_tokens = max_tokens
        self._secret = api_key
        self._client = client or anthropic.Anthropic(api_key=api_key, http_client=http_client)

    def __repr__(self) -> str:
        return f"LLM(model={self.model!r}, max_tokens={self.max_tokens})"

    def _redacted(self, text: str) -> str:
        return text.replace(self._secret, "[redacted]") if len(self._secret) >= 8 else text

    def create(
        self,
        *,
        system: list[TextBlockParam],
        messages: list[MessageParam],
        tools: list[ToolParam],
        tool_choice: ToolChoiceParam | anthropic.Omit = anthropic.omit,
    ) -> tuple[anthropic.types.Message, Usage]:
        """One Messages API call; its usage logged and priced, SDK errors raised as ``UpstreamError``."""
        try:
            response = self._client.messages.create(
                model=self.model,
                max_tokens=self.max_tokens,
                system=system,
                messages=messages,
                tools=tools,
                tool_choice=tool_choice,
            )
        except anthropic.APIError as exc:
            message = self._redacted(_upstream_message(exc))
            log.warning("llm call failed model=%s: %s", self.model, message, extra={"model": self.model})
            raise UpstreamError(message) from exc
        return response, self._account(response)

    def stream(
        self,
        *,
        system: list[Any],
        messages: list[Any],
        tools: list[Any],
        on_text: Callable[[str], None],
    ) -> tuple[anthropic.types.Message, Usage]:
        """``create``, streamed: each piece of text goes to ``on_text`` as it arrives; returns the message."""
        try:
            with self._client.messages.stream(
                model=self.model,
                max_tokens=self.max_tokens,
                system=system,
                messages=messages,
                tools=tools,
            ) as stream:
                for text in stream.text_stream:
                    on_text(text)
                response = stream.get_final_message()
        except anthropic.APIError as exc:
            message = self._redacted(_upstream_message(exc))
            log.warning("llm stream failed model=%s: %s", self.model, message, extra={"model": self.model})
            raise UpstreamError(message) from exc
        return response, self._account(response)

    def _account(self, response: anthropic.types.Message) -> Usage:
        model = response.model or self.model
        usage = Usage.of(model, response.usage)
        log.info(
            "llm call model=%s input_tokens=%d output_tokens=%d cache_write_tokens=%d "
            "cache_read_tokens=%d cost_usd=%.6f stop_reason=%s",
            model,
            usage.input_tokens,
            usage.output_tokens,
            usage.cache_creation_input_tokens,
            usage.cache_read_input_tokens,
            usage.cost_usd,
            response.stop_reason,
            extra={"model": model, "cost_usd": usage.cost_usd},
        )
        return usage

    def propose_picks(self, system: str, dossiers_text: str) -> tuple[object, Usage]:
        """Ask for picks on the dossiers; returns the ``submit_picks`` input (``{}`` if none) and usage.

        The input is untrusted: pass it to ``core.proposals.validate_picks``. The static system
        prompt carries the cache breakpoint, so the tool definition and system prompt (the
        prefix up to it) are cached between the day's calls; the dossiers follow uncached.
        """
        system_blocks: list[TextBlockParam] = [
            {"type": "text", "text": system, "cache_control": {"type": "ephemeral"}}
        ]
        tool: ToolParam = {
            "name": PICKS_TOOL,
            "description": PICKS_TOOL_DESCRIPTION,
            "input_schema": PICK_SCHEMA,
        }
        # Forced, and one tool_use only: the first submit_picks block is then the only one.
        choice: ToolChoiceToolParam = {"type": "tool", "name": PICKS_TOOL, "disable_parallel_tool_use": True}
        messages: list[MessageParam] = [
            {"role": "user", "content": [{"type": "text", "text": dossiers_text}]}
        ]
        response, usage = self.create(
            system=system_blocks, messages=messages, tools=[tool], tool_choice=choice
        )
        calls = [b for b in response.content if isinstance(b, ToolUseBlock) and b.name == PICKS_TOOL]
        if response.stop_reason == "max_tokens":
            log.warning("llm picks cut off at max_tokens=%d: the input may be partial", self.max_tokens)
        if len(calls) > 1:
            log.warning("llm sent %d %s calls; only the first is read", len(calls), PICKS_TOOL)
        if not calls:
            log.warning("llm answered without calling %s", PICKS_TOOL)
            return {}, usage
        return calls[0].input, usage
