"""The bankroll's numbers, worked by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.bankroll import SettledBet, bankroll_series, max_drawdown, sharpe, summarize
from core.errors import InvalidInput

T0 = datetime(2025, 9, 15, tzinfo=UTC)


def bet(
    hours: int, stake: float, profit: float, decimal: float, status: str, clv: float | None = None
) -> SettledBet:
    return SettledBet(T0 + timedelta(hours=hours), stake, profit, decimal, status, clv)


BETS = [
    bet(1, 10.0, 9.09, 1.909, "won", 0.02),  # -110 won
    bet(2, 20.0, -20.0, 2.5, "lost", -0.01),  # +150 lost
    bet(3, 10.0, 0.0, 1.909, "push"),
    bet(4, 10.0, 7.5, 2.5, "half_won", 0.03),  # half at +150 won, half returned
]


def test_the_series_is_cumulative_pnl_in_settlement_order() -> None:
    assert [v for _, v in bankroll_series(list(reversed(BETS)))] == [9.09, -10.91, -10.91, -3.41]


def test_drawdown_is_the_largest_fall_from_a_running_peak_starting_at_zero() -> None:
    assert max_drawdown([9.09, -10.91, -10.91, -3.41]) == 20.0
    assert max_drawdown([-5.0, 2.0, 1.0]) == 5.0  # below the starting zero counts
    assert max_drawdown([1.0, 2.0]) == 0.0


def test_sharpe_is_mean_over_sample_sd_of_per_bet_returns() -> None:
    # returns 0.909, -1, 0, 0.75: mean 0.16475, sample sd sqrt(2.28021 / 3) = 0.87182 -> 0.1890
    assert sharpe([0.909, -1.0, 0.0, 0.75]) == pytest.approx(0.1890, abs=1e-4)
    assert sharpe([0.5]) is None and sharpe([0.2, 0.2]) is None


def test_the_summary() -> None:
    s = summarize(BETS)
    assert (s.bets, s.staked_usd, s.pnl_usd) == (4, 50.0, -3.41)
    assert s.roi == pytest.approx(-0.0682)
    assert s.win_rate == pytest.approx(1.5 / 2.5)  # a half win counts half; the push not at all
    assert s.units == pytest.approx(0.909 - 1.0 + 0.0 + 0.75)
    assert s.clv == pytest.approx(0.0133, abs=1e-4)
    assert s.max_drawdown_usd == 20.0
    # Mean decimal (1.909 + 2.5 + 1.909 + 2.5) / 4 = 2.2045 -> +120.45
    assert s.avg_odds_american == pytest.approx(120.4, abs=0.1)


def test_an_empty_book_and_a_bad_stake() -> None:
    s = summarize([])
    assert (s.bets, s.roi, s.win_rate, s.sharpe, s.max_drawdown_usd) == (0, None, None, None, 0.0)
    with pytest.raises(InvalidInput):
        bet(1, 0.0, 0.0, 2.0, "void")
