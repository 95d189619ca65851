"""The credit budget: closing captures first, sweeps paced and kept above a reserve."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.credits import Budget, Priority, decide, period_bounds, plan
from core.errors import InvalidInput

MID_MONTH = datetime(2025, 1, 16, 12, tzinfo=UTC)


def test_period_runs_from_reset_day_to_reset_day() -> None:
    assert period_bounds(MID_MONTH, 1) == (datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC))
    expected = (datetime(2024, 12, 20, tzinfo=UTC), datetime(2025, 1, 20, tzinfo=UTC))
    assert period_bounds(MID_MONTH, 20) == expected
    with pytest.raises(InvalidInput, match="reset_day"):
        period_bounds(MID_MONTH, 31)


def test_closing_captures_may_spend_the_reserve_sweeps_may_not() -> None:
    # 15.5 of 31 days gone, 500 budget, 380 used: 120 left; the reserve is 25% x 500 x 15.5/31 = 62.5 -> 63.
    budget = Budget(now=MID_MONTH, monthly_budget=500, used=380, remaining=120)
    assert budget.allowance == 120
    assert budget.closing_reserve == 63
    assert decide(budget, cost=100, priority=Priority.CLOSING).allowed
    refused = decide(budget, cost=100, priority=Priority.SWEEP)
    assert not refused.allowed and "kept for closing lines" in refused.reason


def test_sweeps_keep_an_even_pace() -> None:
    budget = Budget(now=datetime(2025, 1, 3, tzinfo=UTC), monthly_budget=500, used=60, remaining=440)
    # Two days of 31 gone: pace allows (2 + 1) / 31 x 500 = 48 credits by now.
    refused = decide(budget, cost=3, priority=Priority.SWEEP)
    assert not refused.allowed and "ahead of pace" in refused.reason
    fresh = Budget(now=datetime(2025, 1, 3, tzinfo=UTC), monthly_budget=500, used=0, remaining=500)
    assert decide(fresh, cost=15, priority=Priority.SWEEP).allowed


def test_nothing_beyond_what_the_provider_says_remains() -> None:
    budget = Budget(now=MID_MONTH, monthly_budget=20_000, used=100, remaining=2)
    decision = decide(budget, cost=3, priority=Priority.CLOSING)
    assert not decision.allowed and "2 left" in decision.reason
    assert decide(budget, cost=0, priority=Priority.SWEEP).allowed


def test_month_plan_counts_affordable_sweeps() -> None:
    budget = Budget(now=MID_MONTH, monthly_budget=500, used=100, remaining=400)
    month = plan(budget, sweep_cost=15)
    assert month.allowance == 400
    assert month.sweeps_affordable == (400 - budget.closing_reserve) // 15
    assert month.sweeps_per_day == pytest.approx(month.sweeps_affordable / budget.days_left, abs=0.01)
