"""`best_value_bets`: the sides whose best price beats the devigged consensus, largest expected value first.

The value model's view, read live from the odds in the store: for every market of every game in
the window, each side's fair probability (the consensus of the books, the sharp book weighted
more) against the best price on offer. Expected value is per dollar staked: fair × price − 1.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from core.errors import InvalidInput
from core.formatting import pick_label
from core.models.base import best_prices
from core.models.consensus import market_fair
from core.odds import american_price
from core.sports import parse_sport
from services.dossier import side_point
from services.game_contexts import contexts_at
from store.odds import games_between
from tools.context import current
from tools.registry import tool


class ValueBet(BaseModel):
    game_id: str
    commence_time: datetime
    matchup: str
    market: str
    side: str
    pick: str = Field(description="the team, 'Draw', 'Over' or 'Under', with the line")
    point: float | None
    book: str
    odds_american: int
    odds_decimal: float
    fair_probability: float = Field(description="devigged consensus probability of the side")
    expected_value: float = Field(description="per dollar staked: fair probability x decimal price - 1")
    books: int


@tool(tags=("odds", "models"))
def best_value_bets(
    sport: str = "nba", hours: int = 24, min_edge: float = 0.0, limit: int = 10
) -> list[ValueBet]:
    """The best value on the board: sides whose best price beats the devigged consensus, largest edge first.

    Args:
        sport: nba, nfl, mlb, nhl or epl.
        hours: games starting within this many hours (1 to 336).
        min_edge: only sides with at least this expected value per dollar (0.02 is 2%).
        limit: at most this many (1 to 100).
    """
    chosen = parse_sport(sport)
    if not 1 <= hours <= 336:
        raise InvalidInput(f"hours must be between 1 and 336, got {hours}")
    if not -1.0 < min_edge < 1.0:
        raise InvalidInput(f"min_edge must be a fraction such as 0.02, got {min_edge}")
    if not 1 <= limit <= 100:
        raise InvalidInput(f"limit must be between 1 and 100, got {limit}")
    ctx = current()
    now = ctx.now()
    with ctx.unit_of_work() as session:
        rows = games_between(session=session, start=now, end=now + timedelta(hours=hours), sport=chosen)
        contexts = contexts_at(session, now=now, rows=rows)
    found: list[ValueBet] = []
    for context in contexts:
        game = context.game
        for market, book in context.markets.items():
            fair = market_fair(book)
            best = best_prices(book)
            if fair is None or not best:
                continue
            for i, side in enumerate(book.sides):
                line = best[side]
                price = line.prices[side]
                value = float(fair[i]) * price - 1.0
                if value < min_edge:
                    continue
                point = side_point(market, side, book.point)
                found.append(
                    ValueBet(
                        game_id=game.id,
                        commence_time=game.commence_time,
                        matchup=f"{game.away_team} @ {game.home_team}",
                        market=market.value,
                        side=side.value,
                        pick=pick_label(
                            market, side, point, home_team=game.home_team, away_team=game.away_team
                        ),
                        point=point,
                        book=line.book,
                        odds_american=american_price(price),
                        odds_decimal=round(price, 4),
                        fair_probability=round(float(fair[i]), 4),
                        expected_value=round(value, 4),
                        books=len(book.books()),
                    )
                )
    found.sort(key=lambda v: (-v.expected_value, v.commence_time, v.game_id, v.market, v.side))
    return found[:limit]
