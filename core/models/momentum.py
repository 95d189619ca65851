"""momentum: recent margins, time-decayed, as a rating difference that moves the market prior.

Each team's rating is the weighted mean of its margins (points for minus against) over its
last ``window`` games known at ``as_of``, each game weighted ``0.5 ** (age in days /
half_life_days)``: a 20-point win last night counts fully, the same win a month ago about a
third. The feature is the home rating minus the away rating; the market prior's log-odds move
by that difference times a coefficient fit per sport and market on stored history
(``core.models.training``), so a league where the market already prices form fits a
coefficient near zero and momentum stays with the market.

Markets: the moneyline (home vs away; the draw keeps the market's share) and the spread (home
covers). Needs ``min_games`` past games for each team, else no prediction for the game.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import ClassVar

from core.form import TeamGame
from core.models.base import GameContext, MarketBook
from core.models.training import Features, ShiftModel
from core.sports import Market


def decayed_rating(
    history: Sequence[TeamGame], as_of: datetime, *, half_life_days: float, window: int
) -> tuple[float, int]:
    """(time-decayed mean margin over the last ``window`` games before ``as_of``, games used)."""
    past = sorted(
        (g for g in history if g.commence_time < as_of), key=lambda g: g.commence_time, reverse=True
    )
    recent = past[:window]
    if not recent:
        return 0.0, 0
    weights = [0.5 ** (((as_of - g.commence_time) / timedelta(days=1)) / half_life_days) for g in recent]
    margins = [g.points_for - g.points_against for g in recent]
    return sum(w * m for w, m in zip(weights, margins, strict=True)) / sum(weights), len(recent)


@dataclass(frozen=True)
class Momentum(ShiftModel):
    name: str = "momentum"
    half_life_days: float = 21.0  # how fast a result fades: the feature's definition, not its weight
    window: int = 10
    min_games: int = 3

    markets: ClassVar[tuple[Market, ...]] = (Market.H2H, Market.SPREADS)

    def features(self, context: GameContext, book: MarketBook) -> Features | None:
        home, n_home = decayed_rating(
            context.home_history, context.as_of, half_life_days=self.half_life_days, window=self.window
        )
        away, n_away = decayed_rating(
            context.away_history, context.as_of, half_life_days=self.half_life_days, window=self.window
        )
        if min(n_home, n_away) < self.min_games:
            return None
        return Features(("rating_diff",), (home - away,))
