"""The user-model backtest: the vectorised figures equal a plain loop's, and a hand-worked record."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.confidence import wilson_interval
from core.errors import InvalidInput
from core.user_models.backtest import (
    MAX_FAIR_VARIANTS,
    Z_95,
    BacktestResult,
    backtest,
    multiple_testing_note,
    slow_reference,
)

PROPERTY = settings(deadline=None, max_examples=60)
NAN = math.nan


def assert_same(fast: BacktestResult, slow: BacktestResult, tolerance: float = 1e-9) -> None:
    for field in dataclasses.fields(BacktestResult):
        a, b = getattr(fast, field.name), getattr(slow, field.name)
        if isinstance(a, np.ndarray):
            assert a.shape == b.shape, field.name
            assert np.allclose(a, b, rtol=0.0, atol=tolerance), field.name
        elif a is None or b is None:
            assert a is None and b is None, field.name
        elif isinstance(a, tuple):
            assert all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True)), field.name
        else:
            assert abs(a - b) <= tolerance, field.name


def random_two_way(n: int, seed: int) -> dict[str, np.ndarray]:
    """Games with the model's view, pushes, half-decided quarter lines, missing prices and closes."""
    rng = np.random.default_rng(seed)
    truth = rng.uniform(0.2, 0.8, n)
    p_first = np.clip(truth + rng.normal(0.0, 0.08, n), 0.02, 0.98)
    probabilities = np.column_stack([p_first, 1.0 - p_first])
    probabilities[rng.random(n) < 0.05] = NAN  # no prediction
    first_won = (rng.random(n) < truth).astype(float)
    outcomes = np.column_stack([first_won, 1.0 - first_won])
    weights = np.ones((n, 2))
    half = rng.random(n) < 0.1
    weights[half] = 0.5
    outcomes[rng.random(n) < 0.05] = NAN  # pushes
    fair = np.column_stack([truth, 1.0 - truth])
    prices = np.round(1.0 / (fair * rng.uniform(1.0, 1.08, (n, 1))), 2)
    prices[rng.random((n, 2)) < 0.1] = NAN
    closing = np.clip(fair + rng.normal(0.0, 0.02, (n, 1)) * np.array([1.0, -1.0]), 0.01, 0.99)
    closing[rng.random(n) < 0.2] = NAN
    return {
        "probabilities": probabilities,
        "outcomes": outcomes,
        "prices_decimal": prices,
        "closing_fair": closing,
        "outcome_weights": weights,
    }


