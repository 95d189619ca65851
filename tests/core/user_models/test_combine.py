"""The combiner: the market prior moved by k × the user's weighted view, and the fit of k on past games."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.models.offset_logistic import sigmoid
from core.user_models.combine import N_SOURCES, combine, combine_one, fit_slope, weighted_view

PROPERTY = settings(deadline=None, max_examples=200)
WEIGHTS = np.array([0.4, 0.3, 0.1, 0.2, 0.0])


def random_games(n: int, seed: int, *, missing: float = 0.3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    prior = rng.normal(0.0, 1.0, n)
    signals = rng.normal(0.0, 1.0, (n, N_SOURCES))
    signals[rng.random((n, N_SOURCES)) < missing] = np.nan
    return prior, signals


def outcomes_for(prior: np.ndarray, signals: np.ndarray, k: float, seed: int) -> np.ndarray:
    truth = combine(prior, signals, WEIGHTS, k)
    return (np.random.default_rng(seed).random(prior.size) < truth).astype(float)


# --- the combiner -------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_combiner_equals_the_scalar_reference(seed: int) -> None:
    prior, signals = random_games(500, seed)
    k = 0.1 + seed * 0.2
    fast = combine(prior, signals, WEIGHTS, k)
    for i in range(prior.size):
        row = [None if math.isnan(v) else float(v) for v in signals[i]]
        assert abs(fast[i] - combine_one(float(prior[i]), row, list(WEIGHTS), k)) < 1e-12


def test_a_golden_game() -> None:
    # view = 0.4·1.5 + 0.3·(−0.5) + 0.2·2.0 = 0.85 (injuries missing); z = 0.2 + 0.5·0.85 = 0.625
    p = combine_one(0.2, [1.5, -0.5, None, 2.0, 3.0], list(WEIGHTS), 0.5)
    assert p == pytest.approx(1.0 / (1.0 + math.exp(-0.625)), abs=1e-15)


def test_zero_weight_or_zero_slope_leaves_the_prior() -> None:
    prior, signals = random_games(200, 4)
    market = sigmoid(prior)
    assert np.allclose(combine(prior, signals, np.zeros(N_SOURCES), 0.8), market, rtol=0.0, atol=1e-15)
    assert np.allclose(combine(prior, signals, WEIGHTS, 0.0), market, rtol=0.0, atol=1e-15)
    only_missing = signals.copy()
    only_missing[:, 4] = np.nan
    all_on_missing = np.array([0.0, 0.0, 0.0, 0.0, 1.0])
    assert np.allclose(combine(prior, only_missing, all_on_missing, 0.8), market, rtol=0.0, atol=1e-15)
    unweighted_changed = signals.copy()
    unweighted_changed[:, 4] = 100.0  # the source with weight 0
    assert np.array_equal(
        combine(prior, unweighted_changed, WEIGHTS, 0.8), combine(prior, signals, WEIGHTS, 0.8)
    )


def test_missing_signals_count_zero() -> None:
    view = weighted_view(np.array([[np.nan, 1.0, np.nan, np.nan, np.nan]]), WEIGHTS)
    assert view.tolist() == [0.3]


@pytest.mark.parametrize(
    "weights",
    [
        [0.5, 0.5, 0.5, 0.0, 0.0],
        [1.2, -0.2, 0.0, 0.0, 0.0],
        [0.5, 0.5, 0.0, 0.0],
        [np.nan, 1.0, 0.0, 0.0, 0.0],
    ],
)
def test_bad_weights_are_refused(weights: list[float]) -> None:
    prior, signals = random_games(3, 5)
    with pytest.raises(InvalidInput):
        combine(prior, signals, weights, 0.5)


def test_bad_shapes_and_slopes_are_refused() -> None:
    prior, signals = random_games(3, 6)
    with pytest.raises(InvalidInput, match="sources"):
        combine(prior, signals[:, :4], WEIGHTS, 0.5)
    with pytest.raises(InvalidInput, match="one value per game"):
        combine(prior[:2], signals, WEIGHTS, 0.5)
    with pytest.raises(InvalidInput, match="k must be"):
        combine(prior, signals, WEIGHTS, -0.1)
    with pytest.raises(InvalidInput, match="finite or NaN"):
        combine(prior, np.full((3, N_SOURCES), np.inf), WEIGHTS, 0.5)


finite = st.floats(-4.0, 4.0, allow_nan=False)
signal = st.one_of(st.none(), finite)


@PROPERTY
@given(prior=st.floats(-5.0, 5.0), row=st.lists(signal, min_size=5, max_size=5), k=st.floats(0.0, 3.0))
def test_one_game_in_the_array_path_is_the_scalar_path(
    prior: float, row: list[float | None], k: float
) -> None:
    signals = np.array([[np.nan if v is None else v for v in row]])
    fast = float(combine(np.array([prior]), signals, WEIGHTS, k)[0])
    slow = combine_one(prior, row, list(WEIGHTS), k)
    assert abs(fast - slow) < 1e-12
    view = sum(w * v for w, v in zip(WEIGHTS, row, strict=True) if v is not None)
    market = 1.0 / (1.0 + math.exp(-prior))
    # The prior moves the way the view points, and visibly once k × view is not negligible.
    assert (slow - market) * view >= 0.0
    if k * abs(view) > 1e-6:
        assert (slow > market) == (view > 0.0)


# --- fitting k ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("true_k", "seed"), [(0.3, 10), (0.6, 11)])
def test_the_fit_recovers_a_known_slope(true_k: float, seed: int) -> None:
    prior, signals = random_games(40_000, seed)
    outcomes = outcomes_for(prior, signals, true_k, seed + 100)
    assert fit_slope(prior, signals, WEIGHTS, outcomes) == pytest.approx(true_k, abs=0.08)


def test_a_view_with_nothing_in_it_fits_close_to_zero() -> None:
    prior, signals = random_games(5_000, 12)
    outcomes = outcomes_for(prior, signals, 0.0, 112)
    assert fit_slope(prior, signals, WEIGHTS, outcomes) < 0.05


def test_a_view_pointing_the_wrong_way_fits_zero() -> None:
    prior, signals = random_games(5_000, 13)
    flipped = outcomes_for(prior, -signals, 0.5, 113)  # outcomes follow the opposite of the view
    assert fit_slope(prior, signals, WEIGHTS, flipped) == 0.0


def test_nothing_to_learn_from_is_the_market() -> None:
    assert fit_slope(np.zeros(0), np.zeros((0, N_SOURCES)), WEIGHTS, np.zeros(0)) == 0.0
    prior, signals = random_games(50, 14, missing=1.0)  # no source had data
    assert fit_slope(prior, signals, WEIGHTS, np.ones(50)) == 0.0
    with pytest.raises(InvalidInput, match="outcomes"):
        fit_slope(prior, signals, WEIGHTS, np.ones(49))


def test_a_sample_weight_of_two_is_the_game_twice() -> None:
    prior, signals = random_games(1_000, 15)
    outcomes = outcomes_for(prior, signals, 0.5, 115)
    doubled = np.r_[np.ones(500) * 2.0, np.ones(500)]
    twice = np.r_[np.arange(1000), np.arange(500)]
    weighted = fit_slope(prior, signals, WEIGHTS, outcomes, doubled)
    repeated = fit_slope(prior[twice], signals[twice], WEIGHTS, outcomes[twice])
    assert weighted == pytest.approx(repeated, abs=1e-8)
