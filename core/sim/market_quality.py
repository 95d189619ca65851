"""How good the simulated market is: opening and closing lines of whole seasons, scored.

The consensus is the average of the books' devigged (multiplicative) probabilities, the way
shared/data/DATA.md builds its baselines from single books. Binary sports score the home-win
probability with (p − y)², ties excluded (there are none); the EPL scores the 3-way forecast
with Σ_j (p_j − y_j)² over home, draw and away: ``core.scoring.brier_binary_if_two_way``. Log
loss is unclipped, as DATA.md's is. The sharp-versus-soft comparison is the mean squared
distance of each book's closing probabilities from the simulation's true ones.

Everything is computed from the world model with arrays (every game of a season at once), so a
five-seed check of all five leagues takes a few seconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from core.devig import devig
from core.odds import FloatArray
from core.scoring import brier_binary_if_two_way, favourite_hit_rate, log_loss
from core.sim.market import BOOKS
from core.sim.quoting import book_views, market_quotes
from core.sim.season import LeagueSeason, build_season
from core.sports import Market, Sport

__all__ = [
    "DEFAULT_SEASON",
    "TARGET_BRIER",
    "CalibrationReport",
    "SeasonLines",
    "calibration_report",
    "season_lines",
]

IntArray = npt.NDArray[np.int64]

DEFAULT_SEASON: Final = 2025
# Closing-line Brier of the real markets (shared/data/DATA.md): NHL is the three seasons pooled.
TARGET_BRIER: Final[dict[Sport, float]] = {
    Sport.NBA: 0.2024,
    Sport.NFL: 0.2111,
    Sport.NHL: 0.2335,
    Sport.MLB: 0.2388,
    Sport.EPL: 0.5622,
}


@dataclass(frozen=True, slots=True)
class SeasonLines:
    """Devigged opening and closing probabilities of every book for every game of a season.

    Outcome columns are (home, away) or, for the EPL, (home, away, draw); ``outcome`` indexes them.
    """

    sport: Sport
    opening: FloatArray  # (games, books, outcomes)
    closing: FloatArray
    truth: FloatArray  # (games, outcomes)
    outcome: IntArray


def _devigged(league: LeagueSeason, k: IntArray) -> FloatArray:
    games = np.arange(len(league), dtype=np.int64)
    quotes = market_quotes(league, book_views(league, games, k), [Market.H2H])[0]
    n, n_books, n_outcomes = quotes.decimal.shape
    return devig(quotes.decimal.reshape(n * n_books, n_outcomes)).reshape(n, n_books, n_outcomes)


def season_lines(league: LeagueSeason) -> SeasonLines:
    """Every game's h2h lines at its opening and closing grid points, devigged per book."""
    home, away = league.home_score, league.away_score
    outcome = np.where(home > away, 0, np.where(home < away, 1, 2)).astype(np.int64)
    truth = np.stack([league.p_home, 1.0 - league.p_home - league.p_draw, league.p_draw], axis=1)
    if not league.sport.has_draw:
        truth = truth[:, :2]
    return SeasonLines(
        sport=league.sport,
        opening=_devigged(league, league.market.k_open),
        closing=_devigged(league, league.market.k_close),
        truth=truth,
        outcome=outcome,
    )


@dataclass(frozen=True, slots=True)
class CalibrationReport:
    """Scores of the simulated market over pooled seasons (see the module docstring)."""

    sport: Sport
    seeds: tuple[int, ...]
    season: int
    n_games: int
    brier_open: float
    brier_close: float
    log_loss_close: float
    favourite_hit_close: float
    home_win_rate: float
    draw_rate: float
    mse_by_book: dict[str, float]  # closing probabilities vs the truth

    @property
    def target(self) -> float:
        return TARGET_BRIER[self.sport]

    @property
    def sharp_mse(self) -> float:
        return self.mse_by_book["pinnacle"]

    @property
    def soft_mse(self) -> dict[str, float]:
        return {book: mse for book, mse in self.mse_by_book.items() if book != "pinnacle"}


def calibration_report(
    sport: Sport, seeds: Iterable[int] = range(1, 6), season: int = DEFAULT_SEASON
) -> CalibrationReport:
    """Opening and closing consensus Brier, and each book's closing error, pooled over seeds."""
    seed_list = tuple(seeds)
    lines = [season_lines(build_season(seed, sport, season)) for seed in seed_list]
    outcome = np.concatenate([line.outcome for line in lines])
    opening = np.concatenate([line.opening for line in lines]).mean(axis=1)
    closing_by_book = np.concatenate([line.closing for line in lines])
    closing = closing_by_book.mean(axis=1)
    truth = np.concatenate([line.truth for line in lines])
    decided = outcome < (3 if sport.has_draw else 2)  # binary sports exclude ties (there are none)
    squared = ((closing_by_book - truth[:, None, :]) ** 2).sum(axis=2).mean(axis=0)
    return CalibrationReport(
        sport=sport,
        seeds=seed_list,
        season=season,
        n_games=int(decided.sum()),
        brier_open=brier_binary_if_two_way(opening[decided], outcome[decided]),
        brier_close=brier_binary_if_two_way(closing[decided], outcome[decided]),
        log_loss_close=log_loss(closing[decided], outcome[decided], clip=None),
        favourite_hit_close=favourite_hit_rate(closing[decided], outcome[decided]),
        home_win_rate=float((outcome == 0).mean()),
        draw_rate=float((outcome == 2).mean()),
        mse_by_book={book.key: float(mse) for book, mse in zip(BOOKS, squared.tolist(), strict=True)},
    )