def random_three_way(n: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    truth = rng.dirichlet([4.0, 2.5, 3.0], n)
    probabilities = rng.dirichlet([4.0, 2.5, 3.0], n) * 0.3 + truth * 0.7
    result = np.array([rng.choice(3, p=row) for row in truth])
    outcomes = np.eye(3)[result]
    prices = np.round(1.0 / (truth * 1.05), 2)
    prices[rng.random((n, 3)) < 0.1] = NAN
    return {
        "probabilities": probabilities,
        "outcomes": outcomes,
        "prices_decimal": prices,
        "closing_fair": truth,
    }


# --- the vectorised backtest is the loop ----------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
@pytest.mark.parametrize("min_confidence", [0.5, 0.55, 0.62])
def test_vectorised_equals_the_loop_two_way(seed: int, min_confidence: float) -> None:
    games = random_two_way(3_000, seed)
    fast = backtest(**games, min_confidence=min_confidence)
    slow = slow_reference(**games, min_confidence=min_confidence)
    assert fast.bets > 100 and fast.pushed > 0.0  # the random games exercise pushes and halves
    assert_same(fast, slow)
    assert np.array_equal(fast.sides_taken, slow.sides_taken)


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_vectorised_equals_the_loop_three_way(seed: int) -> None:
    games = random_three_way(2_000, seed)
    fast = backtest(**games, min_confidence=0.4)
    assert fast.bets > 50
    assert_same(fast, slow_reference(**games, min_confidence=0.4))


def test_optional_inputs_left_out() -> None:
    games = random_two_way(500, 8)
    del games["closing_fair"], games["outcome_weights"]
    fast = backtest(**games, min_confidence=0.5)
    assert fast.clv is None
    assert_same(fast, slow_reference(**games, min_confidence=0.5))


@PROPERTY
@given(seed=st.integers(0, 10_000), n=st.integers(0, 40), min_confidence=st.floats(0.0, 1.0))
def test_any_small_record_matches_the_loop(seed: int, n: int, min_confidence: float) -> None:
    games = random_two_way(n, seed)
    fast = backtest(**games, min_confidence=min_confidence)
    assert_same(fast, slow_reference(**games, min_confidence=min_confidence))
    if fast.bets:
        assert fast.bankroll_units[-1] == pytest.approx(fast.roi * fast.bets, abs=1e-9)  # type: ignore[operator]
        assert fast.max_drawdown_units >= 0.0


@PROPERTY
@given(seed=st.integers(0, 10_000), low=st.floats(0.0, 1.0), high=st.floats(0.0, 1.0))
def test_a_higher_threshold_never_bets_more(seed: int, low: float, high: float) -> None:
    low, high = min(low, high), max(low, high)
    games = random_two_way(200, seed)
    loose, strict = backtest(**games, min_confidence=low), backtest(**games, min_confidence=high)
    assert strict.bets <= loose.bets and strict.calls <= loose.calls
    assert set(np.flatnonzero(strict.sides_taken >= 0)) <= set(np.flatnonzero(loose.sides_taken >= 0))


# --- a record worked by hand ----------------------------------------------------------------------

GOLDEN = {
    "probabilities": [
        [0.60, 0.40],
        [0.30, 0.70],
        [0.56, 0.44],
        [0.65, 0.35],
        [0.58, 0.42],
        [NAN, NAN],
        [0.70, 0.30],
    ],
    "outcomes": [[1, 0], [1, 0], [1, 0], [NAN, NAN], [1, 0], [0, 1], [0, 1]],
    "prices_decimal": [
        [1.80, 2.10],
        [3.50, 1.50],
        [1.70, 2.30],
        [1.60, NAN],
        [1.95, 2.00],
        [1.9, 1.9],
        [1.50, 2.90],
    ],
    "closing_fair": [
        [0.58, 0.42],
        [0.32, 0.68],
        [0.5, 0.5],
        [NAN, NAN],
        [0.52, 0.48],
        [0.5, 0.5],
        [0.70, 0.30],
    ],
    "outcome_weights": [[1, 1], [1, 1], [1, 1], [1, 1], [0.5, 0.5], [1, 1], [1, 1]],
}


def test_a_hand_worked_record() -> None:
    """Seven games at 55%:

    1. home 60% at 1.80: EV +0.08, bet, won: +0.80 (CLV 1.80 × 0.58 − 1 = 0.044)
    2. away 70% at 1.50: EV +0.05, bet (home's EV is also +0.05 but 30% < 55%), lost: −1 (CLV 0.02)
    3. home 56% at 1.70: EV −0.048, no bet — but a call, and home won
    4. home 65% at 1.60: bet, pushed: 0 (no closing price)
    5. home 58% at 1.95 on a quarter line, half won: +0.475 (CLV 0.014)
    6. no prediction
    7. home 70% at 1.50: bet, lost: −1 (CLV 0.05)
    """
    result = backtest(**GOLDEN, min_confidence=0.55)  # type: ignore[arg-type]
    assert result.sides_taken.tolist() == [0, 1, -1, 0, 0, -1, 0]
    assert (result.games, result.calls, result.bets) == (6, 6, 5)
    assert result.bankroll_units.tolist() == pytest.approx([0.8, -0.2, -0.2, 0.275, -0.725])
    assert (result.won, result.lost, result.pushed) == pytest.approx((1.5, 2.0, 1.5))
    assert result.win_rate == pytest.approx(1.5 / 3.5)
    assert result.roi == pytest.approx(-0.145)
    sd = math.sqrt(
        2.7605 / 4
    )  # squared deviations from −0.145: .893025 + .731025 + .021025 + .3844 + .731025
    assert result.roi_interval == pytest.approx(
        (-0.145 - Z_95 * sd / math.sqrt(5), -0.145 + Z_95 * sd / math.sqrt(5))
    )
    assert result.sharpe == pytest.approx(-0.145 / sd)
    assert result.max_drawdown_units == pytest.approx(1.525)  # from +0.8 to −0.725
    assert result.clv == pytest.approx((0.044 + 0.02 + 0.014 + 0.05) / 4)
    # Calls: won 1 + 0 + 1 + (push) + 0.5 + 0 of 1 + 1 + 1 + 0 + 0.5 + 1 decided.
    assert result.accuracy == pytest.approx(2.5 / 4.5)
    assert result.accuracy_interval == pytest.approx(wilson_interval(2.5, 4.5))
    # Brier: .16 + .49 + .1936 + ½ × .1764 + .49 over weight 4.5 (the push and the unpredicted game out).
    assert result.brier == pytest.approx((0.16 + 0.49 + 0.1936 + 0.5 * 0.1764 + 0.49) / 4.5)
    assert_same(result, slow_reference(**GOLDEN, min_confidence=0.55))  # type: ignore[arg-type]


def test_no_bets_no_money_figures() -> None:
    result = backtest([[0.5, 0.5]], [[1.0, 0.0]], [[1.9, 1.9]], min_confidence=0.6)
    assert result.bets == 0 and result.roi is None and result.win_rate is None and result.sharpe is None
    assert result.roi_interval is None and result.clv is None and result.max_drawdown_units == 0.0
    assert result.bankroll_units.size == 0 and result.accuracy is None
    assert result.brier == pytest.approx(0.25)


def test_results_cannot_be_changed() -> None:
    result = backtest(**random_two_way(50, 9), min_confidence=0.5)
    with pytest.raises(ValueError, match="read-only"):
        result.bankroll_units[0] = 100.0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"prices_decimal": [[1.0, 1.9]]}, "above 1"),
        ({"probabilities": [[1.2, -0.2]]}, "probabilities"),
        ({"outcomes": [[1.0, 0.0], [0.0, 1.0]]}, "shape"),
        ({"probabilities": [0.5, 0.5]}, "games × sides"),
        ({"min_confidence": 1.5}, "min_confidence"),
        ({"outcome_weights": [[NAN, 1.0]]}, "outcome_weights"),
    ],
)
def test_bad_inputs_are_refused(change: dict[str, object], message: str) -> None:
    arguments: dict[str, object] = {
        "probabilities": [[0.6, 0.4]],
        "outcomes": [[1.0, 0.0]],
        "prices_decimal": [[1.9, 1.9]],
        "min_confidence": 0.55,
    }
    arguments.update(change)
    with pytest.raises(InvalidInput, match=message):
        backtest(**arguments)  # type: ignore[arg-type]


# --- the variants warning -------------------------------------------------------------------------


def test_many_variants_on_one_window_are_flagged() -> None:
    assert multiple_testing_note(1, "the last 90 days") is None
    assert multiple_testing_note(MAX_FAIR_VARIANTS, "the last 90 days") is None
    note = multiple_testing_note(12, "NBA 2024-25")
    assert note is not None and "12 variants" in note and "NBA 2024-25" in note and "optimistic" in note
    with pytest.raises(InvalidInput):
        multiple_testing_note(0, "x")
