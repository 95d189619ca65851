"""Claude's picks through the trading run: the math sizes every bet, whatever the answer asks for."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import httpx2
import pytest
from sqlalchemy.engine import Engine

from agent.llm import LLM
from core.clock import FixedClock
from live.jobs import ANALYST_SYSTEM, claude_analyst
from services.demo import seed_demo
from services.dossier import Dossier
from services.trading import trade
from tests.conftest import NOW, make_settings
from tests.services.test_trading import favourites
from tools.context import ToolContext, bind, open_context


@pytest.fixture
def market(engine: Engine, sqlite_url: str) -> ToolContext:
    ctx = replace(open_context(settings=make_settings(sqlite_url), engine=engine), clock=FixedClock(NOW))
    seed_demo(ctx)
    return ctx


def answering(picks: list[dict[str, Any]], sent: list[dict[str, Any]]) -> LLM:
    """Claude over a mock transport: a Messages response whose submit_picks input is ``picks``."""

    def reply(request: httpx2.Request) -> httpx2.Response:
        sent.append(json.loads(request.content))
        return httpx2.Response(
            200,
            json={
                "id": "msg_01Picks",
                "type": "message",
                "role": "assistant",
                "model": "claude-sonnet-5-5",
                "content": [
                    {"type": "tool_use", "id": "toolu_01", "name": "submit_picks", "input": {"picks": picks}}
                ],
                "stop_reason": "tool_use",
                "stop_sequence": None,
                "usage": {"input_tokens": 4000, "output_tokens": 300, "cache_read_input_tokens": 900},
            },
        )

    return LLM(
        api_key="test-key",
        model="claude-sonnet-5-5",
        http_client=httpx2.Client(transport=httpx2.MockTransport(reply)),
    )


def test_a_greedy_answer_changes_no_stake_and_its_inventions_are_refused(market: ToolContext) -> None:
    shown: list[Sequence[Dossier]] = []

    def capture(dossiers: Sequence[Dossier]) -> object:
        shown.append(dossiers)
        return favourites(dossiers, count=2)

    with bind(market):
        trade(market, analyst=capture, analyst_name="script", dry_run=True)
    good = favourites(shown[0], count=2)["picks"]
    with bind(market):
        honest = trade(market, analyst=lambda _: {"picks": [good[1]]}, analyst_name="script", dry_run=True)
    greedy = [
        {**good[0], "stake_usd": 5000},  # asks for a huge stake
        {**good[1], "odds": "+900", "book": "madeupbook"},  # invents a price
        {**good[0], "game_id": "nba-game-that-does-not-exist"},
        good[1],  # the same pick, asked for honestly
    ]
    sent: list[dict[str, Any]] = []
    with bind(market):
        summary = trade(
            market, analyst=claude_analyst(answering(greedy, sent)), analyst_name="claude", dry_run=True
        )
    reasons = [r.reason for r in summary.refused]
    assert any("stake" in r for r in reasons) and any("odds" in r or "price" in r for r in reasons)
    assert any("no-such" in r or "not in" in r or "unknown" in r for r in reasons), reasons
    [bet] = summary.bets
    [same] = honest.bets
    assert bet.stake_usd == same.stake_usd and bet.odds_american == same.odds_american
    # What went to Claude: the static prompt cached, the dossiers as the user's message.
    [body] = sent
    assert body["system"][0]["text"] == ANALYST_SYSTEM
    assert body["system"][0]["cache_control"] == {"type": "ephemeral"}
    assert shown[0][0].game_id in body["messages"][0]["content"][0]["text"]
