"""What the live loop has been doing: the scheduler, each job's schedule and last runs, the credits left.

One reading serves the chat ("what have you been doing?"), `benny jobs`, and the app's
``/health``. The scheduler counts as alive while its heartbeat is fresh.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel, Field

from services.schedule import schedule
from store.job_runs import RunRow, latest_per_job, lease_is_fresh, read_lease, recent_runs
from tools.context import current
from tools.credits import api_credits
from tools.registry import tool

LEASE = "live"
# Three missed heartbeats (one every 30 s) and the scheduler counts as gone.
ALIVE_WITHIN = timedelta(seconds=90)


class RunView(BaseModel):
    job: str
    status: str = Field(description="running, ok, partial, failed, skipped (by the budget) or interrupted")
    trigger: str = Field(description="schedule, chain (after another job) or manual")
    scheduled_for: datetime
    started_at: datetime
    seconds: float | None
    counts: dict[str, Any] | None
    error: str | None


class JobView(BaseModel):
    name: str
    about: str
    when: str = Field(description="the trigger in words")
    next_run: datetime | None = Field(description="the next fire time (null for chained jobs)")
    last_run: RunView | None
    last_success_at: datetime | None


class SchedulerView(BaseModel):
    alive: bool
    runner: str | None = Field(description="host:pid of the process holding the scheduler")
    since: datetime | None
    last_beat: datetime | None


class SystemStatus(BaseModel):
    now: datetime
    feed: str
    brain: str
    scheduler: SchedulerView
    jobs: list[JobView]
    recent: list[RunView] = Field(description="the newest runs first")
    credits_remaining: int | None = Field(description="the odds provider's credits left (null before a call)")
    credits_allowance: int


def _run(row: RunRow | None) -> RunView | None:
    if row is None:
        return None
    return RunView(
        job=row.job, status=row.status, trigger=row.trigger, scheduled_for=row.scheduled_for,
        started_at=row.started_at, seconds=row.seconds, counts=row.counts, error=row.error,
    )  # fmt: skip


@tool(tags=("operations",))
def system_status(recent: int = 10) -> SystemStatus:
    """What Benny has been doing: the scheduler, each job's schedule, last run and next run, the credits.

    Args:
        recent: how many of the newest job runs to list (0 to 100).
    """
    from core.errors import InvalidInput

    if not 0 <= recent <= 100:
        raise InvalidInput(f"recent must be between 0 and 100, got {recent}")
    ctx = current()
    now = ctx.now()
    with ctx.unit_of_work() as session:
        lease = read_lease(session=session, name=LEASE)
        last = latest_per_job(session=session)
        succeeded = latest_per_job(session=session, status="ok")
        newest = recent_runs(session=session, limit=recent) if recent else []
    jobs = [
        JobView(
            name=job.name,
            about=job.about,
            when=job.when,
            next_run=job.trigger.get_next_fire_time(None, now) if job.trigger is not None else None,
            last_run=_run(last.get(job.name)),
            last_success_at=succeeded[job.name].started_at if job.name in succeeded else None,
        )
        for job in schedule(ctx.settings)
    ]
    credits = api_credits()
    return SystemStatus(
        now=now,
        feed=ctx.settings.feed_mode,
        brain=ctx.settings.llm_mode,
        scheduler=SchedulerView(
            alive=lease_is_fresh(lease, now=now, within=ALIVE_WITHIN),
            runner=lease.runner if lease else None,
            since=lease.started_at if lease else None,
            last_beat=lease.beat_at if lease else None,
        ),
        jobs=jobs,
        recent=[r for r in (_run(row) for row in newest) if r is not None],
        credits_remaining=credits.remaining,
        credits_allowance=credits.allowance,
    )
