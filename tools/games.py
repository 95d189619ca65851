"""Games and the odds board: what is on, and the best price for every side."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel, Field

from core import odds as core_odds
from core.errors import InvalidInput
from core.formatting import side_label
from core.sports import Market, Side, parse_sport, sides_for
from store.odds import BoardRow, latest_board
from tools.context import current
from tools.registry import tool


class BestPrice(BaseModel):
    side: str = Field(description="home, away, draw, over or under")
    label: str = Field(description="the team, 'Draw', 'Over' or 'Under'")
    point: float | None = Field(description="the spread or total line; null for moneylines")
    odds_american: int
    odds_decimal: float
    book: str = Field(description="the book offering the best price")
    books: int = Field(description="how many books quote this side at this line")


class MarketBoard(BaseModel):
    market: str
    sides: list[BestPrice]


class GameOdds(BaseModel):
    game_id: str
    sport: str
    commence_time: datetime
    home_team: str
    away_team: str
    updated_at: datetime = Field(description="time of the newest snapshot shown")
    markets: list[MarketBoard]


class OddsBoard(BaseModel):
    sport: str
    as_of: datetime
    window_hours: int
    games: list[GameOdds]


class GameSummary(BaseModel):
    game_id: str
    sport: str
    commence_time: datetime
    home_team: str
    away_team: str
    books: int


def _best_prices(
    by_side: dict[str, list[BoardRow]], market: Market, sides: tuple[Side, ...]
) -> MarketBoard | None:
    """Best price per side at the main line (the point most books quote for the first side)."""
    if not by_side:
        return None
    names = [side.value for side in sides]
    main_point: float | None = None
    if market is not Market.H2H:
        first = Counter(r.point for r in by_side.get(names[0], ()))
        if not first:
            return None
        # Most books first; ties go to the smaller line so the choice is stable.
        main_point = min(first.items(), key=lambda kv: (-kv[1], kv[0] if kv[0] is not None else 0.0))[0]
    out: list[BestPrice] = []
    for i, name in enumerate(names):
        quotes = by_side.get(name, [])
        if market is not Market.H2H:
            wanted = (
                -main_point if market is Market.SPREADS and i > 0 and main_point is not None else main_point
            )
            quotes = [r for r in quotes if r.point == wanted]
        if not quotes:
            continue
        best = max(quotes, key=lambda r: (r.price_decimal, r.book))
        out.append(
            BestPrice(
                side=name,
                label=side_label(name, home_team=best.home_team, away_team=best.away_team),
                point=best.point,
                odds_american=round(float(core_odds.decimal_to_american(best.price_decimal))),
                odds_decimal=round(best.price_decimal, 4),
                book=best.book,
                books=len(quotes),
            )
        )
    return MarketBoard(market=market.value, sides=out)


def _end_of_day(day: date) -> datetime:
    """The instant ``day`` ends (UTC), as the window's exclusive end: the next midnight.

    The last day a date can name has no next midnight; its window ends at the last instant a
    datetime holds, which leaves out one microsecond of it and nothing else.
    """
    if day == date.max:
        return datetime.max.replace(tzinfo=UTC)
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


@tool(tags=("odds",))
def get_odds(
    sport: str = "nba",
    hours: int = 36,
    game_id: str | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> OddsBoard:
    """The odds board: games starting in the next hours with the best current price per side.

    For each game it gives the moneyline (h2h), spread and total, each side's best price across
    the books at the main line, the book that offers it, and how many books quote it.

    Args:
        sport: nba, nfl, mlb, nhl or epl (or an Odds API sport key such as basketball_nba).
        hours: how far ahead to look, in hours (1 to 336).
        game_id: only this game.
        date_from: instead of hours: games from this UTC day (YYYY-MM-DD), past days included.
        date_to: with date_from: through this UTC day (at most 31 days after it).
    """
    parsed = parse_sport(sport)
    if not 1 <= hours <= 336:
        raise InvalidInput(f"hours must be between 1 and 336, got {hours}")
    ctx = current()
    now = ctx.now()
    start, end = now, now + timedelta(hours=hours)
    if date_from is not None or date_to is not None:
        day_one = date_from or now.date()
        day_last = date_to or day_one
        if day_last < day_one:
            raise InvalidInput(f"date_to ({day_last}) is before date_from ({day_one})")
        if (day_last - day_one).days > 31:
            raise InvalidInput(f"a date range covers at most 31 days, got {(day_last - day_one).days + 1}")
        start = datetime.combine(day_one, time(0), tzinfo=UTC)
        end = _end_of_day(day_last)
    with ctx.unit_of_work() as session:
        rows = latest_board(session=session, sport=parsed, start=start, end=end, game_id=game_id)
    # One pass over the rows: game, then market, then side.
    by_game: dict[str, dict[str, dict[str, list[BoardRow]]]] = {}
    for row in rows:
        by_game.setdefault(row.game_id, {}).setdefault(row.market, {}).setdefault(row.side, []).append(row)
    sides = {market: sides_for(parsed, market) for market in Market}
    games: list[GameOdds] = []
    for gid, game_markets in by_game.items():
        game_rows = [r for by_side in game_markets.values() for quotes in by_side.values() for r in quotes]
        first = game_rows[0]
        markets = [
            board
            for market in Market
            if (board := _best_prices(game_markets.get(market.value, {}), market, sides[market])) is not None
        ]
        games.append(
            GameOdds(
                game_id=gid,
                sport=parsed.value,
                commence_time=first.commence_time,
                home_team=first.home_team,
                away_team=first.away_team,
                updated_at=max(r.seen_at for r in game_rows),
                markets=markets,
            )
        )
    window = round((end - start).total_seconds() / 3600)
    return OddsBoard(sport=parsed.value, as_of=now, window_hours=window, games=games)


@tool(tags=("odds",))
def get_games(sport: str = "nba", days: int = 2) -> list[GameSummary]:
    """Upcoming games of a sport that have odds, soonest first.

    Args:
        sport: nba, nfl, mlb, nhl or epl (or an Odds API sport key such as basketball_nba).
        days: how many days ahead to look (1 to 14).
    """
    if not 1 <= days <= 14:
        raise InvalidInput(f"days must be between 1 and 14, got {days}")
    board = get_odds(sport=sport, hours=24 * days)
    return [
        GameSummary(
            game_id=g.game_id,
            sport=g.sport,
            commence_time=g.commence_time,
            home_team=g.home_team,
            away_team=g.away_team,
            books=max((s.books for m in g.markets for s in m.sides), default=0),
        )
        for g in board.games
    ]
