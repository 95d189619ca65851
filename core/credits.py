"""The Odds API credit budget: what a call costs, whether to make it, and the plan for the month.

Pure: the caller passes what it knows (the quota headers of the last call, the monthly budget,
the reset day, the time). Rules, in priority order:

1. **Closing-line captures** (games with predictions or bets starting within the hour) may
   spend anything left of the allowance, where the allowance is the smaller of the credits the
   provider says remain and what the monthly budget has left.
2. **Regular sweeps** may spend only down to a reserve kept for closing captures (a share of
   the budget, pro rata to the days left), and no faster than one day ahead of an even pace
   through the month, so a busy week cannot starve the rest of it.

Every refusal carries a reason the scheduler logs and ``benny credits`` shows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from core.errors import InvalidInput


class Priority(StrEnum):
    CLOSING = "closing"
    SWEEP = "sweep"


def period_bounds(now: datetime, reset_day: int) -> tuple[datetime, datetime]:
    """The quota period holding ``now``: from the last reset (00:00 UTC on ``reset_day``) to the next."""
    if not 1 <= reset_day <= 28:
        raise InvalidInput(f"reset_day must be between 1 and 28, got {reset_day}")
    now = now.astimezone(UTC)
    start = datetime(now.year, now.month, reset_day, tzinfo=UTC)
    if now < start:
        start = _add_months(start, -1)
    return start, _add_months(start, 1)


def _add_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + (moment.month - 1) + months
    return moment.replace(year=index // 12, month=index % 12 + 1)


@dataclass(frozen=True, slots=True)
class Budget:
    """What is known about the quota at ``now``."""

    now: datetime
    monthly_budget: int
    reset_day: int = 1
    remaining: int | None = None  # x-requests-remaining of the last call, if any
    used: int | None = None  # x-requests-used of the last call, if any
    closing_reserve_share: float = 0.25

    def __post_init__(self) -> None:
        if self.monthly_budget < 0:
            raise InvalidInput(f"monthly_budget must not be negative, got {self.monthly_budget}")
        if not 0.0 <= self.closing_reserve_share < 1.0:
            raise InvalidInput(f"closing_reserve_share must be in [0, 1), got {self.closing_reserve_share}")

    @property
    def period(self) -> tuple[datetime, datetime]:
        return period_bounds(self.now, self.reset_day)

    @property
    def fraction_elapsed(self) -> float:
        start, end = self.period
        return (self.now - start) / (end - start)

    @property
    def days_left(self) -> float:
        return (self.period[1] - self.now) / timedelta(days=1)

    @property
    def allowance(self) -> int:
        """Credits that may still be spent this period."""
        by_budget = self.monthly_budget - (self.used or 0)
        if self.remaining is not None:
            by_budget = min(by_budget, self.remaining)
        return max(by_budget, 0)

    @property
    def closing_reserve(self) -> int:
        return math.ceil(self.closing_reserve_share * self.monthly_budget * (1.0 - self.fraction_elapsed))

    @property
    def pace_limit(self) -> int:
        """Credits that may have been used by now: an even pace, one day ahead."""
        start, end = self.period
        ahead = min(1.0, self.fraction_elapsed + timedelta(days=1) / (end - start))
        return math.floor(self.monthly_budget * ahead)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str


def decide(budget: Budget, *, cost: int, priority: Priority) -> Decision:
    """May a call of ``cost`` credits run now? Free calls always may."""
    if cost <= 0:
        return Decision(True, "free call")
    if cost > budget.allowance:
        return Decision(False, f"needs {cost} credits, {budget.allowance} left this period")
    if priority is Priority.CLOSING:
        return Decision(True, f"closing-line capture: {cost} of {budget.allowance} credits left")
    spendable = budget.allowance - budget.closing_reserve
    if cost > spendable:
        kept = f"{budget.closing_reserve} of {budget.allowance}"
        return Decision(False, f"needs {cost} credits; {kept} are kept for closing lines")
    used = budget.used or 0
    if used + cost > budget.pace_limit:
        return Decision(False, f"ahead of pace: {used} used, {budget.pace_limit} allowed by now this period")
    return Decision(True, f"sweep: {cost} credits, {budget.allowance - cost} left after")


@dataclass(frozen=True, slots=True)
class MonthPlan:
    period_start: datetime
    period_end: datetime
    monthly_budget: int
    used: int | None
    remaining: int | None
    allowance: int
    closing_reserve: int
    sweep_cost: int
    sweeps_affordable: int
    sweeps_per_day: float


def plan(budget: Budget, *, sweep_cost: int) -> MonthPlan:
    """How many full sweeps the rest of the period can pay for, after the closing reserve."""
    start, end = budget.period
    spendable = max(budget.allowance - budget.closing_reserve, 0)
    sweeps = spendable // sweep_cost if sweep_cost > 0 else 0
    days = max(budget.days_left, 1e-9)
    return MonthPlan(
        period_start=start,
        period_end=end,
        monthly_budget=budget.monthly_budget,
        used=budget.used,
        remaining=budget.remaining,
        allowance=budget.allowance,
        closing_reserve=budget.closing_reserve,
        sweep_cost=sweep_cost,
        sweeps_affordable=sweeps,
        sweeps_per_day=round(sweeps / days, 2),
    )
