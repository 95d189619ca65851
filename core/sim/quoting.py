"""What each book shows for a set of games at one grid point: views, lines and prices.

Pure functions of a ``LeagueSeason`` and grid indices, shared by the world (serving ``odds``)
and the calibration tests (opening and closing lines of a whole season at once).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from core.odds import FloatArray
from core.sim.market import (
    BOOKS,
    HOUR_S,
    Book,
    Quotes,
    book_prices,
    h2h_fair,
    joint_table,
    spread_fair,
    total_fair,
)
from core.sim.season import LeagueSeason
from core.sports import Market

__all__ = ["BookViews", "book_views", "grid_index", "market_quotes"]

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class BookViews:
    """Each book's side and total latent for (games, books), and when it last re-quoted."""

    books: tuple[Book, ...]
    side: FloatArray
    total: FloatArray
    quoted_at: IntArray  # epoch seconds


def grid_index(season: LeagueSeason, games: IntArray, moment_s: float) -> IntArray:
    """The grid point in force at ``moment_s`` for each game (may be outside the price window)."""
    return ((int(moment_s) - season.market.grid_start[games]) // HOUR_S).astype(np.int64)


def book_views(
    season: LeagueSeason, games: IntArray, k: IntArray, books: tuple[int, ...] | None = None
) -> BookViews:
    """Views of ``books`` (indices into BOOKS; all by default) at grid point ``k`` of each game.

    ``k`` must lie in [k_open, k_close] for every game: the caller decides which games have
    prices at all.
    """
    market = season.market
    chosen = tuple(range(len(BOOKS))) if books is None else books
    cols = np.array(chosen, dtype=np.int64)
    update = np.array([BOOKS[b].update_hours for b in chosen], dtype=np.int64)[None, :]
    lag = np.array([BOOKS[b].lag_hours for b in chosen], dtype=np.int64)[None, :]
    noise = np.array([BOOKS[b].noise_prob for b in chosen])[None, :]
    persistence = np.array([BOOKS[b].persistence for b in chosen])[None, :]
    k_open = market.k_open[games][:, None]
    kk = k[:, None]
    # A book re-quotes every `update` hours (its own phase per game) and copies the consensus
    # as it stood `lag` hours before that.
    k_update = np.maximum(kk - (kk + market.phase[games][:, cols]) % update, k_open)
    k_source = np.maximum(k_update - lag, k_open)
    info_time = (market.grid_start[games][:, None] + k_source * HOUR_S).astype(np.float64)
    injury_side, injury_total = season.injury_effect(games, info_time)
    rows = games[:, None]
    side = season.side_known[rows] + injury_side + market.close_side[rows] + market.walk_side[rows, k_source]
    total = (
        season.total_known[rows] + injury_total + market.close_total[rows] + market.walk_total[rows, k_source]
    )
    spec = season.spec
    to_latent = 1.0 / spec.probability_slope()
    fixed, fresh = np.sqrt(persistence), np.sqrt(1.0 - persistence)
    side_noise = (
        fixed * market.book_offset_side[rows, cols] + fresh * market.book_jitter_side[rows, k_update, cols]
    )
    total_noise = (
        fixed * market.book_offset_total[rows, cols] + fresh * market.book_jitter_total[rows, k_update, cols]
    )
    # Total noise scales with the closing error of the total, in the same proportion as the side's.
    total_scale = spec.total_close_sd / spec.close_sd_prob
    side = side + noise * to_latent * side_noise
    total = total + noise * total_scale * total_noise
    quoted_at = (market.grid_start[games][:, None] + k_update * HOUR_S).astype(np.int64)
    return BookViews(tuple(BOOKS[b] for b in chosen), side, total, quoted_at)


def market_quotes(season: LeagueSeason, views: BookViews, markets: Sequence[Market]) -> list[Quotes]:
    """Prices (games, books, outcomes) of each market; outcomes are (home, away[, draw]) or (over, under).

    The score distribution of each view is computed once and shared by the markets.
    """
    spec = season.spec
    table = joint_table(spec, views.side, views.total) if len(markets) > 1 else None
    out: list[Quotes] = []
    for market in markets:
        point: FloatArray | None = None
        if market is Market.H2H:
            fair = h2h_fair(spec, views.side, views.total, table)
        elif market is Market.SPREADS:
            point, fair = spread_fair(spec, views.side, views.total, table)
        else:
            point, fair = total_fair(spec, views.side, views.total, table)
        decimal, american = book_prices(fair, views.books)
        out.append(Quotes(decimal, american, point))
    return out
