"""`benny replay`: the live loop's own jobs, day by day, on the simulated sportsbook with a fast clock.

After the warm-up (``live.replay_setup.warm_up``: a year of simulated history stored in bulk), the
clock steps through the days from ``start`` and, at fixed times each day, runs the job
functions the scheduler runs (``live.jobs.JOBS``). It never reads the wall clock: the same
arguments always give the same bets.
"""

from __future__ import annotations

import time as timer
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from core.errors import InvalidInput
from core.sim.calendar import FIRST_SEASON, LAST_SEASON
from live.jobs import JOBS
from live.replay_setup import DEFAULT_START, ReplayReport, replay_context, replay_report, warm_up

ProgressFn = Callable[[str, int, int], None]  # (stage, done, in all)

# What runs when, each day (UTC): odds three times a day so the closing lines sit near the
# evening starts; the trading run at noon sees the next 24 hours.
NOON_JOBS: tuple[str, ...] = ("collect_scores", "settle", "adjust", "collect_injuries", "collect_odds")
NOON_JOBS += ("analyze", "user_models", "trade")
DAY_PLAN: tuple[tuple[time, tuple[str, ...]], ...] = (
    (time(0, 0), ("collect_odds",)),
    (time(12, 0), NOON_JOBS),
    (time(18, 0), ("collect_odds",)),
)


def replay(
    *,
    start: date = DEFAULT_START,
    days: int = 60,
    warmup_days: int = 365,
    seed: int = 1,
    database_url: str | None = None,
    progress: ProgressFn | None = None,
) -> ReplayReport:
    """Warm up on simulated history, run the live loop's jobs day by day; the dashboard and checks."""
    if not 1 <= days <= 730:
        raise InvalidInput(f"days must be between 1 and 730, got {days}")
    if not 0 <= warmup_days <= 1500:
        raise InvalidInput(f"warmup_days must be between 0 and 1500, got {warmup_days}")
    # The warm-up's first day through the settling day after the last must be simulated days:
    # outside the seasons there are no games, and at the ends of the calendar no next day.
    earliest = date(FIRST_SEASON, 1, 1) + timedelta(days=warmup_days)
    latest = date(LAST_SEASON, 12, 31) - timedelta(days=days)
    if not earliest <= start <= latest:
        raise InvalidInput(
            f"start must be between {earliest} and {latest} for {warmup_days} warm-up days and "
            f"{days} days (the simulated seasons run {FIRST_SEASON} to {LAST_SEASON}), got {start}"
        )
    begin = datetime.combine(start, time(0), tzinfo=UTC)
    with replay_context(seed=seed, start=begin, database_url=database_url) as (ctx, clock):
        started = timer.perf_counter()
        if progress is not None:
            progress("warm-up", 0, 1)
        games = warm_up(ctx, seed=seed, before=begin, days=warmup_days)
        warmed = timer.perf_counter()
        for day in range(days):
            midnight = begin + timedelta(days=day)
            for at, jobs in DAY_PLAN:
                clock.set(datetime.combine(midnight.date(), at, tzinfo=UTC))
                for name in jobs:
                    JOBS[name](ctx)
            if progress is not None:
                progress("days", day + 1, days)
        # The last day's games end overnight: settle what is known by the next noon.
        clock.set(begin + timedelta(days=days, hours=12))
        for name in ("collect_scores", "settle"):
            JOBS[name](ctx)
        finished = timer.perf_counter()
        report = replay_report(ctx)
    return report.model_copy(
        update={
            "start": start,
            "days": days,
            "warmup_days": warmup_days,
            "seed": seed,
            "warmup_games": games,
            "seconds": {
                "warmup": round(warmed - started, 2),
                "days": round(finished - warmed, 2),
                "total": round(finished - started, 2),
            },
        }
    )
