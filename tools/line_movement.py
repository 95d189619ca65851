"""`line_movement`: how one game's prices moved, book by book, with the market's devigged view beside them.

Read as of the context's clock: every stored snapshot of the game's market stamped at or before
now, nothing later. For each moment a snapshot was taken, the books that posted a price then,
with their price of every side (American, and the point for spreads and totals). Beside them,
the consensus as of that moment: each book's newest line at the main point, devigged and pooled
as the consensus model pools them (the sharp book counted twice, exchanges left out), given as
the probability of the first side: the home side, or the over. A moved main point moves the
consensus too: a spread's probability is of covering the point then quoted.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from core.errors import InvalidInput, NotFound
from core.models.base import build_market
from core.models.consensus import market_fair
from core.odds import american_price
from core.quotes import GameInfo, OddsQuote
from core.sports import Market, Side, Sport, sides_for
from core.teams import canonical_team
from store.odds import games_between, games_with_ids, snapshots_as_of
from tools.context import current
from tools.registry import tool

TEAM_WINDOW = timedelta(days=7)  # a team's "next game" starts within this


class SidePrice(BaseModel):
    side: str = Field(description="home, away, draw, over or under")
    odds_american: int
    odds_decimal: float
    point: float | None = Field(description="the side's spread or total line; null for moneylines")


class BookQuote(BaseModel):
    book: str
    sides: list[SidePrice]


class LineSnapshot(BaseModel):
    seen_at: datetime
    quotes: list[BookQuote] = Field(description="the books that posted a price at this moment")
    consensus_probability: float | None = Field(
        description="devigged consensus probability of the first side (home, or over) as of this moment"
    )
    consensus_point: float | None = Field(description="the main line the consensus is read at")
    consensus_books: int = Field(description="how many books the consensus pools")


class BookMove(BaseModel):
    book: str
    snapshots: int
    opening_at: datetime
    opening: list[SidePrice]
    latest_at: datetime
    latest: list[SidePrice]


class LineMovement(BaseModel):
    game_id: str
    sport: str
    matchup: str
    home_team: str
    away_team: str
    commence_time: datetime
    market: str
    sides: list[str] = Field(description="the market's sides in order; the first is the one followed")
    as_of: datetime
    snapshots: list[LineSnapshot] = Field(description="every moment a book posted a price, oldest first")
    books: list[BookMove] = Field(description="each book's first and latest price as of now")
    consensus_opening: float | None
    consensus_latest: float | None
    consensus_move: float | None = Field(description="latest minus opening consensus probability")


def _team_names(team: str) -> dict[Sport, str]:
    names = {}
    for sport in Sport:
        try:
            names[sport] = canonical_team(sport, team)
        except InvalidInput:
            continue
    if not names:
        raise InvalidInput(f"unknown team {team!r}: name a team of the NBA, NFL, MLB, NHL or EPL")
    return names


def _side_prices(quotes: list[OddsQuote], sides: tuple[Side, ...]) -> list[SidePrice]:
    by_side = {q.side: q for q in quotes}
    return [
        SidePrice(
            side=side.value,
            odds_american=american_price(by_side[side].price_decimal),
            odds_decimal=round(by_side[side].price_decimal, 4),
            point=by_side[side].point,
        )
        for side in sides
        if side in by_side
    ]


def _snapshots(quotes: list[OddsQuote], market: Market, sides: tuple[Side, ...]) -> list[LineSnapshot]:
    ordered = sorted(quotes, key=lambda q: q.seen_at)
    by_time: dict[datetime, dict[str, list[OddsQuote]]] = {}
    for q in ordered:
        by_time.setdefault(q.seen_at, {}).setdefault(q.book, []).append(q)
    out = []
    for seen_at in by_time:  # oldest first
        known = bisect_right(ordered, seen_at, key=lambda q: q.seen_at)
        book = build_market(market, sides, ordered[:known])  # the market as it stood then
        fair = None
        if book is not None:
            fair = market_fair(book)
        out.append(
            LineSnapshot(
                seen_at=seen_at,
                quotes=[
                    BookQuote(book=name, sides=_side_prices(posted, sides))
                    for name, posted in sorted(by_time[seen_at].items())
                ],
                consensus_probability=None if fair is None else round(float(fair[0]), 4),
                consensus_point=None if book is None else book.point,
                consensus_books=0 if book is None or fair is None else len(book.books()),
            )
        )
    return out


def _book_moves(snapshots: list[LineSnapshot]) -> list[BookMove]:
    seen: dict[str, list[tuple[datetime, BookQuote]]] = {}
    for snapshot in snapshots:
        for quote in snapshot.quotes:
            seen.setdefault(quote.book, []).append((snapshot.seen_at, quote))
    return [
        BookMove(
            book=book,
            snapshots=len(posted),
            opening_at=posted[0][0],
            opening=posted[0][1].sides,
            latest_at=posted[-1][0],
            latest=posted[-1][1].sides,
        )
        for book, posted in sorted(seen.items())
    ]


def _find_game(game_id: str | None, team: str | None, now: datetime) -> GameInfo:
    ctx = current()
    if game_id is not None:
        with ctx.unit_of_work() as session:
            rows = games_with_ids(session=session, game_ids=[game_id])
        if not rows:
            raise NotFound(f"no game {game_id!r}")
        return rows[0].game
    if team is None:
        raise InvalidInput("name the game: a game_id (from get_odds or get_games) or a team")
    names = _team_names(team)
    with ctx.unit_of_work() as session:
        rows = games_between(session=session, start=now, end=now + TEAM_WINDOW)
    for row in rows:
        name = names.get(row.game.sport)
        if name is not None and name in (row.game.home_team, row.game.away_team):
            return row.game
    named = " or ".join(sorted(set(names.values())))
    raise NotFound(f"no game of {named} in the next {TEAM_WINDOW.days} days")


@tool(tags=("odds",))
def line_movement(game_id: str | None = None, market: str = "h2h", team: str | None = None) -> LineMovement:
    """How a game's line moved: every book's prices at each snapshot, and the devigged consensus over time.

    Only what was stored by now. For each moment a book posted a price: its price of every side
    (American, with the point), and the consensus probability of the first side (home, or over)
    as of that moment. Also each book's opening and latest price and the consensus move.

    Args:
        game_id: the game (an id from get_odds or get_games); takes precedence over team.
        market: h2h, spreads or totals.
        team: instead of a game_id, a team name (Celtics, Boston Celtics, BOS): its next game
            starting within 7 days. A name several sports use (Boston) takes the soonest game.
    """
    try:
        chosen = Market(market.strip().lower())
    except ValueError:
        raise InvalidInput(f"market must be h2h, spreads or totals, got {market!r}") from None
    ctx = current()
    now = ctx.now()
    game = _find_game(game_id, team, now)
    sides = sides_for(game.sport, chosen)
    with ctx.unit_of_work() as session:
        quotes = snapshots_as_of(session=session, games=[game], as_of=now)[game.id]
    snapshots = _snapshots([q for q in quotes if q.market is chosen], chosen, sides)
    consensus = [s.consensus_probability for s in snapshots if s.consensus_probability is not None]
    opening, latest = (consensus[0], consensus[-1]) if consensus else (None, None)
    return LineMovement(
        game_id=game.id,
        sport=game.sport.value,
        matchup=f"{game.away_team} @ {game.home_team}",
        home_team=game.home_team,
        away_team=game.away_team,
        commence_time=game.commence_time,
        market=chosen.value,
        sides=[s.value for s in sides],
        as_of=now,
        snapshots=snapshots,
        books=_book_moves(snapshots),
        consensus_opening=opening,
        consensus_latest=latest,
        consensus_move=None if opening is None or latest is None else round(latest - opening, 4),
    )
