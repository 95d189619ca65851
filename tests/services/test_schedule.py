"""The live loop's schedule stepped through a week on an injected clock, run through the scheduler's dispatch.

APScheduler reads the real clock inside, so the week is walked minute by minute here: each job's
trigger is asked for its fire times (``due``: the scheduler's coalescing and misfire rule) and
the due ones run through ``dispatch``, the function the scheduler's own entry point calls. The
job functions are recorders: what is tested is when they run and what the history keeps.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from live.job_runner import dispatch
from services.schedule import ScheduledJob, due, previous_fire, schedule
from store.db import unit_of_work
from store.job_runs import RunRow, runs_between
from tests.conftest import make_settings
from tools.context import ToolContext, open_context

MONDAY = datetime(2026, 1, 5, tzinfo=UTC)
WEEK = {"odds": 42, "outcomes": 42, "analysis": 42, "user_models": 42, "adjustments": 7, "trading": 7}


class Recorder:
    """Job functions that note each call; ``fail`` names calls (job, nth) that raise."""

    def __init__(self, jobs: list[ScheduledJob], fail: set[tuple[str, int]] | None = None) -> None:
        self.calls: Counter[str] = Counter()
        self.fail = fail or set()
        self.funcs: dict[str, Callable[[ToolContext], Any]] = {job.name: self._make(job.name) for job in jobs}

    def _make(self, name: str) -> Callable[[ToolContext], Any]:
        def run(ctx: ToolContext) -> dict[str, Any]:
            self.calls[name] += 1
            if (name, self.calls[name]) in self.fail:
                raise RuntimeError(f"{name} broke on call {self.calls[name]}")
            return {"at": ctx.now().isoformat(), "games": 3}

        return run


def _context(engine: Engine, url: str, **settings: str) -> tuple[ToolContext, FixedClock]:
    clock = FixedClock(MONDAY)
    ctx = open_context(settings=make_settings(url, **settings), engine=engine)
    return replace(ctx, clock=clock), clock


def walk(
    ctx: ToolContext,
    clock: FixedClock,
    recorder: Recorder,
    *,
    start: datetime,
    end: datetime,
    jump: tuple[datetime, timedelta] | None = None,
) -> None:
    """Step the clock a minute at a time from ``start`` to ``end``; ``jump`` skips a stretch at once."""
    jobs = schedule(ctx.settings)
    timed = [job for job in jobs if job.trigger is not None]
    upcoming = {job.name: job.trigger.get_next_fire_time(None, start) for job in timed if job.trigger}
    now = start
    while now < end:
        clock.set(now)
        for job in timed:
            assert job.trigger is not None
            run_at, upcoming[job.name] = due(job.trigger, upcoming[job.name], now, ctx.settings.misfire_grace)
            if run_at is not None:
                dispatch(job.name, ctx=ctx, scheduled_for=run_at, jobs=jobs, funcs=recorder.funcs)
        if jump is not None and now == jump[0]:
            now += jump[1]
        else:
            now += timedelta(minutes=1)


def _runs(engine: Engine, start: datetime, end: datetime) -> list[RunRow]:
    with unit_of_work(engine) as session:
        return runs_between(session=session, start=start, end=end)


def test_a_week_on_the_default_schedule(any_engine: Engine, db_url: str) -> None:
    ctx, clock = _context(any_engine, db_url)
    recorder = Recorder(schedule(ctx.settings))
    walk(ctx, clock, recorder, start=MONDAY, end=MONDAY + timedelta(days=7))
    runs = _runs(any_engine, MONDAY, MONDAY + timedelta(days=8))
    counted = Counter(r.job for r in runs if r.status == "ok")
    assert {job: counted[job] for job in WEEK} == WEEK
    assert {job: recorder.calls[job] for job in WEEK} == WEEK
    assert counted["injuries"] == 14 and counted["closing"] == 7 * 48
    # Analysis runs a quarter hour after each odds collection; the users' models right after it.
    odds = sorted(r.scheduled_for for r in runs if r.job == "odds")
    analysis = sorted(r.scheduled_for for r in runs if r.job == "analysis")
    assert [a - o for o, a in zip(odds, analysis, strict=True)] == [timedelta(minutes=15)] * 42
    chained = [r for r in runs if r.job == "user_models"]
    assert {r.trigger for r in chained} == {"chain"}
    assert sorted(r.scheduled_for for r in chained) == analysis
    trades = sorted(r.scheduled_for for r in runs if r.job == "trading")
    assert trades == [MONDAY + timedelta(days=d, hours=15) for d in range(7)]
    assert all(r.counts == {"games": 3} for r in runs)


def test_a_failing_job_is_recorded_and_runs_again_at_its_next_time(any_engine: Engine, db_url: str) -> None:
    ctx, clock = _context(any_engine, db_url)
    recorder = Recorder(schedule(ctx.settings), fail={("odds", 3), ("analysis", 2)})
    end = MONDAY + timedelta(days=1)
    walk(ctx, clock, recorder, start=MONDAY, end=end)
    runs = _runs(any_engine, MONDAY, end)
    failed = [r for r in runs if r.status == "failed"]
    assert [(r.job, r.scheduled_for) for r in failed] == [
        ("analysis", MONDAY + timedelta(hours=4, minutes=15)),
        ("odds", MONDAY + timedelta(hours=8)),
    ]
    assert all(r.error and "broke on call" in r.error and r.finished_at is not None for r in failed)
    by_job = Counter((r.job, r.status) for r in runs)
    assert by_job[("odds", "ok")] == 5 and by_job[("analysis", "ok")] == 5  # the rest of the day ran
    # A failed analysis chains nothing; the others never noticed.
    assert by_job[("user_models", "ok")] == 5
    assert by_job[("outcomes", "ok")] == 6 and by_job[("trading", "ok")] == 1


def test_after_a_13_hour_gap_each_missed_job_runs_once(any_engine: Engine, db_url: str) -> None:
    ctx, clock = _context(any_engine, db_url)
    recorder = Recorder(schedule(ctx.settings))
    stop = MONDAY + timedelta(hours=10)  # the process stops at 10:00 and is back at 23:00
    walk(ctx, clock, recorder, start=MONDAY, end=MONDAY + timedelta(days=1), jump=(stop, timedelta(hours=13)))
    back = stop + timedelta(hours=13)
    caught_up = [r for r in _runs(any_engine, back, back + timedelta(seconds=1))]
    assert sorted((r.job, r.scheduled_for.hour, r.scheduled_for.minute) for r in caught_up) == [
        ("analysis", 20, 15), ("closing", 22, 31), ("injuries", 12, 10), ("odds", 20, 0),
        ("outcomes", 20, 5), ("trading", 15, 0), ("user_models", 20, 15),
    ]  # fmt: skip
    runs = _runs(any_engine, MONDAY, MONDAY + timedelta(days=2))
    assert Counter(r.job for r in runs)["trading"] == 1


def test_past_the_grace_time_missed_runs_are_dropped(any_engine: Engine, db_url: str) -> None:
    ctx, clock = _context(any_engine, db_url, BENNY_MISFIRE_GRACE="2h")
    recorder = Recorder(schedule(ctx.settings))
    stop = MONDAY + timedelta(hours=10)
    walk(ctx, clock, recorder, start=MONDAY, end=MONDAY + timedelta(days=1), jump=(stop, timedelta(hours=13)))
    back = stop + timedelta(hours=13)
    caught_up = _runs(any_engine, back, back + timedelta(seconds=1))
    # Only what fell due within two hours of 23:00 runs; the 15:00 trade and 12:10 injuries do not.
    assert sorted(r.job for r in caught_up) == ["closing"]
    assert "trading" not in Counter(r.job for r in _runs(any_engine, MONDAY, MONDAY + timedelta(days=1)))


def test_a_fire_time_runs_once_however_often_it_is_dispatched(engine: Engine, sqlite_url: str) -> None:
    ctx, _ = _context(engine, sqlite_url)
    jobs = schedule(ctx.settings)
    recorder = Recorder(jobs)
    first = dispatch("odds", ctx=ctx, scheduled_for=MONDAY, jobs=jobs, funcs=recorder.funcs)
    again = dispatch("odds", ctx=ctx, scheduled_for=MONDAY, jobs=jobs, funcs=recorder.funcs)
    assert [r.status for r in first] == ["ok"] and [r.status for r in again] == ["skipped"]
    assert recorder.calls["odds"] == 1


@pytest.mark.parametrize(
    ("every", "now", "expected"),
    [
        ("4h", datetime(2026, 1, 5, 13, 59, tzinfo=UTC), datetime(2026, 1, 5, 12, tzinfo=UTC)),
        ("4h", datetime(2026, 1, 5, 16, tzinfo=UTC), datetime(2026, 1, 5, 16, tzinfo=UTC)),
        ("90s", datetime(2026, 1, 5, 0, 4, tzinfo=UTC), datetime(2026, 1, 5, 0, 3, tzinfo=UTC)),
    ],
)
def test_the_fire_time_a_late_job_runs_for(every: str, now: datetime, expected: datetime) -> None:
    settings = make_settings("sqlite://", BENNY_ODDS_EVERY=every)
    [odds] = [j for j in schedule(settings) if j.name == "odds"]
    assert odds.trigger is not None and previous_fire(odds.trigger, now) == expected
    [trading] = [j for j in schedule(settings) if j.name == "trading"]
    assert trading.trigger is not None
    assert previous_fire(trading.trigger, datetime(2026, 1, 6, 14, tzinfo=UTC)) == datetime(
        2026, 1, 5, 15, tzinfo=UTC
    )


def test_every_interval_and_time_is_a_setting() -> None:
    settings = make_settings(
        "sqlite://", BENNY_ODDS_EVERY="6h", BENNY_ANALYSIS_EVERY="5h", BENNY_TRADE_AT="17:30",
        BENNY_ADJUST_AT="04:00", BENNY_CLOSING_EVERY="10m",
    )  # fmt: skip
    when = {job.name: job.when for job in schedule(settings)}
    assert when == {
        "odds": "every 6h", "outcomes": "every 4h (+5m)", "injuries": "every 12h (+10m)",
        "closing": "every 10m (+1m)", "analysis": "every 5h (+15m)", "user_models": "after each analysis",
        "adjustments": "daily at 04:00 UTC", "trading": "daily at 17:30 UTC",
    }  # fmt: skip
