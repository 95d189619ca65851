"""Fixtures for the agent tests: the simulated book's odds at NOW, and a night of graded predictions."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from core.clock import FixedClock
from services.collect import collect_odds, collect_scores
from services.demo import seed_demo
from services.setup import prepare_database
from services.trading import trade
from tests.conftest import NOW, make_settings
from tests.services.test_trading import favourites
from tools.context import ToolContext, bind, open_context
from tools.predictions import analyze


@pytest.fixture
def market(sqlite_url: str) -> ToolContext:
    """The simulated book's odds at NOW on a fixed clock (SQLite: these tests are about the brain)."""
    settings = make_settings(sqlite_url)
    ctx = replace(open_context(settings=settings, engine=prepare_database(settings)), clock=FixedClock(NOW))
    seed_demo(ctx)
    return ctx


@pytest.fixture
def graded(market: ToolContext) -> ToolContext:
    """A night of every model's predictions, graded a day later (as tests/tools/conftest.py's)."""
    clock = market.clock
    assert isinstance(clock, FixedClock)
    with bind(market):
        analyze(hours=12)
        clock.advance(timedelta(days=1))
        collect_odds(market, source="sim")
        collect_scores(market, source="sim")
    return market


@pytest.fixture
def traded(market: ToolContext) -> ToolContext:
    """The market with Benny's bets on the favourites placed."""
    placed = trade(market, analyst=favourites, analyst_name="script")
    assert placed.bets, placed.refused
    return market
