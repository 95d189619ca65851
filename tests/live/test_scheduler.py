"""The scheduler's jobs for real: the day's live loop on the simulated book, through the job history."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy.engine import Engine

from core.clock import FixedClock
from live.scheduler import job_functions, run_job
from services.schedule import schedule
from store.db import unit_of_work
from store.job_runs import runs_between
from tests.conftest import NOW
from tools.context import ToolContext


def test_the_real_jobs_run_and_record_what_they_did(ctx: ToolContext, engine: Engine) -> None:
    clock = FixedClock(NOW)
    live = replace(ctx, clock=clock)
    assert set(job_functions(schedule(live.settings))) == {j.name for j in schedule(live.settings)}
    odds = run_job("odds", live, scheduled_for=NOW)
    clock.set(NOW + timedelta(minutes=15))
    analysis = run_job("analysis", live, scheduled_for=NOW + timedelta(minutes=15))
    outcomes = run_job("outcomes", live, scheduled_for=NOW + timedelta(minutes=20))
    assert [r.status for r in odds] == ["ok"] and odds[0].counts["runs.snapshots"] > 0
    assert [(r.job, r.status) for r in analysis] == [("analysis", "ok"), ("user_models", "ok")]
    assert analysis[0].counts.get("predictions", 0) > 0, analysis[0].counts
    assert [r.status for r in outcomes] == ["ok"] and "settlement.settled" in outcomes[0].counts
    with unit_of_work(engine) as session:
        runs = runs_between(session=session, start=NOW, end=NOW + timedelta(hours=1))
    assert [(r.job, r.trigger, r.status) for r in runs] == [
        ("odds", "schedule", "ok"),
        ("analysis", "schedule", "ok"),
        ("user_models", "chain", "ok"),
        ("outcomes", "schedule", "ok"),
    ]
