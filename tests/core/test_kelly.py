"""Kelly staking: hand-worked stakes, bad inputs, and the zero-stake-iff-no-edge property."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.kelly import kelly_fraction, kelly_stake_usd

PROPERTY = settings(deadline=None, max_examples=200)

probabilities = st.floats(min_value=1e-6, max_value=1 - 1e-6)
decimal_odds = st.floats(min_value=1.001, max_value=1000.0)


# --- golden numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probability", "odds_decimal", "expected"),
    [
        (0.6, 2.0, 0.2),  # (0.6·2 − 1)/(2 − 1)
        (0.5, 3.0, 0.25),  # (1.5 − 1)/2
        (0.25, 5.0, 0.0625),  # (1.25 − 1)/4
        (0.55, 1.909091, (0.55 * 1.909091 - 1) / 0.909091),  # -110 with a 55% edge: about 5.5%
        (0.5, 2.0, 0.0),  # fair bet: no edge, no stake
        (0.4, 2.0, 0.0),  # negative edge: still zero, never negative
    ],
)
def test_kelly_fraction_golden(probability: float, odds_decimal: float, expected: float) -> None:
    assert kelly_fraction(probability, odds_decimal) == pytest.approx(expected, abs=1e-12)


def test_kelly_stake_half_kelly_by_default() -> None:
    # Full Kelly 0.2 of $100 is $20; the default half Kelly stakes $10. (0.6 is not exact in
    # binary, so the float product is 9.999999999999998: compare to the cent, not bit for bit.)
    assert kelly_stake_usd(0.6, 2.0, 100) == pytest.approx(10.0, abs=1e-9)
    assert round(kelly_stake_usd(0.6, 2.0, 100), 2) == 10.0


def test_kelly_stake_fractions() -> None:
    assert kelly_stake_usd(0.5, 3.0, 1000, fraction=1.0) == pytest.approx(250.0, abs=1e-9)
    assert kelly_stake_usd(0.5, 3.0, 1000, fraction=0.25) == pytest.approx(62.5, abs=1e-9)
    assert kelly_stake_usd(0.4, 2.0, 1000) == 0.0
    assert kelly_stake_usd(0.6, 2.0, 0) == 0.0


def test_kelly_accepts_arrays() -> None:
    fractions = kelly_fraction([0.6, 0.5, 0.4], 2.0)
    assert isinstance(fractions, np.ndarray)
    np.testing.assert_allclose(fractions, [0.2, 0.0, 0.0], atol=1e-12)
    stakes = kelly_stake_usd([0.6, 0.5], [2.0, 3.0], [100.0, 1000.0])
    np.testing.assert_allclose(stakes, [10.0, 125.0], atol=1e-9)
    assert type(kelly_fraction(0.6, 2.0)) is float
    assert type(kelly_stake_usd(0.6, 2.0, 100)) is float


# --- bad inputs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "shown"), [(0.0, "0"), (1.0, "1"), (1.2, "1.2"), (-0.1, "-0.1"), (math.nan, "nan")]
)
def test_probability_must_be_strictly_between_zero_and_one(bad: float, shown: str) -> None:
    expected = f"probability must be strictly between 0 and 1, got {shown}"
    with pytest.raises(InvalidInput) as caught:
        kelly_fraction(bad, 2.0)
    assert str(caught.value) == expected
    with pytest.raises(InvalidInput) as caught:
        kelly_stake_usd(bad, 2.0, 100)
    assert str(caught.value) == expected


@pytest.mark.parametrize(("bad", "shown"), [(1.0, "1"), (0.5, "0.5"), (math.inf, "inf")])
def test_odds_must_exceed_one(bad: float, shown: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        kelly_fraction(0.5, bad)
    assert str(caught.value) == f"odds_decimal must be finite and > 1, got {shown}"


@pytest.mark.parametrize(("bad", "shown"), [(-1.0, "-1"), (math.inf, "inf"), (math.nan, "nan")])
def test_bankroll_must_be_finite_and_not_negative(bad: float, shown: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        kelly_stake_usd(0.6, 2.0, bad)
    assert str(caught.value) == f"bankroll_usd must be finite and >= 0, got {shown}"


@pytest.mark.parametrize(("bad", "shown"), [(0.0, "0"), (1.5, "1.5"), (-0.5, "-0.5"), (math.nan, "nan")])
def test_fraction_must_be_in_zero_one(bad: float, shown: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        kelly_stake_usd(0.6, 2.0, 100, fraction=bad)
    assert str(caught.value) == f"fraction must be in (0, 1], got {shown}"


def test_array_errors_locate_the_bad_value_and_shapes_must_match() -> None:
    with pytest.raises(InvalidInput, match=r"^probability must be .*, got 1 at index 1$"):
        kelly_fraction([0.5, 1.0], 2.0)
    with pytest.raises(InvalidInput, match=r"compatible shapes"):
        kelly_fraction([0.5, 0.6], [2.0, 2.0, 2.0])


# --- properties -------------------------------------------------------------------------------


@PROPERTY
@given(probabilities, decimal_odds)
def test_kelly_is_zero_exactly_when_expected_value_is_not_positive(probability: float, odds: float) -> None:
    fraction = kelly_fraction(probability, odds)
    expected_value = probability * odds - 1.0
    assert (fraction == 0.0) == (expected_value <= 0.0)
    assert 0.0 <= fraction < 1.0


@PROPERTY
@given(
    probabilities,
    decimal_odds,
    st.floats(min_value=0.0, max_value=1e7),
    st.floats(min_value=0.01, max_value=1.0),
)
def test_stake_is_scaled_full_kelly_and_never_exceeds_bankroll(
    probability: float, odds: float, bankroll: float, fraction: float
) -> None:
    stake = kelly_stake_usd(probability, odds, bankroll, fraction=fraction)
    expected = fraction * kelly_fraction(probability, odds) * bankroll
    assert stake == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert 0.0 <= stake <= bankroll
