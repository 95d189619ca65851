"""momentum: a team that has been winning big is raised above the market, once history says form pays."""

from __future__ import annotations

import numpy as np
import pytest

from core.models.base import GameContext
from core.models.momentum import Momentum, decayed_rating
from core.models.training import TrainingExample
from core.sports import Market, Side

from .synthetic import context, history, simulate, start_of


def make(i: int, rng: np.random.Generator) -> GameContext:
    p = float(rng.uniform(0.3, 0.7))
    start = start_of(i)
    return context(
        i,
        h2h=(p, 1 - p),
        home_history=history(start, [int(m) for m in rng.normal(0, 10, 5)], prefix="h"),
        away_history=history(start, [int(m) for m in rng.normal(0, 10, 5)], prefix="a"),
    )


def rating_diff(ctx: GameContext) -> float:
    features = Momentum().features(ctx, ctx.markets[Market.H2H])
    assert features is not None
    return features.values[0]


@pytest.fixture(scope="module")
def fitted() -> Momentum:
    return Momentum().fit(simulate(2000, make, rating_diff, beta=0.05))


def test_the_fit_recovers_the_effect(fitted: Momentum) -> None:
    beta = fitted.coefficients[(make(0, np.random.default_rng(0)).game.sport, Market.H2H)].beta[0]
    assert 0.03 < beta < 0.07


def test_wide_recent_wins_raise_the_team(fitted: Momentum) -> None:
    start = start_of(5000)
    ctx = context(
        5000,
        h2h=(0.5, 0.5),
        home_history=history(start, [20, 18, 25, 15, 22], prefix="h"),
        away_history=history(start, [-12, -8, -15, -10, -9], prefix="a"),
    )
    [prediction] = fitted.predict(ctx)
    assert prediction.probabilities[Side.HOME] > 0.75
    assert prediction.pick is Side.HOME
    assert prediction.reason["driver"] == "rating_diff"
    mirrored = context(5001, h2h=(0.5, 0.5), home_history=ctx.away_history, away_history=ctx.home_history)
    assert fitted.predict(mirrored)[0].probabilities[Side.HOME] < 0.25


def test_older_results_count_less() -> None:
    start = start_of(0)
    fresh, _ = decayed_rating(history(start, [20, 0, 0]), start, half_life_days=21.0, window=10)
    stale, _ = decayed_rating(history(start, [0, 0, 20]), start, half_life_days=21.0, window=10)
    assert fresh > stale > 0


def test_no_prediction_unfitted_or_without_history(fitted: Momentum) -> None:
    start = start_of(9000)
    ctx = context(9000, home_history=history(start, [3, 4, 5]), away_history=())
    assert Momentum().predict(make(1, np.random.default_rng(1))) == ()
    assert fitted.predict(ctx) == ()


def test_too_few_examples_fit_nothing() -> None:
    rng = np.random.default_rng(3)
    few = [TrainingExample(make(i, rng), 100, 90) for i in range(50)]
    model = Momentum().fit(few)
    assert not model.fitted
    assert model.predict(few[0].context) == ()


def test_fitting_is_deterministic(fitted: Momentum) -> None:
    again = Momentum().fit(simulate(2000, make, rating_diff, beta=0.05))
    assert again.coefficients == fitted.coefficients
    ctx = make(7000, np.random.default_rng(9))
    assert again.predict(ctx) == fitted.predict(ctx)
