"""Forecast scores: Brier (binary, multiclass and DATA.md's mix), log loss, ECE and favourite hits.

Hand-worked golden numbers, bad inputs, properties, and oracle checks against scikit-learn's
``brier_score_loss`` and ``log_loss`` (a dev dependency: those tests skip without it).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.scoring import (
    brier_binary,
    brier_binary_if_two_way,
    brier_binary_if_two_way_terms,
    brier_binary_terms,
    brier_multiclass,
    brier_multiclass_terms,
    ece,
    ece_from_bins,
    favourite_hit_rate,
    log_loss,
    log_loss_terms,
    one_hot,
)

PROPERTY = settings(deadline=None, max_examples=200)

THREE_WAY = [[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]]
HOME, DRAW, AWAY = 0, 1, 2
FORECAST_SCORES = [brier_multiclass, brier_binary_if_two_way, log_loss, favourite_hit_rate]


# --- golden numbers: Brier ---------------------------------------------------------------------


def test_brier_three_way_by_hand() -> None:
    # Home wins game 1: 0.5² + 0.3² + 0.2² = 0.25 + 0.09 + 0.04 = 0.38
    # Draw in game 2:   0.2² + 0.7² + 0.5² = 0.04 + 0.49 + 0.25 = 0.78
    assert brier_multiclass(THREE_WAY, [HOME, DRAW]) == pytest.approx((0.38 + 0.78) / 2, abs=1e-12)
    assert brier_multiclass_terms(THREE_WAY, [HOME, DRAW]) == pytest.approx([0.38, 0.78], abs=1e-12)


def test_brier_extremes() -> None:
    assert brier_multiclass([[1.0, 0.0, 0.0]], [HOME]) == 0.0
    assert brier_multiclass([[1.0, 0.0, 0.0]], [AWAY]) == 2.0  # the worst a 3-way forecast can do
    # One forecast (1-D) with one outcome index is accepted too.
    assert brier_multiclass([0.5, 0.3, 0.2], HOME) == pytest.approx(0.38, abs=1e-12)


def test_climatology_brier_matches_the_data_notes() -> None:
    # DATA.md quotes 0.6440 for always forecasting H .445 / D .233 / A .322 on EPL results whose
    # frequencies are those same shares; the expected score is then 1 − Σ f².
    shares = np.array([0.445, 0.233, 0.322])
    outcomes = np.repeat([HOME, DRAW, AWAY], [445, 233, 322])
    probs = np.tile(shares, (1000, 1))
    assert brier_multiclass(probs, outcomes) == pytest.approx(1 - (shares**2).sum(), abs=1e-12)
    assert round(brier_multiclass(probs, outcomes), 4) == 0.6440


def test_brier_binary_by_hand() -> None:
    # (0.7 − 1)² = 0.09 and (0.4 − 0)² = 0.16
    assert brier_binary([0.7, 0.4], [True, False]) == pytest.approx(0.125, abs=1e-12)
    assert brier_binary(0.7, 1) == pytest.approx(0.09, abs=1e-12)
    # The two-column form counts each miss twice, once per outcome.
    assert brier_multiclass([[0.7, 0.3], [0.4, 0.6]], [0, 1]) == pytest.approx(0.25, abs=1e-12)


def test_brier_of_one_prediction_by_hand() -> None:
    # Home wins: 0.5² + 0.3² + 0.2² = 0.38; a draw: 0.5² + 0.7² + 0.2² = 0.78
    assert brier_multiclass([0.5, 0.3, 0.2], 0) == pytest.approx(0.38, abs=1e-12)
    assert brier_multiclass((0.5, 0.3, 0.2), 1) == pytest.approx(0.78, abs=1e-12)
    assert brier_binary(0.7, True) == pytest.approx(0.09, abs=1e-12)  # (0.7 − 1)²
    assert brier_binary(0.4, 0) == pytest.approx(0.16, abs=1e-12)


def test_brier_is_binary_for_two_outcomes_and_summed_for_three() -> None:
    two = np.array([[0.6, 0.4], [0.3, 0.7]])
    assert brier_binary_if_two_way(two, np.array([0, 0])) == pytest.approx(((0.4**2) + (0.7**2)) / 2)
    three = np.array([[0.5, 0.3, 0.2]])
    assert brier_binary_if_two_way(three, np.array([2])) == pytest.approx(0.25 + 0.09 + 0.64)
    assert brier_binary_if_two_way_terms(three, np.array([2]))[0] == pytest.approx(0.98)
    assert log_loss(two, np.array([0, 1])) == pytest.approx(-(np.log(0.6) + np.log(0.7)) / 2)


def test_binary_terms_keep_the_shape_and_give_a_float_for_one_event() -> None:
    terms = brier_binary_terms(np.array([0.7, 0.4, 1.0]), np.array([1.0, 0.0, 1.0]))
    assert terms == pytest.approx([0.09, 0.16, 0.0], abs=1e-12)
    one = brier_binary_terms(0.25, False)
    assert isinstance(one, float)
    assert one == 0.0625
    # DATA.md's binary Brier of a two-way market is the first column's; the sum is twice it.
    two = np.array([[0.6, 0.4], [0.3, 0.7], [0.9, 0.1]])
    outcome = np.array([0, 1, 1])
    binary = brier_binary_if_two_way_terms(two, outcome)
    assert binary == pytest.approx(brier_binary_terms(two[:, 0], outcome == 0), abs=0)
    assert brier_multiclass_terms(two, outcome) == pytest.approx(2 * binary, abs=1e-15)


# --- golden numbers: log loss -----------------------------------------------------------------


def test_log_loss_by_hand() -> None:
    # −(ln 0.5 + ln 0.3)/2
    assert log_loss(THREE_WAY, [HOME, DRAW]) == pytest.approx(-(math.log(0.5) + math.log(0.3)) / 2, abs=1e-12)
    assert log_loss([[1 / 3, 1 / 3, 1 / 3]], [AWAY]) == pytest.approx(math.log(3), abs=1e-12)
    assert log_loss([[1.0, 0.0]], [0]) == 0.0
    assert log_loss([[1.0, 0.0]], [0], clip=None) == 0.0


def test_log_loss_is_infinite_for_a_certain_miss() -> None:
    assert log_loss([[1.0, 0.0, 0.0], [0.5, 0.3, 0.2]], [DRAW, HOME], clip=None) == math.inf


def test_log_loss_clips_a_certain_miss_by_default() -> None:
    clipped = log_loss([[1.0, 0.0, 0.0], [0.5, 0.3, 0.2]], [DRAW, HOME])
    assert clipped == pytest.approx((-math.log(1e-15) - math.log(0.5)) / 2, abs=1e-12)
    assert log_loss([[1.0, 0.0]], [1], clip=1e-6) == pytest.approx(-math.log(1e-6), abs=1e-12)


def test_log_loss_terms_by_hand() -> None:
    assert log_loss_terms(0.5) == pytest.approx(math.log(2), abs=1e-12)
    assert log_loss_terms(0.0) == pytest.approx(-math.log(1e-15), abs=1e-9)  # 34.54, clipped not infinite
    assert log_loss_terms(1.0) == pytest.approx(0.0, abs=1e-14)
    assert log_loss_terms(0.0, clip=None) == math.inf
    single = log_loss_terms(0.25)
    assert isinstance(single, float)
    many = log_loss_terms(np.array([[0.5, 1.0], [0.0, 0.25]]))
    assert many.shape == (2, 2)
    assert many == pytest.approx(np.array([[math.log(2), 0.0], [-math.log(1e-15), math.log(4)]]), abs=1e-12)


# --- golden numbers: calibration --------------------------------------------------------------


def test_ece_by_hand() -> None:
    p = [0.05, 0.15, 0.12, 0.55, 0.62, 0.95, 1.0]
    y = [0, 0, 1, 1, 0, 1, 1]
    # Ten bins: [0, .1) .05 vs 0 → .05 (1 event); [.1, .2) .135 vs .5 → .365 (2); [.5, .6) .55 vs
    # 1 → .45 (1); [.6, .7) .62 vs 0 → .62 (1); [.9, 1] .975 vs 1 → .025 (2), 1.0 in the top bin.
    # (.05 + 2 x .365 + .45 + .62 + 2 x .025) / 7 = 1.9 / 7
    assert ece(p, y) == pytest.approx(1.9 / 7, abs=1e-12)
    # Two bins: below .5, .32/3 vs 1/3 (3 events); above, .78 vs .75 (4): (3 x 0.68/3 + 4 x .03) / 7
    assert ece(p, y, bins=2) == pytest.approx(0.8 / 7, abs=1e-12)
    assert ece([0.3, 0.3], [1, 0]) == pytest.approx(0.2, abs=1e-12)
    assert ece([0.5], [True], bins=1) == 0.5


def test_ece_of_every_outcome_of_a_three_way_forecast_by_hand() -> None:
    # Pairs (p, happened): (.7, 1) (.2, 0) (.1, 0) (.3, 0) (.3, 0) (.4, 1), one bin each but .3 twice:
    # gaps .3, .2, .1, .3, .3, .6 → 1.8 / 6
    probs = np.array([[0.7, 0.2, 0.1], [0.3, 0.3, 0.4]])
    assert ece(probs, one_hot([HOME, AWAY], 3)) == pytest.approx(0.3, abs=1e-12)


def test_ece_from_bins_by_hand() -> None:
    # (2.5 x |0.54 - 0.6| + 1.5 x |0.93 - 0|) / 4
    assert ece_from_bins([0.54, 0.93], [0.6, 0.0], [2.5, 1.5]) == pytest.approx(0.38625)
    # A bin of weight 0 adds nothing.
    assert ece_from_bins([0.54, 0.93, 0.2], [0.6, 0.0, 1.0], [2.5, 1.5, 0.0]) == pytest.approx(0.38625)


def test_a_calibrated_forecaster_has_a_small_ece_and_a_biased_one_does_not() -> None:
    rng = np.random.default_rng(1)
    p = rng.uniform(0.1, 0.9, 20_000)
    y = (rng.uniform(size=p.size) < p).astype(np.int64)
    honest = np.column_stack([1 - p, p])
    biased = np.column_stack([1 - p * 0.7, p * 0.7])
    assert ece(honest, one_hot(y, 2)) < 0.01
    assert ece(biased, one_hot(y, 2)) > 0.05


# --- golden numbers: favourites ---------------------------------------------------------------


def test_favourite_hit_rate_by_hand() -> None:
    assert favourite_hit_rate(THREE_WAY, [HOME, DRAW]) == 0.5
    assert favourite_hit_rate(THREE_WAY, [HOME, AWAY]) == 1.0
    assert favourite_hit_rate(THREE_WAY, [DRAW, DRAW]) == 0.0
    # A tie for favourite goes to the first outcome listed.
    assert favourite_hit_rate([[0.4, 0.4, 0.2]], [HOME]) == 1.0
    assert favourite_hit_rate([[0.4, 0.4, 0.2]], [DRAW]) == 0.0


def test_outcome_indices_may_be_a_numpy_array() -> None:
    outcomes = np.array([HOME, DRAW], dtype=np.int64)
    assert brier_multiclass(np.array(THREE_WAY), outcomes) == pytest.approx(0.58, abs=1e-12)


def test_one_hot() -> None:
    assert one_hot([2, 0], 3).tolist() == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    assert one_hot(1, 2).tolist() == [[0.0, 1.0]]
    with pytest.raises(InvalidInput, match=r"^outcome_index must be between 0 and 1, got 2 at index 0$"):
        one_hot([2], 2)
    with pytest.raises(InvalidInput, match=r"^outcome_index must be integers"):
        one_hot([0.0], 2)


# --- bad inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize("score", FORECAST_SCORES)
def test_probabilities_must_be_valid_forecasts(score: Callable[..., float]) -> None:
    with pytest.raises(InvalidInput, match=r"^probs must be between 0 and 1, got 1.2 at index \(0, 0\)$"):
        score([[1.2, -0.1, -0.1]], [0])
    with pytest.raises(InvalidInput, match=r"^probs must sum to 1 per forecast, got 0.9 at row 1$"):
        score([[0.5, 0.5, 0.0], [0.3, 0.3, 0.3]], [0, 0])
    with pytest.raises(InvalidInput, match=r"^probs must be between 0 and 1, got nan"):
        score([[math.nan, 0.5, 0.5]], [0])
    with pytest.raises(InvalidInput, match=r"^probs must hold at least one forecast"):
        score(np.empty((0, 3)), np.empty(0, dtype=int))
    with pytest.raises(InvalidInput, match=r"^probs must be a number or an array of numbers"):
        score([["a", "b"]], [0])


@pytest.mark.parametrize("score", FORECAST_SCORES)
def test_outcome_indices_must_match_the_forecasts(score: Callable[..., float]) -> None:
    with pytest.raises(InvalidInput, match=r"^outcome_index must be between 0 and 2, got 3 at index 1$"):
        score(THREE_WAY, [0, 3])
    with pytest.raises(InvalidInput, match=r"^outcome_index must be between 0 and 2, got -1 at index 0$"):
        score(THREE_WAY, [-1, 0])
    with pytest.raises(InvalidInput, match=r"^outcome_index must have one entry per forecast \(2\)"):
        score(THREE_WAY, [0, 1, 2])
    with pytest.raises(InvalidInput, match=r"^outcome_index must be integers, got \[0\.0, 1\.0\]$"):
        score(THREE_WAY, [0.0, 1.0])
    with pytest.raises(InvalidInput, match=r"^outcome_index must be integers, got \['H', 'D'\]$"):
        score(THREE_WAY, ["H", "D"])


def test_brier_binary_rejects_bad_inputs() -> None:
    with pytest.raises(InvalidInput, match=r"^probability must be between 0 and 1, got 1.5$"):
        brier_binary(1.5, True)
    with pytest.raises(InvalidInput, match=r"^happened must be 0 or 1, got 2 at index 1$"):
        brier_binary([0.5, 0.5], [1, 2])
    with pytest.raises(InvalidInput, match=r"same non-empty shape"):
        brier_binary([0.5, 0.5], [1])
    with pytest.raises(InvalidInput, match=r"^happened must be 0 or 1, got 0.5 at index 0$"):
        brier_binary_terms([0.5], [0.5])
    with pytest.raises(InvalidInput, match=r"^happened must be booleans or 0/1"):
        brier_binary([0.5], ["yes"])


def test_score_inputs_are_validated() -> None:
    with pytest.raises(InvalidInput, match=re.escape("p_outcome must be between 0 and 1, got 1.5")):
        log_loss_terms(1.5)
    with pytest.raises(InvalidInput, match="p_outcome"):
        log_loss_terms(math.nan)
    with pytest.raises(InvalidInput, match="probs must sum to 1"):
        brier_multiclass([0.5, 0.6], 0)
    with pytest.raises(InvalidInput, match="outcome_index must be between 0 and 2"):
        brier_multiclass([0.5, 0.3, 0.2], 3)
    with pytest.raises(InvalidInput, match="happened must be 0 or 1"):
        brier_binary(0.5, 2)


def test_log_loss_clip_must_be_a_probability() -> None:
    for clip in (0.0, 1.0, -1e-15, math.nan):
        with pytest.raises(InvalidInput, match=r"^clip must be None or strictly between 0 and 1"):
            log_loss(THREE_WAY, [HOME, DRAW], clip=clip)


def test_ece_rejects_bad_inputs() -> None:
    with pytest.raises(InvalidInput, match=r"^bins must be a whole number >= 1, got 0$"):
        ece([0.5], [1], bins=0)
    with pytest.raises(InvalidInput, match=r"^probability must be between 0 and 1, got 1.5 at index 0$"):
        ece([1.5], [1])
    with pytest.raises(InvalidInput, match=r"same non-empty shape"):
        ece([], [])
    with pytest.raises(InvalidInput, match=r"^weight must add up to more than 0"):
        ece_from_bins([0.5], [1.0], [0.0])
    with pytest.raises(InvalidInput, match=r"^weight must be finite and >= 0, got -1 at index 0$"):
        ece_from_bins([0.5], [1.0], [-1.0])
    with pytest.raises(InvalidInput, match=r"^observed must be between 0 and 1"):
        ece_from_bins([0.5], [1.5], [1.0])
    with pytest.raises(InvalidInput, match=r"must be 1-D and of the same length"):
        ece_from_bins([0.5, 0.6], [1.0], [1.0, 1.0])


# --- properties -------------------------------------------------------------------------------

forecast_weights = st.lists(st.floats(min_value=0.01, max_value=1.0), min_size=3, max_size=3)
forecasts = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.tuples(
        st.lists(forecast_weights, min_size=n, max_size=n),
        st.lists(st.integers(min_value=0, max_value=2), min_size=n, max_size=n),
    )
)


@PROPERTY
@given(forecasts)
def test_scores_stay_in_range_and_match_a_direct_sum(case: tuple[list[list[float]], list[int]]) -> None:
    weights, outcomes = case
    probs = np.asarray(weights) / np.asarray(weights).sum(axis=1, keepdims=True)
    brier = brier_multiclass(probs, outcomes)
    loss = log_loss(probs, outcomes)
    hits = favourite_hit_rate(probs, outcomes)
    assert 0.0 <= brier <= 2.0
    assert loss >= 0.0
    assert 0.0 <= hits <= 1.0
    expected_brier = np.mean(
        [sum((p - (j == y)) ** 2 for j, p in enumerate(row)) for row, y in zip(probs, outcomes, strict=True)]
    )
    expected_loss = np.mean([-math.log(row[y]) for row, y in zip(probs, outcomes, strict=True)])
    assert brier == pytest.approx(expected_brier, rel=1e-12)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    assert 0.0 <= ece(probs, one_hot(outcomes, 3)) <= 1.0


# --- oracles: scikit-learn --------------------------------------------------------------------


def _random_forecasts(rng: np.random.Generator, n: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    probs = rng.dirichlet(np.ones(k), size=n)
    outcome = np.array([rng.choice(k, p=row) for row in probs], dtype=np.int64)
    return probs, outcome


@pytest.mark.parametrize("seed", range(5))
def test_brier_matches_scikit_learn(seed: int) -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.0, 1.0, 300)
    y = (rng.uniform(size=p.size) < p).astype(np.int64)
    assert brier_binary(p, y) == pytest.approx(metrics.brier_score_loss(y, p), rel=1e-12)
    for k in (2, 3, 5):
        probs, outcome = _random_forecasts(rng, 250, k)
        labels = list(range(k))
        summed = metrics.brier_score_loss(outcome, probs, labels=labels, scale_by_half=False)
        assert brier_multiclass(probs, outcome) == pytest.approx(summed, rel=1e-12)
    two, outcome = _random_forecasts(rng, 250, 2)
    # sklearn's binary Brier scores the probability of its positive label: home (index 0) won.
    home_won = (outcome == 0).astype(np.int64)
    expected = metrics.brier_score_loss(home_won, two[:, 0])
    assert brier_binary_if_two_way(two, outcome) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_log_loss_matches_scikit_learn(seed: int) -> None:
    metrics = pytest.importorskip("sklearn.metrics")
    rng = np.random.default_rng(100 + seed)
    for k in (2, 3, 5):
        probs, outcome = _random_forecasts(rng, 250, k)
        expected = metrics.log_loss(outcome, probs, labels=list(range(k)))
        assert log_loss(probs, outcome) == pytest.approx(expected, rel=1e-12)
        assert log_loss(probs, outcome, clip=None) == pytest.approx(expected, rel=1e-12)
    p = rng.uniform(0.01, 0.99, 300)
    y = (rng.uniform(size=p.size) < p).astype(np.int64)
    given_to_outcome = np.where(y == 1, p, 1.0 - p)
    expected = metrics.log_loss(y, p)
    assert float(np.mean(log_loss_terms(given_to_outcome))) == pytest.approx(expected, rel=1e-12)
