"""Devig: hand-worked markets, each method's defining property, bad inputs and domain properties.

Every method has a closed-form *forward* model (fair probabilities + margin parameter → prices);
building prices with it and devigging them must give the fair probabilities back. That checks
the numerical solvers against algebra rather than against themselves.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.devig import DEVIG_METHODS, MAX_OVERROUND, MIN_OVERROUND, devig, overround
from core.errors import InvalidInput
from core.odds import FloatArray

PROPERTY = settings(deadline=None, max_examples=200)
SOLVED_METHODS = ("power", "odds_ratio", "shin")


# --- forward models: fair probabilities p and a margin parameter → implied probabilities π ------


def vig_multiplicative(p: FloatArray, margin: float) -> FloatArray:
    return p * (1.0 + margin)


def vig_additive(p: FloatArray, margin: float) -> FloatArray:
    return p + margin / len(p)


def vig_power(p: FloatArray, kappa: float) -> FloatArray:
    return np.asarray(p ** (1.0 / kappa))


def vig_odds_ratio(p: FloatArray, c: float) -> FloatArray:
    # π/(1 − π) = c · p/(1 − p)
    return c * p / (1.0 - p + c * p)


def vig_shin(p: FloatArray, z: float) -> FloatArray:
    # Shin: π_i²/Π = (1 − z)p_i² + z·p_i =: q_i, and Π = Σπ_i gives Π = (Σ√q_i)².
    # (A negative z needs q_i > 0, i.e. every p_i > −z/(1 − z); callers check that first.)
    root_q = np.sqrt((1.0 - z) * p**2 + z * p)
    return np.asarray(root_q * root_q.sum())


def usable(implied: FloatArray) -> bool:
    """Whether the prices 1/implied make a market devig accepts: prices > 1, margin in range."""
    odds = 1.0 / implied
    return bool(np.all(odds > 1.0)) and bool(MIN_OVERROUND <= overround(odds) <= MAX_OVERROUND)


def fair_probabilities(weights: list[float]) -> FloatArray:
    w = np.asarray(weights)
    return np.asarray(w / w.sum())


# --- golden numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize("method", DEVIG_METHODS)
def test_symmetric_two_way_minus_110_is_a_coin_flip(method: str) -> None:
    np.testing.assert_allclose(devig([1.909091, 1.909091], method), [0.5, 0.5], atol=1e-12)


def test_multiplicative_three_way_by_hand() -> None:
    # 1/1.6 + 1/4 + 1/5 = 0.625 + 0.25 + 0.2 = 1.075
    fair = devig([1.6, 4.0, 5.0], "multiplicative")
    np.testing.assert_allclose(fair, [0.625 / 1.075, 0.25 / 1.075, 0.2 / 1.075], rtol=1e-12)
    np.testing.assert_allclose(fair, [0.581395, 0.232558, 0.186047], atol=1e-6)


def test_additive_three_way_by_hand() -> None:
    # Overround 0.075 shared equally: 0.025 off each of 0.625, 0.25, 0.2.
    np.testing.assert_allclose(devig([1.6, 4.0, 5.0], "additive"), [0.6, 0.225, 0.175], atol=1e-12)


def test_two_way_by_hand() -> None:
    # 1/1.25 + 1/4 = 0.8 + 0.25 = 1.05
    np.testing.assert_allclose(devig([1.25, 4.0], "multiplicative"), [0.8 / 1.05, 0.25 / 1.05], rtol=1e-12)
    np.testing.assert_allclose(devig([1.25, 4.0], "additive"), [0.775, 0.225], atol=1e-12)
    np.testing.assert_allclose(devig([1.25, 4.0], "shin"), [0.775, 0.225], atol=1e-12)


def test_default_method_is_multiplicative() -> None:
    np.testing.assert_array_equal(devig([2.5, 3.4, 2.9]), devig([2.5, 3.4, 2.9], "multiplicative"))


@pytest.mark.parametrize(
    ("method", "vig", "parameter"),
    [
        ("multiplicative", vig_multiplicative, 0.05),
        ("additive", vig_additive, 0.05),
        ("power", vig_power, 1.1),  # κ > 1: overround
        ("power", vig_power, 0.9),  # κ < 1: underround
        ("odds_ratio", vig_odds_ratio, 1.2),
        ("odds_ratio", vig_odds_ratio, 0.85),
        ("shin", vig_shin, 0.03),
        ("shin", vig_shin, -0.02),  # Shin's z turns negative for an underround
    ],
)
@pytest.mark.parametrize("fair", [[0.45, 0.28, 0.27], [0.7, 0.2, 0.1], [0.62, 0.38]])
def test_each_method_inverts_its_own_model(
    method: str, vig: Callable[[FloatArray, float], FloatArray], parameter: float, fair: list[float]
) -> None:
    p = np.asarray(fair)
    odds = 1.0 / vig(p, parameter)
    np.testing.assert_allclose(devig(odds, method), p, atol=1e-12)


def test_methods_disagree_on_a_longshot_as_expected() -> None:
    # On a favourite-longshot market every vig-aware method takes more margin from the longshot
    # than proportional devig does, so it leaves the longshot a smaller fair probability.
    odds = [1.3, 4.5, 9.0]
    longshot = {method: devig(odds, method)[2] for method in DEVIG_METHODS}
    for method in ("additive", "power", "odds_ratio", "shin"):
        assert longshot[method] < longshot["multiplicative"]


def test_fair_market_is_left_alone_by_every_method() -> None:
    odds = [2.0, 4.0, 4.0]  # 0.5 + 0.25 + 0.25 = 1
    for method in DEVIG_METHODS:
        np.testing.assert_allclose(devig(odds, method), [0.5, 0.25, 0.25], atol=1e-12)


def test_overround_golden() -> None:
    assert overround([1.909091, 1.909091]) == pytest.approx(0.047619, abs=1e-6)
    assert overround([2.0, 2.0]) == 0.0
    assert overround([1.6, 4.0, 5.0]) == pytest.approx(0.075, abs=1e-12)
    assert overround([2.1, 2.1]) == pytest.approx(2 / 2.1 - 1, abs=1e-12)  # underround is negative
    margins = overround([[1.6, 4.0, 5.0], [2.0, 4.0, 4.0]])
    assert isinstance(margins, np.ndarray)
    np.testing.assert_allclose(margins, [0.075, 0.0], atol=1e-12)
    assert type(overround(np.array([2.0, 2.0]))) is float


def test_two_dimensional_input_devigs_each_row() -> None:
    markets = np.array([[2.5, 3.4, 2.9], [1.3, 4.5, 9.0], [2.1, 3.6, 3.9], [1.909091, 3.0, 5.5]])
    for method in DEVIG_METHODS:
        fair = devig(markets, method)
        assert fair.shape == markets.shape
        for row, odds in enumerate(markets):
            np.testing.assert_allclose(fair[row], devig(odds, method), atol=1e-13)


def test_shapes_follow_the_input() -> None:
    assert devig([2.0, 2.0]).shape == (2,)
    assert devig([[2.0, 2.0]]).shape == (1, 2)
    assert devig(np.empty((0, 3)), "shin").shape == (0, 3)


# --- bad inputs -------------------------------------------------------------------------------


def test_unknown_method_names_it_and_lists_valid_ones() -> None:
    with pytest.raises(InvalidInput) as caught:
        devig([2.0, 2.0], "proportional")
    message = str(caught.value)
    assert "'proportional'" in message
    for method in DEVIG_METHODS:
        assert method in message


@pytest.mark.parametrize("odds", [[2.0], [3.0, 3.0, 3.0, 3.0], [[3.0, 3.0, 3.0, 3.0]]])
def test_outcome_count_must_be_two_or_three(odds: list[float]) -> None:
    with pytest.raises(InvalidInput, match=r"^odds_decimal must have 2 or 3 outcomes per market, got [14]$"):
        devig(odds)


def test_overround_above_limit_names_overround_and_prices() -> None:
    with pytest.raises(InvalidInput) as caught:
        devig([1.5, 1.5], "power")
    assert str(caught.value) == (
        "overround must be between -0.25 and 0.25, got 0.333333 for odds_decimal=[1.5, 1.5]"
    )


def test_underround_below_limit_names_overround_and_prices() -> None:
    with pytest.raises(InvalidInput) as caught:
        devig([3.0, 3.0])
    assert str(caught.value) == (
        "overround must be between -0.25 and 0.25, got -0.333333 for odds_decimal=[3, 3]"
    )


def test_margin_just_past_the_limit_is_shown_in_full() -> None:
    with pytest.raises(InvalidInput, match=r"got -0\.250000\d{5,} for odds_decimal"):
        devig([8 / 3 + 1e-6, 8 / 3])


def test_bad_market_in_a_batch_is_located() -> None:
    with pytest.raises(InvalidInput, match=r"odds_decimal=\[1\.2, 1\.5, 6\] \(market 1\)$"):
        devig([[2.5, 3.4, 2.9], [1.2, 1.5, 6.0]], "shin")


def test_additive_raising_on_a_longshot_names_method_and_prices() -> None:
    # Overround 0.088 / 3 = 0.029 is more than the longshot's 1/80 = 0.0125.
    with pytest.raises(InvalidInput) as caught:
        devig([1.1, 6.0, 80.0], "additive")
    assert str(caught.value) == (
        "devig method 'additive' gives a probability outside (0, 1) for odds_decimal=[1.1, 6, 80]"
    )
    for method in ("multiplicative", "power", "odds_ratio", "shin"):
        assert devig([1.1, 6.0, 80.0], method).min() > 0.0


@pytest.mark.parametrize("odds", [[2.0, 1.0], [2.0, math.nan], [3.0, 0.5], [2.0, math.inf]])
def test_bad_prices_are_rejected(odds: list[float]) -> None:
    with pytest.raises(InvalidInput, match=r"^odds_decimal must be finite and > 1, got .* at index 1$"):
        devig(odds)
    with pytest.raises(InvalidInput, match=r"^odds_decimal must be finite and > 1"):
        overround(odds)


def test_three_dimensional_input_is_rejected() -> None:
    with pytest.raises(InvalidInput, match=r"got 3-D$"):
        devig(np.full((2, 2, 2), 2.0))
    with pytest.raises(InvalidInput, match=r"^odds_decimal must have at least 2 outcomes"):
        overround([2.0])


# --- properties -------------------------------------------------------------------------------

outcome_weights = st.lists(st.floats(min_value=0.02, max_value=1.0), min_size=2, max_size=3)
margins = st.floats(min_value=MIN_OVERROUND, max_value=MAX_OVERROUND)


def check_fair(fair: FloatArray, implied: FloatArray) -> None:
    assert fair.shape == implied.shape
    assert np.all(fair > 0.0)
    assert np.all(fair < 1.0)
    assert abs(fair.sum() - 1.0) <= 1e-9
    # Every method keeps the bookmaker's ranking of the outcomes.
    order = np.argsort(implied, kind="stable")
    assert np.all(np.diff(fair[order]) >= -1e-12)


@PROPERTY
@given(outcome_weights, margins, st.sampled_from(DEVIG_METHODS))
def test_devigged_probabilities_are_valid(weights: list[float], margin: float, method: str) -> None:
    implied = fair_probabilities(weights) * (1.0 + margin)
    assume(usable(implied))
    odds = 1.0 / implied
    if method == "additive":
        booksum = implied.sum()
        if np.any(implied - (booksum - 1.0) / len(implied) <= 0.0):
            with pytest.raises(InvalidInput, match="'additive'"):
                devig(odds, method)
            return
    check_fair(devig(odds, method), 1.0 / odds)


@settings(deadline=None, max_examples=100)  # each example devigs a batch four ways
@given(st.lists(st.tuples(outcome_weights.filter(lambda w: len(w) == 3), margins), min_size=1, max_size=30))
def test_batches_are_valid_for_every_solved_method(rows: list[tuple[list[float], float]]) -> None:
    implied = np.array([fair_probabilities(w) * (1.0 + m) for w, m in rows])
    assume(all(usable(market) for market in implied))
    odds = 1.0 / implied
    for method in ("multiplicative", *SOLVED_METHODS):
        fair = devig(odds, method)
        assert np.all((fair > 0.0) & (fair < 1.0))
        np.testing.assert_allclose(fair.sum(axis=1), 1.0, atol=1e-9)


@PROPERTY
@given(st.floats(min_value=0.01, max_value=0.99), margins)
def test_shin_equals_additive_for_two_outcomes(p_home: float, margin: float) -> None:
    implied = np.array([p_home, 1.0 - p_home]) * (1.0 + margin)
    assume(usable(implied))
    odds = 1.0 / implied
    np.testing.assert_allclose(devig(odds, "shin"), devig(odds, "additive"), atol=1e-9)


@PROPERTY
@given(outcome_weights, st.floats(min_value=0.8, max_value=1.6))
def test_power_recovers_fair_probabilities(weights: list[float], kappa: float) -> None:
    p = fair_probabilities(weights)
    implied = vig_power(p, kappa)
    assume(usable(implied))
    odds = 1.0 / implied
    np.testing.assert_allclose(devig(odds, "power"), p, atol=1e-9)


@PROPERTY
@given(outcome_weights, st.floats(min_value=0.6, max_value=2.0))
def test_odds_ratio_recovers_fair_probabilities(weights: list[float], c: float) -> None:
    p = fair_probabilities(weights)
    implied = vig_odds_ratio(p, c)
    assume(usable(implied))
    odds = 1.0 / implied
    np.testing.assert_allclose(devig(odds, "odds_ratio"), p, atol=1e-9)


@PROPERTY
@given(outcome_weights, st.floats(min_value=-0.3, max_value=0.3))
def test_shin_recovers_fair_probabilities(weights: list[float], z: float) -> None:
    p = fair_probabilities(weights)
    assume(np.all(p > -z / (1.0 - z)))
    implied = vig_shin(p, z)
    assume(usable(implied))
    odds = 1.0 / implied
    np.testing.assert_allclose(devig(odds, "shin"), p, atol=1e-9)


@PROPERTY
@given(outcome_weights, margins)
def test_additive_and_multiplicative_recover_fair_probabilities(weights: list[float], margin: float) -> None:
    p = fair_probabilities(weights)
    multiplied = vig_multiplicative(p, margin)
    added = vig_additive(p, margin)
    assume(usable(multiplied) and usable(added) and np.all(added > 0.0))
    np.testing.assert_allclose(devig(1.0 / multiplied, "multiplicative"), p, atol=1e-12)
    np.testing.assert_allclose(devig(1.0 / added, "additive"), p, atol=1e-12)
