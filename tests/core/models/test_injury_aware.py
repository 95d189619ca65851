"""injury_aware: a side missing valuable players is lowered; no injury data, no prediction."""

from __future__ import annotations

import numpy as np
import pytest

from core.models.base import GameContext, InjuredPlayer
from core.models.injury_aware import InjuryAware, injury_load
from core.models.training import TrainingExample
from core.sports import Market, Side, Sport

from .synthetic import context, simulate


def report(ctx_index: int, home_out: float, away_out: float) -> tuple[InjuredPlayer, ...]:
    home, away = f"Home {ctx_index % 7}", f"Away {ctx_index % 7}"
    players = []
    if home_out:
        players.append(InjuredPlayer(home, "Star", "out", home_out))
    if away_out:
        players.append(InjuredPlayer(away, "Other star", "out", away_out))
    players.append(InjuredPlayer(home, "Bench", "probable", 0.2))  # expected to play: ignored
    return tuple(players)


def make(i: int, rng: np.random.Generator) -> GameContext:
    p = float(rng.uniform(0.3, 0.7))
    home_out, away_out = (float(v) if rng.random() < 0.4 else 0.0 for v in rng.uniform(0.05, 0.35, 2))
    return context(i, h2h=(p, 1 - p), injuries=report(i, home_out, away_out))


def out_diff(ctx: GameContext) -> float:
    found = InjuryAware().features(ctx, ctx.markets[Market.H2H])
    assert found is not None
    return found.values[0]


@pytest.fixture(scope="module")
def fitted() -> InjuryAware:
    return InjuryAware().fit(simulate(2000, make, out_diff, beta=-3.0))


def test_injury_load_by_status() -> None:
    players = [
        InjuredPlayer("A", "p1", "out", 0.2),
        InjuredPlayer("A", "p2", "doubtful", 0.1),
        InjuredPlayer("A", "p3", "questionable", 0.05),
        InjuredPlayer("A", "p4", "day_to_day", 0.05),
        InjuredPlayer("A", "p5", "out", None),
        InjuredPlayer("A", "p6", "probable", 0.3),
    ]
    assert injury_load(players) == pytest.approx((0.2, 0.1, 0.1, 1.0))


def test_a_side_missing_its_star_is_lowered(fitted: InjuryAware) -> None:
    assert fitted.coefficients[(Sport.NBA, Market.H2H)].beta[0] < -1.5
    [prediction] = fitted.predict(context(9000, injuries=report(9000, 0.3, 0.0)))
    assert prediction.probabilities[Side.HOME] < 0.4
    assert prediction.pick is Side.AWAY
    assert prediction.reason["driver"] == "out_diff"
    [healthy] = fitted.predict(context(9001, injuries=()))
    assert healthy.probabilities[Side.HOME] == pytest.approx(0.5, abs=1e-9)  # nobody hurt: the market


def test_no_injury_data_no_prediction(fitted: InjuryAware) -> None:
    assert fitted.predict(context(9000, injuries=None)) == ()
    assert InjuryAware().predict(make(0, np.random.default_rng(0))) == ()
    history_file = [TrainingExample(context(i, injuries=None), 1, 0) for i in range(300)]
    assert not InjuryAware().fit(history_file).fitted
