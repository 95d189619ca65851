"""Forecast scores: hand-worked Brier, log loss and favourite hits, plus bad inputs."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.metrics import brier_score, brier_score_binary, favourite_hit_rate, log_loss

PROPERTY = settings(deadline=None, max_examples=200)

THREE_WAY = [[0.5, 0.3, 0.2], [0.2, 0.3, 0.5]]
HOME, DRAW, AWAY = 0, 1, 2


# --- golden numbers ---------------------------------------------------------------------------


def test_brier_three_way_by_hand() -> None:
    # Home wins game 1: 0.5² + 0.3² + 0.2² = 0.25 + 0.09 + 0.04 = 0.38
    # Draw in game 2:   0.2² + 0.7² + 0.5² = 0.04 + 0.49 + 0.25 = 0.78
    assert brier_score(THREE_WAY, [HOME, DRAW]) == pytest.approx((0.38 + 0.78) / 2, abs=1e-12)


def test_brier_extremes() -> None:
    assert brier_score([[1.0, 0.0, 0.0]], [HOME]) == 0.0
    assert brier_score([[1.0, 0.0, 0.0]], [AWAY]) == 2.0  # the worst a 3-way forecast can do
    # One forecast (1-D) with one outcome index is accepted too.
    assert brier_score([0.5, 0.3, 0.2], HOME) == pytest.approx(0.38, abs=1e-12)


def test_climatology_brier_matches_the_data_notes() -> None:
    # DATA.md quotes 0.6440 for always forecasting H .445 / D .233 / A .322 on EPL results whose
    # frequencies are those same shares; the expected score is then 1 − Σ f².
    shares = np.array([0.445, 0.233, 0.322])
    outcomes = np.repeat([HOME, DRAW, AWAY], [445, 233, 322])
    probs = np.tile(shares, (1000, 1))
    assert brier_score(probs, outcomes) == pytest.approx(1 - (shares**2).sum(), abs=1e-12)
    assert round(brier_score(probs, outcomes), 4) == 0.6440


def test_brier_binary_by_hand() -> None:
    # (0.7 − 1)² = 0.09 and (0.4 − 0)² = 0.16
    assert brier_score_binary([0.7, 0.4], [True, False]) == pytest.approx(0.125, abs=1e-12)
    assert brier_score_binary(0.7, 1) == pytest.approx(0.09, abs=1e-12)
    # The two-column form counts each miss twice, once per outcome.
    assert brier_score([[0.7, 0.3], [0.4, 0.6]], [0, 1]) == pytest.approx(0.25, abs=1e-12)


def test_log_loss_by_hand() -> None:
    # −(ln 0.5 + ln 0.3)/2
    assert log_loss(THREE_WAY, [HOME, DRAW]) == pytest.approx(-(math.log(0.5) + math.log(0.3)) / 2, abs=1e-12)
    assert log_loss([[1 / 3, 1 / 3, 1 / 3]], [AWAY]) == pytest.approx(math.log(3), abs=1e-12)
    assert log_loss([[1.0, 0.0]], [0]) == 0.0


def test_log_loss_is_infinite_for_a_certain_miss() -> None:
    assert log_loss([[1.0, 0.0, 0.0], [0.5, 0.3, 0.2]], [DRAW, HOME]) == math.inf


def test_favourite_hit_rate_by_hand() -> None:
    assert favourite_hit_rate(THREE_WAY, [HOME, DRAW]) == 0.5
    assert favourite_hit_rate(THREE_WAY, [HOME, AWAY]) == 1.0
    assert favourite_hit_rate(THREE_WAY, [DRAW, DRAW]) == 0.0
    # A tie for favourite goes to the first outcome listed.
    assert favourite_hit_rate([[0.4, 0.4, 0.2]], [HOME]) == 1.0
    assert favourite_hit_rate([[0.4, 0.4, 0.2]], [DRAW]) == 0.0


def test_outcome_indices_may_be_a_numpy_array() -> None:
    outcomes = np.array([HOME, DRAW], dtype=np.int64)
    assert brier_score(np.array(THREE_WAY), outcomes) == pytest.approx(0.58, abs=1e-12)


# --- bad inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [brier_score, log_loss, favourite_hit_rate])
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


@pytest.mark.parametrize("score", [brier_score, log_loss, favourite_hit_rate])
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
        brier_score_binary(1.5, True)
    with pytest.raises(InvalidInput, match=r"^happened must be 0 or 1, got 2 at index 1$"):
        brier_score_binary([0.5, 0.5], [1, 2])
    with pytest.raises(InvalidInput, match=r"same non-empty shape"):
        brier_score_binary([0.5, 0.5], [1])


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
    brier = brier_score(probs, outcomes)
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
