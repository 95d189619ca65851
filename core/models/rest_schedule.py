"""rest_schedule: rest days, back-to-backs, road trips and schedule density, against each team's normal.

For each team, measured at the game's start from the games known at ``as_of``:

- ``rest``: log(1 + days since its last game) minus the median of log(1 + days between its
  past games) — 0 is the team's usual rest, positive fresher, negative more tired;
- ``back_to_back``: 1 when its last game started less than 30 hours before this one;
- ``road_trip``: for the away team, the road games it has played since it was last at home
  (0 on the first game of a trip, and always 0 for the home team);
- ``density``: games in the 7 days before this one minus what its usual pace puts in 7 days.

Moneyline and spread take each feature home minus away; the total takes rest, back-to-back and
density added over both teams (tired legs on both sides point to fewer points). Each market's
log-odds move by the features times coefficients fit per sport and market on stored history
(in leagues without back-to-backs that feature never varies and its coefficient is 0).

Needs two past games per team (a usual rest needs one gap), else no prediction for the game.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from core.form import BACK_TO_BACK, TeamGame
from core.models.base import GameContext, MarketBook
from core.models.training import Features, ShiftModel
from core.sports import Market

DENSITY_WINDOW = timedelta(days=7)  # the window "games this week" counts over (a definition, not a weight)


@dataclass(frozen=True, slots=True)
class Schedule:
    rest: float
    back_to_back: float
    road_trip: float
    density: float


def schedule(history: Sequence[TeamGame], start: datetime, *, is_home: bool) -> Schedule | None:
    """A team's schedule features for a game starting at ``start``; None with fewer than 2 past games."""
    past = sorted(
        (g for g in history if g.commence_time < start), key=lambda g: g.commence_time, reverse=True
    )
    if len(past) < 2:
        return None
    day = timedelta(days=1)
    rest_days = (start - past[0].commence_time) / day
    gaps = [(newer.commence_time - older.commence_time) / day for newer, older in itertools.pairwise(past)]
    usual = statistics.median(math.log1p(g) for g in gaps)
    trip = 0
    if not is_home:
        for game in past:
            if game.is_home:
                break
            trip += 1
    span_days = (start - past[-1].commence_time) / day
    pace = len(past) / span_days * (DENSITY_WINDOW / day)  # games a usual week holds
    this_week = sum(start - g.commence_time <= DENSITY_WINDOW for g in past)
    return Schedule(
        rest=math.log1p(rest_days) - usual,
        back_to_back=1.0 if start - past[0].commence_time < BACK_TO_BACK else 0.0,
        road_trip=float(trip),
        density=this_week - pace,
    )


@dataclass(frozen=True)
class RestSchedule(ShiftModel):
    name: str = "rest_schedule"

    def features(self, context: GameContext, book: MarketBook) -> Features | None:
        start = context.game.commence_time
        home = schedule(context.home_history, start, is_home=True)
        away = schedule(context.away_history, start, is_home=False)
        if home is None or away is None:
            return None
        if book.market is Market.TOTALS:
            return Features(
                ("rest_sum", "back_to_back_sum", "density_sum"),
                (home.rest + away.rest, home.back_to_back + away.back_to_back, home.density + away.density),
            )
        return Features(
            ("rest_diff", "back_to_back_diff", "road_trip_diff", "density_diff"),
            (
                home.rest - away.rest,
                home.back_to_back - away.back_to_back,
                home.road_trip - away.road_trip,
                home.density - away.density,
            ),
        )
