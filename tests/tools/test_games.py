"""The odds board: best price per side across books, at the main line, from the database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.errors import InvalidInput
from store.odds import save_quotes
from tests.conftest import NOW
from tests.factories import full_quotes, game
from tools.context import ToolContext, bind
from tools.games import get_games, get_odds


def _seed(ctx: ToolContext) -> None:
    g = game()
    with ctx.unit_of_work() as session:
        save_quotes(session=session, quotes=full_quotes(g, "pinnacle", NOW - timedelta(hours=1)))
        save_quotes(session=session, quotes=full_quotes(g, "fanduel", NOW - timedelta(hours=1), shift=0.05))
        save_quotes(session=session, quotes=full_quotes(g, "betmgm", NOW - timedelta(hours=1), shift=-0.03))


def test_best_price_per_side_and_its_book(ctx: ToolContext) -> None:
    _seed(ctx)
    with bind(ctx):
        board = get_odds(sport="nba")
    assert len(board.games) == 1
    markets = {m.market: {s.side: s for s in m.sides} for m in board.games[0].markets}
    # fanduel shifts home and over prices up by 0.05, betmgm shifts the away and under up by 0.03.
    assert markets["h2h"]["home"].book == "fanduel"
    assert markets["h2h"]["home"].odds_decimal == pytest.approx(1.65)
    assert markets["h2h"]["home"].odds_american == -154
    assert markets["h2h"]["away"].book == "betmgm"
    assert markets["h2h"]["away"].odds_decimal == pytest.approx(2.48)
    assert markets["spreads"]["home"].point == -4.5
    assert markets["spreads"]["away"].point == 4.5
    assert markets["totals"]["under"].book == "betmgm"
    assert all(s.books == 3 for sides in markets.values() for s in sides.values())


def test_window_and_validation(ctx: ToolContext) -> None:
    _seed(ctx)
    with bind(ctx):
        assert get_odds(sport="nba", hours=1).games == []
        assert [g.books for g in get_games(sport="basketball_nba")] == [3]
        with pytest.raises(InvalidInput, match="hours must be between 1 and 336, got 0"):
            get_odds(sport="nba", hours=0)
        with pytest.raises(InvalidInput, match="sport must be one of"):
            get_odds(sport="cricket")


def test_the_first_and_last_days_a_date_can_name_have_their_games(alice: ToolContext) -> None:
    # 9999-12-31 has no day after it: its window must end with the day, not at the next midnight.
    first = game("g-first", start=datetime(1, 1, 1, 20, tzinfo=UTC))
    last = game("g-last", start=datetime(9999, 12, 31, 20, tzinfo=UTC))
    with alice.unit_of_work() as session:
        for g in (first, last):
            save_quotes(session=session, quotes=full_quotes(g, "pinnacle", NOW))
    with bind(alice):
        assert [g.game_id for g in get_odds(date_from=date.max).games] == ["g-last"]
        assert [g.game_id for g in get_odds(date_from=date(9999, 12, 1), date_to=date.max).games] == [
            "g-last"
        ]
        assert [g.game_id for g in get_odds(date_from=date.min).games] == ["g-first"]
        assert get_odds(date_from=date(9999, 12, 30)).games == []
