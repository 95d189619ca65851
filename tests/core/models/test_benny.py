"""benny: the ensemble's view (or the market's), the best-priced side, and the models that drove it."""

from __future__ import annotations

import pytest

from core.models.base import MarketPrediction
from core.models.benny import Benny
from core.models.training import TrainingExample
from core.sports import Market, Side

from .synthetic import context


def h2h(p: float) -> tuple[MarketPrediction, ...]:
    return (MarketPrediction(Market.H2H, None, {Side.HOME: p, Side.AWAY: 1 - p}, Side.HOME, {}),)


SIGNALS = {
    "consensus": h2h(0.5),
    "momentum": h2h(0.56),
    "rest_schedule": h2h(0.47),
    "hot_cold": h2h(0.52),
    "matchup": h2h(0.5),  # on the market: not a driver
    "ensemble": h2h(0.53),
}


def test_benny_adopts_the_ensemble_and_names_the_drivers() -> None:
    [prediction] = Benny().predict(context(0, h2h=(0.5, 0.5), signals=SIGNALS))
    assert prediction.probabilities[Side.HOME] == pytest.approx(0.53)
    assert prediction.pick is Side.HOME
    reason = prediction.reason
    assert reason["basis"] == "ensemble"
    assert (reason["driver"], reason["driver_1"], reason["driver_2"], reason["driver_3"]) == (
        "momentum",
        "momentum",
        "rest_schedule",
        "hot_cold",
    )
    assert reason["driver_1_pp"] == pytest.approx(6.0, abs=0.01)
    assert reason["driver_2_pp"] == pytest.approx(-3.0, abs=0.01)
    assert (reason["agree"], reason["disagree"]) == (2, 1)


def test_the_reason_follows_the_signals() -> None:
    flipped = {**SIGNALS, "rest_schedule": h2h(0.40), "ensemble": h2h(0.47)}
    [prediction] = Benny().predict(context(0, h2h=(0.5, 0.5), signals=flipped))
    assert prediction.pick is Side.AWAY
    assert prediction.reason["driver_1"] == "rest_schedule"
    assert prediction.reason["driver_1_pp"] == pytest.approx(10.0, abs=0.01)  # on the away pick
    assert (prediction.reason["agree"], prediction.reason["disagree"]) == (1, 2)
    assert Benny(drivers=1).predict(context(0, signals=flipped))[0].reason.get("driver_2") is None


def test_without_an_ensemble_benny_reads_the_market() -> None:
    [prediction] = Benny().predict(context(0, h2h=(0.62, 0.38)))
    assert prediction.reason["basis"] == "consensus"
    assert prediction.reason["driver"] == "market"
    assert prediction.probabilities[Side.HOME] == pytest.approx(0.62, abs=1e-6)
    assert Benny().predict(context(1, h2h=None)) == ()


def test_benny_is_deterministic_and_needs_no_fit() -> None:
    ctx = context(3, signals=SIGNALS)
    model = Benny()
    assert model.fit([TrainingExample(ctx, 1, 0)]) is model
    assert model.predict(ctx) == Benny().predict(ctx)
