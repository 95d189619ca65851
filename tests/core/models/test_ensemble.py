"""ensemble: a log-odds pool of the other models weighted by recent Brier, and its walk-forward."""

from __future__ import annotations

import numpy as np
import pytest

from core.models.base import GameContext, MarketPrediction
from core.models.benny import Benny
from core.models.consensus import Consensus
from core.models.ensemble import Ensemble, pooled, settled_brier
from core.models.momentum import Momentum
from core.models.training import TrainingExample, walk_forward
from core.scoring import brier_multiclass
from core.sports import Market, Side, Sport

from .synthetic import context, h2h_example, history, simulate, start_of


def h2h(p: float, *, point: float | None = None, market: Market = Market.H2H) -> MarketPrediction:
    sides = (Side.OVER, Side.UNDER) if market is Market.TOTALS else (Side.HOME, Side.AWAY)
    return MarketPrediction(market, point, {sides[0]: p, sides[1]: 1 - p}, sides[0], {})


def test_the_pool_is_a_weighted_mean_of_log_odds() -> None:
    even = pooled([h2h(0.6), h2h(0.4)], [1.0, 1.0], (Side.HOME, Side.AWAY))
    assert even == pytest.approx([0.5, 0.5])
    heavy = pooled([h2h(0.6), h2h(0.4)], [3.0, 1.0], (Side.HOME, Side.AWAY))
    logit = (3 * np.log(0.6 / 0.4) + np.log(0.4 / 0.6)) / 4
    assert heavy[0] == pytest.approx(1 / (1 + np.exp(-logit)))
    three = [
        MarketPrediction(Market.H2H, None, {Side.HOME: 0.5, Side.AWAY: 0.2, Side.DRAW: 0.3}, Side.HOME, {}),
        MarketPrediction(Market.H2H, None, {Side.HOME: 0.4, Side.AWAY: 0.3, Side.DRAW: 0.3}, Side.HOME, {}),
    ]
    assert pooled(three, [1.0, 1.0], (Side.HOME, Side.AWAY, Side.DRAW)).sum() == pytest.approx(1.0)


def test_it_pools_only_the_same_market_and_point() -> None:
    ctx = context(
        0,
        h2h=(0.5, 0.5),
        signals={
            "momentum": (h2h(0.7),),
            "hot_cold": (h2h(0.6),),
            "benny": (h2h(0.99),),  # pooling models are never pooled
            "odd": (h2h(0.9, point=-2.5, market=Market.SPREADS),),  # no spread market in this game
        },
    )
    [prediction] = Ensemble().predict(ctx)
    expected = pooled([h2h(0.7), h2h(0.6)], [1.0, 1.0], (Side.HOME, Side.AWAY))
    assert prediction.probabilities[Side.HOME] == pytest.approx(expected[0])
    assert prediction.reason["models"] == 2
    assert Ensemble().predict(context(1, signals={"momentum": (h2h(0.7),)})) == ()  # one model is no pool
    market_only = {"consensus": (h2h(0.5),), "value": (h2h(0.5),)}
    assert Ensemble().predict(context(2, signals=market_only)) == ()  # the market alone is not a pool
    dropped = Ensemble(adjustments={"hot_cold": 0.0}, min_models=1).predict(ctx)
    assert dropped[0].probabilities[Side.HOME] == pytest.approx(0.7)


def test_recent_brier_sets_the_weights() -> None:
    rng = np.random.default_rng(4)
    examples = []
    for i in range(600):
        home_wins = bool(rng.random() < 0.5)
        sharp = 0.7 if home_wins else 0.3  # right most of the time
        signals = {"sharp": (h2h(sharp),), "noisy": (h2h(float(rng.uniform(0.2, 0.8))),)}
        examples.append(h2h_example(context(i, signals=signals), home_wins))
    model = Ensemble().fit(examples)
    assert model.weights[("sharp", Sport.NBA, Market.H2H)] > model.weights[("noisy", Sport.NBA, Market.H2H)]
    [prediction] = model.predict(context(9000, signals={"sharp": (h2h(0.7),), "noisy": (h2h(0.3),)}))
    assert prediction.probabilities[Side.HOME] > 0.5
    assert prediction.reason["heaviest"] == "sharp"
    [unfit] = Ensemble().predict(context(9000, signals={"sharp": (h2h(0.7),), "noisy": (h2h(0.3),)}))
    assert unfit.probabilities[Side.HOME] == pytest.approx(0.5)  # no history: equal weights


def test_brier_of_each_market() -> None:
    assert settled_brier(h2h(0.7), 3, 1) == pytest.approx((2 * 0.3**2, 1.0))
    assert settled_brier(h2h(0.7), 1, 1) is None  # a tie in a two-way market is void
    draw = MarketPrediction(Market.H2H, None, {Side.HOME: 0.5, Side.AWAY: 0.2, Side.DRAW: 0.3}, Side.HOME, {})
    assert settled_brier(draw, 1, 1) == pytest.approx((0.25 + 0.04 + 0.49, 1.0))
    total = h2h(0.6, point=220.5, market=Market.TOTALS)
    assert settled_brier(total, 100, 100) == pytest.approx((2 * 0.36, 1.0))


def test_walk_forward_ensemble_beats_the_market_when_a_model_has_an_edge() -> None:
    def make(i: int, rng: np.random.Generator) -> GameContext:
        p = float(rng.uniform(0.3, 0.7))
        start = start_of(i)
        return context(
            i,
            h2h=(p, 1 - p),
            home_history=history(start, [int(m) for m in rng.normal(0, 10, 4)], prefix="h"),
            away_history=history(start, [int(m) for m in rng.normal(0, 10, 4)], prefix="a"),
        )

    def rating(ctx: GameContext) -> float:
        found = Momentum().features(ctx, ctx.markets[Market.H2H])
        assert found is not None
        return found.values[0]

    examples = simulate(1200, make, rating, beta=0.06, seed=21)
    done = walk_forward([Consensus(), Momentum(), Ensemble(), Benny()], examples)
    scored = [e for e in done if e.context.signals["ensemble"]]
    assert len(scored) > 600  # momentum is fit after its first 200 games, and the pool follows

    def score(model: str, chosen: list[TrainingExample]) -> float:
        probs = [
            [e.context.signals[model][0].probabilities[s] for s in (Side.HOME, Side.AWAY)] for e in chosen
        ]
        outcomes = [0 if e.home_score > e.away_score else 1 for e in chosen]
        return brier_multiclass(probs, outcomes)

    assert score("ensemble", scored) < score("consensus", scored)
    assert score("momentum", scored) < score("ensemble", scored)  # the pool halves the one real edge
    [benny] = scored[-1].context.signals["benny"]
    assert benny.reason["basis"] == "ensemble"
    assert benny.probabilities == scored[-1].context.signals["ensemble"][0].probabilities
