"""best_value_bets: every listed edge is the fair probability times the best price on the board, minus one."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from core.errors import InvalidInput
from core.odds import american_to_decimal
from services.demo import seed_demo
from tests.conftest import make_settings
from tools.context import ToolContext, bind, open_context
from tools.games import get_odds
from tools.value_bets import best_value_bets


@pytest.fixture
def seeded_ctx(engine: Engine, sqlite_url: str) -> ToolContext:
    ctx = open_context(settings=make_settings(sqlite_url), engine=engine)
    seed_demo(ctx)
    return ctx


def test_value_bets_are_sorted_and_priced_from_the_board(seeded_ctx: ToolContext) -> None:
    with bind(seeded_ctx):
        bets = best_value_bets(sport="nhl", hours=48, min_edge=-1.0 + 1e-9, limit=100)
        board = get_odds(sport="nhl", hours=48)
    assert bets
    assert [b.expected_value for b in bets] == sorted((b.expected_value for b in bets), reverse=True)
    best = {
        (g.game_id, m.market, s.side): s.odds_decimal for g in board.games for m in g.markets for s in m.sides
    }
    for b in bets:
        assert b.expected_value == pytest.approx(
            b.fair_probability * b.odds_decimal - 1.0, abs=6e-4
        )  # both rounded to 4 places
        assert b.odds_decimal == pytest.approx(best[(b.game_id, b.market, b.side)], abs=1e-4)
        assert american_to_decimal(b.odds_american) == pytest.approx(b.odds_decimal, abs=0.01)
    with bind(seeded_ctx):
        positive = best_value_bets(sport="nhl", hours=48, min_edge=0.0, limit=100)
    assert all(b.expected_value >= 0 for b in positive)
    assert len(positive) < len(bets)


def test_bad_arguments(seeded_ctx: ToolContext) -> None:
    with bind(seeded_ctx), pytest.raises(InvalidInput):
        best_value_bets(hours=0)
    with bind(seeded_ctx), pytest.raises(InvalidInput):
        best_value_bets(limit=0)
