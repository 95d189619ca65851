"""The public odds math in American odds: the acceptance numbers and clear errors."""

from __future__ import annotations

import math

import pytest

from tools import american_to_decimal, decimal_to_american, devig, implied_probability, kelly_stake, profit


def test_acceptance_numbers() -> None:
    assert profit(10, 150) == 15
    assert profit(10, -110) == pytest.approx(9.0909, abs=1e-4)
    assert american_to_decimal(-110) == pytest.approx(1.9091, abs=1e-4)
    assert devig([-110, -110]) == pytest.approx([0.5, 0.5])
    assert kelly_stake(0.6, 100, 100) == 10.0
    assert decimal_to_american(2.5) == pytest.approx(150)
    assert implied_probability(-110) == pytest.approx(110 / 210)


def test_devig_three_way_in_order() -> None:
    fair = devig([+150, +240, +200], method="shin")
    assert sum(fair) == pytest.approx(1.0)
    assert fair[0] > fair[2] > fair[1]


@pytest.mark.parametrize(
    ("call", "names"),
    [
        (lambda: american_to_decimal(50), ("odds", "50")),
        (lambda: american_to_decimal(0), ("odds", "0")),
        (lambda: american_to_decimal(math.inf), ("odds", "inf")),
        (lambda: american_to_decimal(math.nan), ("odds", "nan")),
        (lambda: profit(10, -99), ("odds_american", "-99")),
        (lambda: profit(-5, 150), ("stake_usd", "-5")),
        (lambda: kelly_stake(1.2, 100, 100), ("probability", "1.2")),
        (lambda: kelly_stake(0.0, 100, 100), ("probability", "0")),
        (lambda: devig([-110, -110], method="magic"), ("method", "magic")),
        (lambda: devig([-110]), ("odds", "1")),
        (lambda: decimal_to_american(1.0), ("odds", "1")),
    ],
)
def test_bad_input_names_the_argument_and_the_value(call: object, names: tuple[str, ...]) -> None:
    with pytest.raises(ValueError) as err:
        call()  # type: ignore[operator]
    message = str(err.value)
    for fragment in names:
        assert fragment in message, message


def test_kelly_is_zero_without_an_edge() -> None:
    assert kelly_stake(0.5, -110, 100) == 0.0


def test_lists_work_element_by_element() -> None:
    assert profit([10, 10], [150, -110]) == pytest.approx([15.0, 9.0909], abs=1e-4)
    assert american_to_decimal([-110, 150]) == pytest.approx([1.9091, 2.5], abs=1e-4)
    assert kelly_stake([0.6, 0.5], 100, 100) == [10.0, 0.0]
    assert implied_probability([100, -200]) == pytest.approx([0.5, 2 / 3])


def test_mismatched_lengths_name_both_arguments() -> None:
    with pytest.raises(ValueError, match=r"stake_usd and odds_american .*\(2,\) and \(3,\)"):
        profit([10, 20], [150, -110, 200])
    with pytest.raises(ValueError, match=r"probability \(2,\), odds_decimal \(3,\)"):
        kelly_stake([0.6, 0.5], [100, 120, 130], 100)


def test_strings_are_refused_with_the_value() -> None:
    with pytest.raises(ValueError, match="odds"):
        devig(["-110", "abc"])  # type: ignore[list-item]
