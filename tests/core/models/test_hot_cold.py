"""hot_cold: streaks straight up, against the spread and over/under move the market when they persist."""

from __future__ import annotations

from datetime import datetime

import numpy as np

from core.form import TeamGame
from core.models.base import GameContext
from core.models.hot_cold import HotCold, against_the_spread, over_under, straight_up, streak, streak_strength
from core.models.training import TrainingExample
from core.sports import Market, Side, Sport

from .synthetic import context, history, market, prior_logit, sigmoid, simulate, start_of


def signs(rng: np.random.Generator) -> list[int]:
    return [int(v) for v in rng.choice([-9, 7], size=6)]


def make(i: int, rng: np.random.Generator) -> GameContext:
    p = float(rng.uniform(0.3, 0.7))
    start = start_of(i)
    return context(
        i,
        h2h=(p, 1 - p),
        home_history=history(start, signs(rng), prefix="h"),
        away_history=history(start, signs(rng), prefix="a"),
    )


def feature(ctx: GameContext, which: Market = Market.H2H) -> float:
    found = HotCold().features(ctx, ctx.markets[which])
    assert found is not None
    return found.values[0]


def test_streaks_are_signed_runs_from_the_newest_game() -> None:
    start = start_of(0)
    assert streak(history(start, [5, 3, 1, -2, 4]), straight_up) == 3
    assert streak(history(start, [-1, -8, 2]), straight_up) == -2
    assert streak(history(start, [0, 5, 5]), straight_up) == 0  # a draw ends any run
    assert streak((), straight_up) is None
    covered = history(start, [5, 5, 2], spread_close=[-3.5, -3.5, -3.5])
    assert streak(covered, against_the_spread) == 2
    assert streak(history(start, [5]), against_the_spread) is None  # no closing line: unknown
    overs = history(start, [1, 1], totals=[230, 200], total_close=[220.5, 220.5])
    assert streak(overs, over_under) == 1
    assert streak_strength(3) == -streak_strength(-3) > streak_strength(2) > 0.0


def test_a_hot_team_is_raised_when_streaks_persist() -> None:
    model = HotCold().fit(simulate(2000, make, feature, beta=0.4))
    assert model.coefficients[(Sport.NBA, Market.H2H)].beta[0] > 0.2
    start = start_of(9000)
    ctx = context(
        9000,
        home_history=history(start, [7, 7, 7, 7, 7, -9], prefix="h"),
        away_history=history(start, [-9, -9, -9, -9, 7, 7], prefix="a"),
    )
    [prediction] = model.predict(ctx)
    assert prediction.probabilities[Side.HOME] > 0.65
    assert prediction.reason["driver"] == "su_streak_diff"


def over_team(start: datetime, rng: np.random.Generator, prefix: str) -> tuple[TeamGame, ...]:
    points = [int(v) for v in rng.choice([230, 210], size=5)]
    return history(start, [1] * 5, totals=points, total_close=[220.5] * 5, prefix=prefix)


def test_two_over_teams_point_to_the_over() -> None:
    rng = np.random.default_rng(11)
    examples = []
    for i in range(2000):
        start = start_of(i)
        as_of = start - np.timedelta64(1, "h").astype(object)
        p = float(rng.uniform(0.4, 0.6))
        totals = market(Sport.NBA, Market.TOTALS, (p, 1 - p), as_of=as_of, point=220.5)

        ctx = context(
            i,
            h2h=None,
            markets={Market.TOTALS: totals},
            home_history=over_team(start, rng, "h"),
            away_history=over_team(start, rng, "a"),
        )
        over = rng.random() < sigmoid(prior_logit(totals) + 0.4 * feature(ctx, Market.TOTALS))
        examples.append(TrainingExample(ctx, 115, 110) if over else TrainingExample(ctx, 100, 100))
    model = HotCold().fit(examples)
    start = start_of(9000)
    hot = history(start, [1] * 5, totals=[240] * 5, total_close=[220.5] * 5)
    ctx = context(
        9000,
        h2h=None,
        markets={Market.TOTALS: market(Sport.NBA, Market.TOTALS, (0.5, 0.5), as_of=start, point=220.5)},
        home_history=hot,
        away_history=hot,
    )
    [prediction] = model.predict(ctx)
    assert prediction.market is Market.TOTALS
    assert prediction.probabilities[Side.OVER] > 0.6


def test_no_prediction_unfitted_or_without_games() -> None:
    model = HotCold().fit(simulate(400, make, feature, beta=0.4))
    assert HotCold().predict(make(1, np.random.default_rng(1))) == ()
    assert model.predict(context(9000)) == ()
