"""rest_schedule: a team on a back-to-back is lowered, once history says tired legs lose."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from core.models.base import GameContext
from core.models.rest_schedule import RestSchedule, schedule
from core.sports import Market, Side, Sport

from .synthetic import context, history, simulate, start_of


def test_schedule_features() -> None:
    start = start_of(0)
    rested = schedule(history(start, [1] * 6, gap_days=2.0), start, is_home=True)
    assert rested is not None
    assert (rested.rest, rested.back_to_back, rested.road_trip) == (0.0, 0.0, 0.0)
    assert rested.density == pytest.approx(-0.5)  # 3 games in the week against a pace of 3.5
    tired = schedule(history(start, [1] * 6, gap_days=2.0, first_gap_days=1.0), start, is_home=True)
    assert tired is not None and tired.back_to_back == 1.0 and tired.rest < 0.0
    on_the_road = schedule(
        history(start, [1] * 6, home=[False, False, False, True, True, True]), start, is_home=False
    )
    assert on_the_road is not None and on_the_road.road_trip == 3.0
    assert schedule(history(start, [1]), start, is_home=True) is None  # no usual rest from one game


def make(i: int, rng: np.random.Generator) -> GameContext:
    p = float(rng.uniform(0.3, 0.7))
    start = start_of(i)
    home_b2b, away_b2b = (bool(v) for v in rng.random(2) < 0.3)
    return context(
        i,
        h2h=(p, 1 - p),
        home_history=history(start, [1] * 6, first_gap_days=1.0 if home_b2b else 2.0, prefix="h"),
        away_history=history(start, [1] * 6, first_gap_days=1.0 if away_b2b else 2.0, prefix="a"),
    )


def back_to_back(ctx: GameContext) -> float:
    found = RestSchedule().features(ctx, ctx.markets[Market.H2H])
    assert found is not None
    return found.values[1]


def test_a_team_on_a_back_to_back_is_lowered() -> None:
    model = RestSchedule().fit(simulate(2000, make, back_to_back, beta=-0.6))
    assert model.coefficients[(Sport.NBA, Market.H2H)].beta[1] < 0.0
    start = start_of(9000)
    tired_home = context(
        9000,
        home_history=history(start, [1] * 6, first_gap_days=1.0, prefix="h"),
        away_history=history(start, [1] * 6, prefix="a"),
    )
    [prediction] = model.predict(tired_home)
    assert prediction.probabilities[Side.HOME] < 0.42
    assert prediction.pick is Side.AWAY
    assert prediction.reason["driver"] in ("rest_diff", "back_to_back_diff")
    rested = context(
        9001, home_history=history(start, [1] * 6, prefix="h"), away_history=tired_home.away_history
    )
    assert model.predict(rested)[0].probabilities[Side.HOME] == pytest.approx(0.5, abs=1e-9)


def test_no_prediction_with_too_little_history() -> None:
    model = RestSchedule().fit(simulate(400, make, back_to_back, beta=-0.6))
    start = start_of(9000)
    ctx = context(9000, home_history=history(start, [1]), away_history=history(start, [1] * 6, prefix="a"))
    assert model.predict(ctx) == ()
    assert RestSchedule().predict(make(0, np.random.default_rng(0))) == ()


def test_every_result_is_known_before_the_game() -> None:
    start = start_of(10)
    ctx = context(10, home_history=history(start, [1] * 3), away_history=history(start, [1] * 3, prefix="a"))
    assert all(g.commence_time < ctx.as_of for g in ctx.home_history)
    assert ctx.game.commence_time - ctx.home_history[0].commence_time == timedelta(days=2)
