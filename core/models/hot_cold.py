"""hot_cold: current streaks — straight up, against the spread, over/under — regressed toward the market.

A team's streak is its run of same-signed results from its newest game: +3 for three straight
wins (covers, overs), −2 for two straight losses; a draw or a push ends a run, so a team whose
newest game was drawn has streak 0. The feature is ``sign × log(1 + length)``: each further
game in a run adds less, the way evidence of a real change in a team does, so one freak
ten-game run cannot swing the model by ten times what a single game does.

- moneyline: home streak minus away streak (straight up);
- spread: home streak minus away streak against the closing spread (their own handicap);
- total: the two teams' over/under streaks added (two "over" teams point to the over).

Regression to the mean is the fit's job: the prior is the market, which already regresses a
streak to the teams' quality; the coefficient, fit per sport and market on stored history with
a penalty that pulls it to zero, says how much of a streak the market misses — positive when
streaks persist beyond the price, negative when they revert, zero when the market has it.

Needs each team's newest game (and for the spread and total, its closing line), else no
prediction for that market.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core.form import TeamGame
from core.models.base import GameContext, MarketBook
from core.models.training import Features, ShiftModel
from core.sports import Market


def straight_up(game: TeamGame) -> int | None:
    return _sign(game.points_for - game.points_against)


def against_the_spread(game: TeamGame) -> int | None:
    if game.spread_close is None:
        return None
    return _sign(game.points_for - game.points_against + game.spread_close)


def over_under(game: TeamGame) -> int | None:
    if game.total_close is None:
        return None
    return _sign(game.points_for + game.points_against - game.total_close)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def streak(history: Sequence[TeamGame], result: Callable[[TeamGame], int | None]) -> int | None:
    """The signed length of the run ending with the newest game; None when that game's result is unknown."""
    newest_first = sorted(history, key=lambda g: g.commence_time, reverse=True)
    if not newest_first:
        return None
    first = result(newest_first[0])
    if first is None:
        return None
    run = 0
    for game in newest_first:
        if first == 0 or result(game) != first:
            break
        run += 1
    return first * run


def streak_strength(length: int) -> float:
    """sign × log(1 + |length|): diminishing returns on each further game of a run."""
    return math.copysign(math.log1p(abs(length)), length) if length else 0.0


@dataclass(frozen=True)
class HotCold(ShiftModel):
    name: str = "hot_cold"

    def features(self, context: GameContext, book: MarketBook) -> Features | None:
        result = {Market.H2H: straight_up, Market.SPREADS: against_the_spread, Market.TOTALS: over_under}[
            book.market
        ]
        home = streak(context.home_history, result)
        away = streak(context.away_history, result)
        if home is None or away is None:
            return None
        if book.market is Market.TOTALS:
            return Features(("ou_streak_sum",), (streak_strength(home) + streak_strength(away),))
        name = "su_streak_diff" if book.market is Market.H2H else "ats_streak_diff"
        return Features((name,), (streak_strength(home) - streak_strength(away),))
