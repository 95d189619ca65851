"""The Odds API credits: what is left, and what the rest of the month can pay for."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from core.collectors.oddsapi_client import estimate_cost
from core.credits import plan
from services.collect import budget_now
from services.feeds import ODDS_MARKETS
from store.runs import last_quota
from tools.context import current
from tools.registry import tool


class CreditsReport(BaseModel):
    feed: str = Field(description="sim (the simulated book) or oddsapi")
    source: str = Field(description="whose quota this is")
    remaining: int | None = Field(description="credits the provider said are left (null before any call)")
    used: int | None = Field(description="credits used since the quota last reset")
    last_seen_at: datetime | None
    monthly_budget: int
    period_start: datetime
    period_end: datetime
    allowance: int = Field(description="credits that may still be spent this period")
    closing_reserve: int = Field(description="credits kept for closing-line captures")
    sweep_cost: int = Field(description="credits of one odds sweep of all five leagues")
    sweeps_affordable: int
    sweeps_per_day: float


@tool(tags=("odds",))
def api_credits() -> CreditsReport:
    """The Odds API credits left this month, and how many five-league odds sweeps they can still pay for."""
    ctx = current()
    source = ctx.settings.feed_mode
    budget = budget_now(ctx, source)
    with ctx.unit_of_work() as session:
        seen = last_quota(session=session, source=source)
    sweep = 5 * estimate_cost(ODDS_MARKETS, ctx.settings.regions, ctx.settings.bookmakers)
    month = plan(budget, sweep_cost=sweep)
    return CreditsReport(
        feed=ctx.settings.feed_mode,
        source=source,
        remaining=seen.remaining if seen else None,
        used=seen.used if seen else None,
        last_seen_at=seen.seen_at if seen else None,
        monthly_budget=month.monthly_budget,
        period_start=month.period_start,
        period_end=month.period_end,
        allowance=month.allowance,
        closing_reserve=month.closing_reserve,
        sweep_cost=sweep,
        sweeps_affordable=month.sweeps_affordable,
        sweeps_per_day=month.sweeps_per_day,
    )
