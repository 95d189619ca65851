"""Whom to trust: Wilson intervals, the seed's multiplier bands and edges, and each daily action."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.confidence import (
    CONFIDENCE_CEILING,
    CONFIDENCE_FLOOR,
    Action,
    adjusted_confidence,
    confidence_multiplier,
    daily_adjustment,
    wilson_interval,
)
from core.errors import InvalidInput

PROPERTY = settings(deadline=None, max_examples=200)


def _multiplier(won: float, lost: float, *, min_graded: int = 30) -> tuple[float, str]:
    """A two-way record, whose inverse won what the original lost and lost what it won."""
    return confidence_multiplier(
        won=won, lost=lost, inverse_won=lost, inverse_lost=won, min_graded=min_graded
    )


# --- Wilson -----------------------------------------------------------------------------------


def test_wilson_60_of_100_by_hand() -> None:
    # p̂ = 0.6, z² = 3.8416, 1 + z²/n = 1.038416
    # centre = (0.6 + 0.019208) / 1.038416 = 0.596300
    # half   = 1.96 / 1.038416 · √(0.0024 + 0.00009604) = 1.887495 · 0.0499604 = 0.094300
    low, high = wilson_interval(60, 100)
    assert low == pytest.approx(0.596300 - 0.094300, abs=2e-6)  # 0.5020
    assert high == pytest.approx(0.596300 + 0.094300, abs=2e-6)  # 0.6906


def test_wilson_edges() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)  # nothing known
    # 0 of 10: centre = half = (3.8416/20) / 1.38416 = 0.138770, so (0, 0.277540)
    low, high = wilson_interval(0, 10)
    assert low == 0.0
    assert high == pytest.approx(2 * 0.19208 / 1.38416, abs=1e-9)
    low, high = wilson_interval(10, 10)
    assert high == 1.0
    assert low == pytest.approx(1 - 2 * 0.19208 / 1.38416, abs=1e-9)
    # A wider z gives a wider interval; half results (fractional counts) are allowed.
    assert wilson_interval(6, 10, z=2.58)[0] < wilson_interval(6, 10)[0]
    low, high = wilson_interval(5.5, 10)
    assert low < 0.55 < high


@pytest.mark.parametrize(
    ("successes", "n", "z", "message"),
    [
        (11, 10, 1.96, "successes must be <= n (10), got 11"),
        (1, -1, 1.96, "n must be finite and >= 0, got -1"),
        (-1, 10, 1.96, "successes must be finite and >= 0, got -1"),
        (5, 10, 0.0, "z must be finite and > 0, got 0"),
        (5, math.nan, 1.96, "n must be finite and >= 0, got nan"),
    ],
)
def test_wilson_rejects_bad_input(successes: float, n: float, z: float, message: str) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)):
        wilson_interval(successes, n, z)


@PROPERTY
@given(st.integers(0, 500), st.integers(0, 500))
def test_wilson_is_symmetric_and_contains_the_rate(a: int, b: int) -> None:
    n = a + b
    low, high = wilson_interval(a, n)
    other_low, other_high = wilson_interval(b, n)
    assert low == pytest.approx(1 - other_high, abs=1e-12)
    assert high == pytest.approx(1 - other_low, abs=1e-12)
    if n:
        assert low <= a / n <= high


# --- the multiplier bands ---------------------------------------------------------------------


def test_too_few_graded_is_neutral() -> None:
    assert _multiplier(20, 9) == (1.0, "too few graded (29 < 30)")  # even at 69%
    assert _multiplier(0, 0)[0] == 1.0
    assert _multiplier(4, 1, min_graded=5)[0] == 1.2  # exactly min_graded is judged (80%)


def test_inverse_significantly_better() -> None:
    # 10 of 50: Wilson upper 0.3304; the inverse's 40 of 50: lower 0.6696 > 0.3304.
    assert _multiplier(10, 40) == (0.3, "inverse significantly better")
    # 12 of 30: upper 0.5768; the inverse's 18 of 30: lower 0.4232. Not significant, so scaled.
    assert _multiplier(12, 18)[0] == pytest.approx(0.4 / 0.5)


@pytest.mark.parametrize(
    ("won", "lost", "expected"),
    [
        (14, 16, (14 / 30) / 0.5),  # 46.7% → 0.9333
        (14.5, 15.5, 0.9666666666666667),  # 48.3% with half results
        (15, 15, 0.8),  # exactly 50% starts the 0.8-1.0 band: the seed's jump down from ~1.0
        (33, 27, 0.9),  # 55%: halfway from 0.8 to 1.0
        (59.99, 40.01, 0.9998),  # just under 60%: continuous into the next band
        (18, 12, 1.0),  # exactly 60%
        (39, 21, 1.1),  # 65%: halfway from 1.0 to 1.2
        (69.99, 30.01, 1.1998),
        (21, 9, 1.2),  # exactly 70%
        (27, 3, 1.2),  # 90%: capped
    ],
)
def test_multiplier_bands_and_edges(won: float, lost: float, expected: float) -> None:
    multiplier, _ = _multiplier(won, lost)
    assert multiplier == pytest.approx(expected, abs=1e-9)


def test_every_pick_lost_without_an_inverse_record_scales_to_zero() -> None:
    # With no graded inverses their Wilson interval is (0, 1), so it cannot be "significantly better".
    assert confidence_multiplier(won=0, lost=30, inverse_won=0, inverse_lost=0)[0] == 0.0


def test_multiplier_reasons_name_the_band() -> None:
    assert _multiplier(14, 16)[1] == "accuracy 46.7% below 50%: scaled directly"
    assert _multiplier(33, 27)[1] == "accuracy 55.0% in 50%-60%"
    assert _multiplier(39, 21)[1] == "accuracy 65.0% in 60%-70%"
    assert _multiplier(27, 3)[1] == "accuracy 90.0% at or above 70%: capped"


def test_the_discontinuity_at_fifty_percent_is_the_seeds() -> None:
    just_below, _ = _multiplier(49.9, 50.1, min_graded=30)
    at_fifty, _ = _multiplier(50, 50, min_graded=30)
    assert just_below == pytest.approx(0.998)
    assert at_fifty == pytest.approx(0.8)


def test_multiplier_rejects_bad_counts() -> None:
    with pytest.raises(InvalidInput, match=re.escape("inverse_lost must be finite and >= 0, got -2")):
        confidence_multiplier(won=1, lost=1, inverse_won=1, inverse_lost=-2)
    with pytest.raises(InvalidInput, match=re.escape("min_graded must be a whole number >= 1, got 0")):
        confidence_multiplier(won=1, lost=1, inverse_won=1, inverse_lost=1, min_graded=0)


@PROPERTY
@given(
    st.floats(0, 500),
    st.floats(0, 500),
    st.floats(0, 500),
    st.floats(0, 500),
    st.integers(1, 60),
)
def test_multiplier_always_within_zero_and_one_point_two(
    won: float, lost: float, inverse_won: float, inverse_lost: float, min_graded: int
) -> None:
    multiplier, reason = confidence_multiplier(
        won=won, lost=lost, inverse_won=inverse_won, inverse_lost=inverse_lost, min_graded=min_graded
    )
    assert 0.0 <= multiplier <= 1.2
    assert reason


# --- adjusted confidence ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probability", "multiplier", "expected"),
    [
        (0.6, 1.2, 0.72),
        (0.7, 0.3, 0.21),
        (0.6, 1.0, 0.6),
        (0.9, 1.2, CONFIDENCE_CEILING),  # 1.08 would not be a probability
        (0.6, 0.0, CONFIDENCE_FLOOR),  # nor would 0
    ],
)
def test_adjusted_confidence(probability: float, multiplier: float, expected: float) -> None:
    assert adjusted_confidence(probability, multiplier) == pytest.approx(expected, abs=1e-12)


def test_adjusted_confidence_rejects_bad_input() -> None:
    with pytest.raises(InvalidInput, match=re.escape("probability must be strictly between 0 and 1, got 1")):
        adjusted_confidence(1.0, 1.0)
    with pytest.raises(InvalidInput, match=re.escape("multiplier must be finite and >= 0, got -0.5")):
        adjusted_confidence(0.5, -0.5)


# --- daily adjustments ------------------------------------------------------------------------


def test_too_few_graded_keeps_the_original_at_one() -> None:
    adjustment = daily_adjustment(
        won=5, lost=15, inverse_won=15, inverse_lost=5,
        profit_units=-10, staked_units=20, inverse_profit_units=8, inverse_staked_units=20,
    )  # fmt: skip
    assert adjustment.action is Action.ORIGINAL
    assert adjustment.multiplier == 1.0
    assert adjustment.n == 20
    assert adjustment.accuracy == pytest.approx(0.25)
    assert adjustment.inverse_accuracy == pytest.approx(0.75)
    assert adjustment.reason == "too few graded (20 < 30)"


def test_inverse_when_the_inverse_is_significantly_better_and_pays() -> None:
    adjustment = daily_adjustment(
        won=10, lost=40, inverse_won=40, inverse_lost=10,
        profit_units=-25, staked_units=50, inverse_profit_units=12, inverse_staked_units=50,
    )  # fmt: skip
    assert adjustment.action is Action.INVERSE
    assert adjustment.multiplier == 0.3
    assert (adjustment.accuracy, adjustment.inverse_accuracy) == (0.2, 0.8)
    assert adjustment.roi == pytest.approx(-0.5)
    assert adjustment.inverse_roi == pytest.approx(0.24)


def test_avoid_when_neither_side_beats_break_even() -> None:
    # 55% right, but at the prices taken both the picks and their inverses lost money.
    adjustment = daily_adjustment(
        won=33, lost=27, inverse_won=27, inverse_lost=33,
        profit_units=-2, staked_units=60, inverse_profit_units=-8, inverse_staked_units=60,
    )  # fmt: skip
    assert adjustment.action is Action.AVOID
    assert adjustment.multiplier == pytest.approx(0.9)  # the record's multiplier, kept for the table
    assert "break-even" in adjustment.reason


def test_avoid_accurate_favourites_that_lose_money() -> None:
    adjustment = daily_adjustment(
        won=62, lost=38, inverse_won=38, inverse_lost=62,
        profit_units=-4, staked_units=100, inverse_profit_units=-3, inverse_staked_units=100,
    )  # fmt: skip
    assert adjustment.action is Action.AVOID


def test_avoid_when_only_the_original_was_priced_and_it_lost() -> None:
    adjustment = daily_adjustment(
        won=16, lost=14, inverse_won=14, inverse_lost=16,
        profit_units=-1.5, staked_units=30, inverse_profit_units=0, inverse_staked_units=0,
    )  # fmt: skip
    assert adjustment.action is Action.AVOID
    assert adjustment.inverse_roi is None


def test_original_with_the_band_multiplier() -> None:
    adjustment = daily_adjustment(
        won=39, lost=21, inverse_won=21, inverse_lost=39,
        profit_units=6, staked_units=60, inverse_profit_units=-10, inverse_staked_units=60,
    )  # fmt: skip
    assert adjustment.action is Action.ORIGINAL
    assert adjustment.multiplier == pytest.approx(1.1)
    assert adjustment.reason == "accuracy 65.0% in 60%-70%"


def test_original_when_nothing_was_priced() -> None:
    adjustment = daily_adjustment(
        won=33, lost=27, inverse_won=27, inverse_lost=33,
        profit_units=0, staked_units=0, inverse_profit_units=0, inverse_staked_units=0,
    )  # fmt: skip
    assert adjustment.action is Action.ORIGINAL
    assert adjustment.roi is None
    assert adjustment.inverse_roi is None


def test_profitable_longshots_are_not_inverted_into_losing_favourites() -> None:
    # 25% right at long odds and in profit; the inverse is far more accurate but loses money.
    adjustment = daily_adjustment(
        won=15, lost=45, inverse_won=45, inverse_lost=15,
        profit_units=9, staked_units=60, inverse_profit_units=-12, inverse_staked_units=60,
    )  # fmt: skip
    assert adjustment.action is Action.ORIGINAL
    assert adjustment.multiplier == 0.3  # still: trust the stated probabilities less


def test_inverse_when_its_money_is_unknown_but_its_record_is_better() -> None:
    adjustment = daily_adjustment(
        won=15, lost=45, inverse_won=45, inverse_lost=15,
        profit_units=2, staked_units=60, inverse_profit_units=0, inverse_staked_units=0,
    )  # fmt: skip
    assert adjustment.action is Action.INVERSE


def test_daily_adjustment_validates_money() -> None:
    with pytest.raises(InvalidInput, match=re.escape("staked_units_total must be finite and >= 0, got -1")):
        daily_adjustment(
            won=30, lost=30, inverse_won=30, inverse_lost=30,
            profit_units=0, staked_units=-1, inverse_profit_units=0, inverse_staked_units=0,
        )  # fmt: skip
