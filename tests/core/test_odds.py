"""Odds conversions: hand-worked golden numbers, bad inputs, and round-trip properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.odds import (
    american_to_decimal,
    check_american,
    check_decimal,
    check_probability,
    decimal_to_american,
    implied_probability_decimal,
    profit_american,
)

PROPERTY = settings(deadline=None, max_examples=200)

# American odds on either side of the ±100 gap, up to a 1000-to-1 shot.
american_odds = st.one_of(
    st.floats(min_value=100.0, max_value=100_000.0),
    st.floats(min_value=-100_000.0, max_value=-100.0),
)
decimal_odds = st.floats(min_value=1.001, max_value=1001.0)


# --- golden numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("odds_american", "expected"),
    [
        (-110, 1 + 100 / 110),  # 1.909091: the standard -110 line
        (150, 2.5),  # +150 → 1 + 150/100
        (-200, 1.5),  # -200 → 1 + 100/200
        (100, 2.0),  # even money from both sides
        (-100, 2.0),
        (1000, 11.0),
        (-1000, 1.1),
    ],
)
def test_american_to_decimal_golden(odds_american: float, expected: float) -> None:
    assert american_to_decimal(odds_american) == pytest.approx(expected, rel=1e-12)


def test_american_to_decimal_minus_110_to_six_places() -> None:
    assert round(american_to_decimal(-110), 6) == 1.909091


@pytest.mark.parametrize(
    ("odds_decimal", "expected"),
    [(2.5, 150.0), (1.5, -200.0), (2.0, 100.0), (1.909090909090909, -110.0), (11.0, 1000.0), (1.1, -1000.0)],
)
def test_decimal_to_american_golden(odds_decimal: float, expected: float) -> None:
    assert decimal_to_american(odds_decimal) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize(
    ("odds_decimal", "expected"), [(2.0, 0.5), (4.0, 0.25), (1.25, 0.8), (1.909091, 0.523809)]
)
def test_implied_probability_decimal_golden(odds_decimal: float, expected: float) -> None:
    assert implied_probability_decimal(odds_decimal) == pytest.approx(expected, abs=1e-6)


def test_profit_american_positive_odds() -> None:
    # $10 at +150 wins 10 × 150 / 100 = $15, exactly.
    assert profit_american(10, 150) == 15.0


def test_profit_american_negative_odds() -> None:
    # $10 at -110 wins 10 / 1.10 = $9.0909...
    assert profit_american(10, -110) == pytest.approx(9.090909, abs=1e-6)


def test_profit_american_even_money_and_zero_stake() -> None:
    assert profit_american(25, 100) == 25.0
    assert profit_american(25, -100) == 25.0
    assert profit_american(0, -250) == 0.0


def test_profit_american_broadcasts_arrays() -> None:
    profit = profit_american([10, 20, 100], [150, -110, -200])
    assert isinstance(profit, np.ndarray)
    np.testing.assert_allclose(profit, [15.0, 20 / 1.1, 50.0])
    np.testing.assert_allclose(profit_american([10, 20], -200), [5.0, 10.0])


# --- scalar in, float out; array in, array out ----------------------------------------------


def test_scalar_input_gives_float_and_array_input_gives_array() -> None:
    assert type(american_to_decimal(-110)) is float
    assert type(decimal_to_american(np.float64(2.5))) is float
    assert type(implied_probability_decimal(2)) is float
    converted = american_to_decimal([150, -200])
    assert isinstance(converted, np.ndarray)
    assert converted.dtype == np.float64
    np.testing.assert_allclose(converted, [2.5, 1.5])
    np.testing.assert_allclose(decimal_to_american(np.array([[2.5, 1.5]])), [[150.0, -200.0]])
    np.testing.assert_allclose(implied_probability_decimal((2.0, 4.0)), [0.5, 0.25])


def test_check_helpers_return_validated_values() -> None:
    assert check_american(-110) == -110.0
    assert check_decimal(1.5) == 1.5
    assert check_probability(0.25) == 0.25
    np.testing.assert_array_equal(check_decimal([1.5, 3]), [1.5, 3.0])


def test_check_helpers_use_the_callers_argument_name() -> None:
    with pytest.raises(InvalidInput, match=r"^price must be finite and > 1, got 0\.5$"):
        check_decimal(0.5, name="price")


# --- bad inputs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "shown"),
    [
        (50, "50"),
        (-50, "-50"),
        (0, "0"),
        (99.99, "99.99"),
        (-99.99, "-99.99"),
        (math.nan, "nan"),
        (math.inf, "inf"),
        (-math.inf, "-inf"),
    ],
)
def test_american_to_decimal_rejects_bad_odds(bad: float, shown: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        american_to_decimal(bad)
    assert str(caught.value) == f"odds_american must be <= -100 or >= 100, got {shown}"


def test_bad_odds_message_names_the_value() -> None:
    with pytest.raises(InvalidInput) as caught:
        american_to_decimal(50)
    assert str(caught.value) == "odds_american must be <= -100 or >= 100, got 50"


def test_bad_array_names_first_bad_value_and_index() -> None:
    with pytest.raises(InvalidInput) as caught:
        american_to_decimal([150, -110, 50, 20])
    assert str(caught.value) == "odds_american must be <= -100 or >= 100, got 50 at index 2"
    with pytest.raises(InvalidInput) as caught:
        decimal_to_american([[2.0, 3.0], [1.5, 0.9]])
    assert str(caught.value) == "odds_decimal must be finite and > 1, got 0.9 at index (1, 1)"


@pytest.mark.parametrize("bad", [1.0, 0.5, 0.0, -2.0, math.nan, math.inf])
def test_decimal_functions_reject_bad_odds(bad: float) -> None:
    for function in (decimal_to_american, implied_probability_decimal, check_decimal):
        with pytest.raises(InvalidInput, match=r"^odds_decimal must be finite and > 1, got "):
            function(bad)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5, math.nan, math.inf])
def test_check_probability_rejects_values_outside_open_interval(bad: float) -> None:
    with pytest.raises(InvalidInput, match=r"^probability must be strictly between 0 and 1, got "):
        check_probability(bad)


@pytest.mark.parametrize("bad", ["-110", True, [150, "x"], [[2.0], [2.0, 3.0]], 1 + 2j, None])
def test_non_numbers_are_rejected(bad: object) -> None:
    with pytest.raises(InvalidInput, match=r"^odds_american must be a number or an array of numbers, got "):
        american_to_decimal(bad)  # type: ignore[call-overload]


@pytest.mark.parametrize("bad_stake", [-1.0, math.nan, math.inf])
def test_profit_american_rejects_bad_stake(bad_stake: float) -> None:
    with pytest.raises(InvalidInput, match=r"^stake_usd must be finite and >= 0, got "):
        profit_american(bad_stake, 150)


def test_profit_american_rejects_bad_odds_and_shapes() -> None:
    with pytest.raises(InvalidInput) as caught:
        profit_american(10, -99)
    assert str(caught.value) == "odds_american must be <= -100 or >= 100, got -99"
    with pytest.raises(InvalidInput, match=r"compatible shapes, got \(2,\) and \(3,\)"):
        profit_american([10, 20], [150, 150, 150])


def test_a_result_past_float_range_is_refused_by_name_not_returned_as_inf() -> None:
    with pytest.raises(InvalidInput) as caught:
        profit_american(10, 1e308)
    assert str(caught.value) == (
        "profit must be a finite number (stake_usd and odds_american are too large), got inf"
    )
    with pytest.raises(InvalidInput, match=r"^profit must be a finite number .*, got inf at index 1$"):
        profit_american([10, 1e300], [150, 1e300])
    with pytest.raises(InvalidInput, match=r"^odds_american must be a finite number .*got inf$"):
        decimal_to_american(1e308)
    assert profit_american(1e300, 1e5) == pytest.approx(1e303)  # large, and still a number


def test_invalid_input_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="odds_decimal"):
        implied_probability_decimal(1.0)


# --- properties ------------------------------------------------------------------------------


@PROPERTY
@given(american_odds)
def test_american_round_trip(odds_american: float) -> None:
    decimal = american_to_decimal(odds_american)
    back = decimal_to_american(decimal)
    if decimal == 2.0:
        # Even money (-100, or a hair beyond it that rounds to 2.0) comes back written as +100.
        assert back == 100.0
    else:
        assert back == pytest.approx(odds_american, rel=1e-9)


@PROPERTY
@given(decimal_odds)
def test_decimal_round_trip(odds_decimal: float) -> None:
    assert american_to_decimal(decimal_to_american(odds_decimal)) == pytest.approx(odds_decimal, rel=1e-12)


@PROPERTY
@given(st.lists(decimal_odds, min_size=1, max_size=20))
def test_vectorised_conversion_matches_scalar(odds: list[float]) -> None:
    converted = decimal_to_american(odds)
    assert converted.shape == (len(odds),)
    for d, a in zip(odds, converted, strict=True):
        assert a == decimal_to_american(d)
    np.testing.assert_array_equal(implied_probability_decimal(odds), [1 / d for d in odds])


@PROPERTY
@given(american_odds)
def test_decimal_from_american_exceeds_one_and_matches_profit(odds_american: float) -> None:
    decimal = american_to_decimal(odds_american)
    assert decimal > 1.0
    # A winning $1 bet returns the stake plus profit: that is what decimal odds mean.
    assert 1.0 + profit_american(1.0, odds_american) == pytest.approx(decimal, rel=1e-12)


@PROPERTY
@given(st.floats(min_value=0.0, max_value=1e6), american_odds)
def test_profit_is_proportional_to_stake(stake_usd: float, odds_american: float) -> None:
    profit = profit_american(stake_usd, odds_american)
    assert profit >= 0.0
    assert profit == pytest.approx(stake_usd * profit_american(1.0, odds_american), rel=1e-12, abs=1e-12)
