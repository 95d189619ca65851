"""The shift fit (ridge logistic regression with the market as offset), settlement, and walk-forward."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Self

import numpy as np
import pytest

from core.errors import InvalidInput
from core.models.base import GameContext, MarketPrediction
from core.models.consensus import Consensus
from core.models.offset_logistic import (
    L2_GRID,
    Coefficients,
    apply_shift,
    binary_logit,
    fit_shift,
    select_shift,
    sigmoid,
)
from core.models.training import TrainingExample, known_before, run_models, settle, walk_forward
from core.sports import Market, Side

from .synthetic import context, h2h_example


def simulated(n: int, beta: Sequence[float], *, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    prior = rng.normal(0.0, 0.8, n)
    x = rng.normal(0.0, 1.0, (n, len(beta))) * np.arange(1, len(beta) + 1)
    y = (rng.random(n) < sigmoid(prior + x @ np.asarray(beta))).astype(float)
    return prior, x, y


def test_the_fit_recovers_a_known_shift() -> None:
    prior, x, y = simulated(20_000, [0.5, -0.2])
    fitted = fit_shift(prior, x, y, 1.0)
    assert fitted.beta == pytest.approx((0.5, -0.2), abs=0.04)
    assert fitted.n == 20_000
    chosen = select_shift(prior, x, y)
    assert chosen.l2 < 1_000 and chosen.beta == pytest.approx((0.5, -0.2), abs=0.04)


def test_no_signal_fits_zero_and_stays_with_the_market() -> None:
    prior, x, _ = simulated(1_000_000, [0.0], seed=2)
    rng = np.random.default_rng(3)
    y = (rng.random(prior.size) < sigmoid(prior)).astype(float)
    for fitted in (fit_shift(prior, x, y, 1.0), select_shift(prior, x, y)):
        assert abs(fitted.beta[0]) < 0.005
        for p, features in ((0.3, (1.0,)), (0.55, (-1.0,)), (0.8, (0.5,))):
            shifted = apply_shift([p, 1 - p], features, fitted)
            assert shifted[0] == pytest.approx(p, abs=1e-3)


def test_a_feature_that_never_varies_gets_no_weight() -> None:
    prior, x, y = simulated(2_000, [0.4])
    fitted = fit_shift(prior, np.column_stack([x, np.zeros(prior.size)]), y, 1.0)
    assert fitted.beta[1] == 0.0
    assert fitted.beta[0] > 0.2


def test_weights_count_like_repeated_rows() -> None:
    prior, x, y = simulated(500, [0.3])
    doubled = fit_shift(np.tile(prior, 2), np.tile(x, (2, 1)), np.tile(y, 2), 5.0)
    weighted = fit_shift(prior, x, y, 5.0, weights=np.full(prior.size, 2.0))
    assert weighted.beta == pytest.approx(doubled.beta, rel=1e-9)


def test_fractional_outcomes_are_allowed() -> None:
    prior, x, y = simulated(1_000, [0.3])
    half = np.where(np.arange(y.size) % 10 == 0, 0.5, y)
    assert fit_shift(prior, x, half, 1.0).beta[0] > 0.1


def test_the_penalty_pulls_toward_the_market() -> None:
    prior, x, y = simulated(1_000, [0.5])
    betas = [fit_shift(prior, x, y, l2).beta[0] for l2 in (0.1, 100.0, 1e6)]
    assert betas[0] > betas[1] > betas[2] >= 0.0
    assert betas[2] < 0.01


def test_three_way_shift_keeps_the_draw_share() -> None:
    prior = [0.45, 0.28, 0.27]
    shifted = apply_shift(prior, (1.0,), Coefficients((0.4,), 1.0, 500))
    assert shifted.sum() == pytest.approx(1.0)
    assert shifted[2] == pytest.approx(0.27)
    assert shifted[0] > 0.45 > 0.28 > shifted[1]
    assert binary_logit(shifted) == pytest.approx(binary_logit(prior) + 0.4)


def test_fitting_is_deterministic() -> None:
    prior, x, y = simulated(3_000, [0.2, 0.1])
    assert select_shift(prior, x, y) == select_shift(prior.copy(), x.copy(), y.copy())


def test_bad_inputs_are_refused() -> None:
    prior, x, y = simulated(100, [0.2])
    with pytest.raises(InvalidInput, match="l2"):
        fit_shift(prior, x, y, 0.0)
    with pytest.raises(InvalidInput, match="one row per game"):
        fit_shift(prior, x[:50], y, 1.0)
    with pytest.raises(InvalidInput, match="between 0 and 1"):
        fit_shift(prior, x, y * 2, 1.0)
    with pytest.raises(InvalidInput, match="expected 1 features"):
        apply_shift([0.5, 0.5], (1.0, 2.0), Coefficients((0.1,), 1.0, 10))
    assert len(L2_GRID) > 3


@pytest.mark.parametrize(
    ("market", "point", "score", "expected"),
    [
        (Market.H2H, None, (2, 1), (1.0, 1.0)),
        (Market.H2H, None, (1, 1), None),
        (Market.SPREADS, -3.5, (100, 97), (0.0, 1.0)),
        (Market.SPREADS, -3.0, (100, 97), None),
        (Market.SPREADS, -0.25, (1, 1), (0.0, 0.5)),  # half pushed at 0, half lost at -0.5
        (Market.SPREADS, -0.75, (2, 1), (1.0, 0.5)),  # half won at -0.5, half pushed at -1
        (Market.SPREADS, 0.25, (1, 1), (1.0, 0.5)),  # half pushed at 0, half won at +0.5
        (Market.TOTALS, 2.5, (2, 1), (1.0, 1.0)),
        (Market.TOTALS, 2.25, (1, 1), (0.0, 0.5)),  # half pushed at 2, half lost at 2.5
        (Market.TOTALS, 210.0, (105, 105), None),
    ],
)
def test_settlement(
    market: Market, point: float | None, score: tuple[int, int], expected: tuple[float, float] | None
) -> None:
    assert settle(market, point, *score) == expected


@dataclass(frozen=True)
class Recorder:
    """A trainable stand-in whose predictions report what it was trained on."""

    name: str = "recorder"
    trained: tuple[TrainingExample, ...] = field(default=(), repr=False)

    def fit(self, examples: Sequence[TrainingExample]) -> Self:
        return type(self)(self.name, tuple(examples))

    def predict(self, context: GameContext) -> tuple[MarketPrediction, ...]:
        latest = max((e.known_at.timestamp() for e in self.trained), default=0.0)
        reason: dict[str, float | str] = {"trained_on": len(self.trained), "latest_known": latest}
        return (MarketPrediction(Market.H2H, None, {Side.HOME: 0.5, Side.AWAY: 0.5}, Side.HOME, reason),)


def test_walk_forward_never_trains_on_what_it_predicts() -> None:
    examples = [h2h_example(context(i), i % 3 == 0) for i in range(120)]  # four games a day
    done = walk_forward([Consensus(), Recorder()], examples, refit_every=timedelta(days=7))
    assert [e.context.game.id for e in done] == [e.context.game.id for e in examples]
    trained = []
    for example in done:
        [consensus] = example.context.signals["consensus"]
        assert consensus.probabilities[Side.HOME] == pytest.approx(0.5)
        [recorded] = example.context.signals["recorder"]
        assert float(recorded.reason["latest_known"]) < example.context.as_of.timestamp()
        trained.append(float(recorded.reason["trained_on"]))
    assert trained[0] == 0 and trained[-1] > 80 and trained == sorted(trained)


def test_known_before_and_run_models_in_order() -> None:
    examples = [h2h_example(context(i), True) for i in range(10)]
    cut = examples[5].context.as_of  # 29 h after g0's start; a result counts 6 h after its start
    assert [e.context.game.id for e in known_before(examples, cut)] == ["g0", "g1", "g2", "g3"]
    ran = run_models([Consensus(), Recorder()], examples[0].context)
    assert set(ran.signals) == {"consensus", "recorder"}
