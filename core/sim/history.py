"""Simulated history in bulk: every finished game's opening and closing prices and its result.

    games = sim_history(world, Sport.NBA, first, last)   # list[HistoricalGame], source "sim"
    save_history(session=session, games=games)           # store.history: one bulk insert

``benny replay`` seeds a year of history before it runs the live loop. Collecting that year
through ``SimbookTransport`` and the Odds API parser, hour by hour, is far too slow, so this
module reads the league-season arrays directly, a batch of games at a time, and builds the values
the live path would have stored had it collected at each game's two moments:

- opening: the game's first priced grid point (``k_open``); closing: the last grid point before
  the start (``k_close``). Every book in ``BOOKS`` order, as the collector's regions (us, eu, uk)
  bring them.
- sides and points as ``parse_odds`` reads them from the simulated JSON: h2h home, away (and
  draw in the EPL) without a point; spreads home at the book's handicap and away at its negation;
  totals over and under at the line.
- ``price_decimal`` is the American price converted back with ``american_to_decimal``: the
  collector asks the book for American odds, so even the decimal-native books (Pinnacle,
  William Hill) reach the store that way, not as their own decimal.
- ``seen_at`` is the book's last update. At the open every book has just quoted; at the close a
  book that re-quotes every few hours shows an older stamp. A closing quote with the same stamp
  as the opening one is the opening quote again (the store would keep only one) and is left out.
- the result: ``FinalScore`` with ``completed_at`` = the game's end, as ``/scores`` reports it.

Games announced too late to be priced before their start (a late playoff fixture) come with a
score and no quotes, as in the live path.

One difference is below the prices' precision: NBA and NFL spread probabilities are summed over
a margin table whose width depends on the largest line in the batch, so a probability may differ
in its last bit from the live path's (which batches the games open at that moment). Prices are
rounded to cents or whole American points, so a last-bit difference only shows when a value sits
exactly on a rounding boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import repeat
from typing import Final

import numpy as np
import numpy.typing as npt

from core.clock import ensure_utc
from core.errors import InvalidInput
from core.importers.base import HistoricalGame, pauses_cyclic_gc
from core.odds import american_to_decimal
from core.quotes import FinalScore, GameInfo, OddsQuote
from core.sim.calendar import seasons_between
from core.sim.market import BOOKS, HOUR_S
from core.sim.quoting import book_views, market_quotes
from core.sim.season import LeagueSeason
from core.sim.world import SimWorld
from core.sports import Market, Sport, sides_for

__all__ = ["SOURCE", "sim_history"]

IntArray = npt.NDArray[np.int64]

SOURCE: Final = "sim"
ALL_MARKETS: Final = (Market.H2H, Market.SPREADS, Market.TOTALS)
# Games priced per numpy batch: bounds the score tables of the count sports (an MLB view's table
# is 21 x 21 cells, times 8 books) to a few tens of MB.
_BATCH: Final = 512


@pauses_cyclic_gc
def sim_history(
    world: SimWorld,
    sport: Sport,
    first: datetime,
    last: datetime,
    *,
    markets: Sequence[Market] = ALL_MARKETS,
) -> list[HistoricalGame]:
    """Every game of ``sport`` starting in [first, last) and over by ``last``, by start time.

    Each comes with every book's quotes at its opening and closing grid points and its final
    score; see the module docstring for what exactly is stored.
    """
    first_s, last_s = _epoch(first, "first"), _epoch(last, "last")
    wanted = tuple(dict.fromkeys(Market(m) for m in markets))
    if not wanted:
        raise InvalidInput("markets must name at least one market")
    out: list[HistoricalGame] = []
    if first_s >= last_s:
        return out
    first_day = datetime.fromtimestamp(first_s, UTC).date()
    last_day = datetime.fromtimestamp(last_s, UTC).date()
    for season in seasons_between(sport, first_day, last_day):
        league = world.season(sport, season)
        games = league.starting_between(first_s, last_s)
        games = games[league.end[games] <= last_s]
        for start in range(0, len(games), _BATCH):
            out.extend(_history(league, games[start : start + _BATCH], wanted))
    out.sort(key=lambda item: item.game.commence_time)  # seasons may interleave at their edges
    return out


def _epoch(moment: datetime, name: str) -> int:
    if moment.tzinfo is None:
        raise InvalidInput(f"{name} must be timezone-aware, got {moment!r}")
    return int(ensure_utc(moment).timestamp())


@dataclass(frozen=True, slots=True)
class _Board:
    """Every book's quotes for a batch of games at one grid point each, as plain lists.

    ``prices[m][g][b][j]`` is the decimal price (from the American one) of outcome j;
    ``points[m][g][b][j]`` its point, or ``points[m]`` None for h2h; ``quoted_at[g][b]`` epoch s.
    """

    quoted_at: list[list[int]]
    prices: list[list[list[list[float]]]]
    points: list[list[list[list[float]]] | None]


def _board(league: LeagueSeason, games: IntArray, k: IntArray, markets: tuple[Market, ...]) -> _Board:
    if len(games) == 0:
        return _Board([], [], [])
    views = book_views(league, games, k)
    quoted = market_quotes(league, views, markets)
    prices: list[list[list[list[float]]]] = []
    points: list[list[list[list[float]]] | None] = []
    for market, q in zip(markets, quoted, strict=True):
        prices.append(np.asarray(american_to_decimal(q.american), dtype=np.float64).tolist())
        if q.point is None:
            points.append(None)
            continue
        line = q.point + 0.0  # + 0.0 turns −0.0 into 0.0, as the book's JSON does
        other = -line + 0.0 if market is Market.SPREADS else line
        points.append(np.stack([line, other], axis=-1).tolist())
    return _Board(views.quoted_at.tolist(), prices, points)


def _history(league: LeagueSeason, games: IntArray, markets: tuple[Market, ...]) -> list[HistoricalGame]:
    """The history of a batch of finished games of one league-season."""
    sport, noise = league.sport, league.market
    k_open, k_close = noise.k_open[games], noise.k_close[games]
    # k_open is clipped to k_close: a game announced after its last grid point is never priced.
    priced = noise.grid_start[games] + k_open * HOUR_S >= league.announced[games]
    rows = np.full(len(games), -1, dtype=np.int64)
    rows[priced] = np.arange(int(priced.sum()))
    opening = _board(league, games[priced], k_open[priced], markets)
    closing = _board(league, games[priced], k_close[priced], markets)
    sides = [sides_for(sport, m) for m in markets]
    no_points = (None, None, None)  # h2h: map stops at the shortest of its inputs, the sides
    book_keys = [b.key for b in BOOKS]
    stamps: dict[int, datetime] = {}
    label = league.calendar.label
    out: list[HistoricalGame] = []
    for i, row, commence, end, home, away, home_score, away_score in zip(
        games.tolist(),
        rows.tolist(),
        league.commence[games].tolist(),
        league.end[games].tolist(),
        league.home[games].tolist(),
        league.away[games].tolist(),
        league.home_score[games].tolist(),
        league.away_score[games].tolist(),
        strict=True,
    ):
        game = GameInfo(
            id=league.ids[i],
            sport=sport,
            commence_time=datetime.fromtimestamp(commence, UTC),
            home_team=league.teams[home],
            away_team=league.teams[away],
        )
        quotes: list[OddsQuote] = []
        if row >= 0:
            opened = opening.quoted_at[row]
            for board in (opening, closing):
                for b, (book, epoch) in enumerate(zip(book_keys, board.quoted_at[row], strict=True)):
                    if board is closing and epoch == opened[b]:
                        continue  # the book has not re-quoted since the open: the same quote
                    seen_at = stamps.get(epoch)
                    if seen_at is None:
                        seen_at = stamps[epoch] = datetime.fromtimestamp(epoch, UTC)
                    for m, market in enumerate(markets):
                        table = board.points[m]
                        quotes.extend(
                            map(
                                OddsQuote,
                                repeat(game),
                                repeat(book),
                                repeat(market),
                                sides[m],
                                board.prices[m][row][b],
                                repeat(seen_at),
                                no_points if table is None else table[row][b],
                            )
                        )
        score = FinalScore(game, home_score, away_score, datetime.fromtimestamp(end, UTC))
        out.append(HistoricalGame(game, tuple(quotes), score, SOURCE, label))
    return out
