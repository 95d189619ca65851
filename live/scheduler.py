"""The live loop: APScheduler runs the jobs of ``services.schedule``, one scheduler per database.

``LiveLoop`` takes the database's scheduler lock first (an advisory lock on PostgreSQL, a file
lock on SQLite) and waits on standby while another process holds it; holding it, it marks runs
a crash cut short as interrupted, keeps a heartbeat in ``scheduler_leases``, and runs an
``AsyncIOScheduler`` over a SQLAlchemy job store with ``coalesce``, ``max_instances=1`` and the
misfire grace time. Each fire goes through ``live.job_runner.dispatch`` (claimed once per fire
time, recorded however it ends). Embedded in the app by default; ``benny scheduler`` runs it as
its own process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from datetime import datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.util import ref_to_obj

from core.errors import Busy
from core.settings import Settings
from live.job_runner import JobFunc, RunResult, SchedulerLock, beat_lease, dispatch, runner_id, take_over
from services.schedule import ScheduledJob, previous_fire, schedule
from store.db import Engine
from tools.context import ToolContext, open_context

log = logging.getLogger("benny.scheduler")

HEARTBEAT_SECONDS = 30
JOB_TABLE = "apscheduler_jobs"


def job_functions(jobs: Sequence[ScheduledJob]) -> dict[str, JobFunc]:
    """Each job's function, from its dotted path."""
    return {job.name: ref_to_obj(job.func) for job in jobs}


def run_job(
    name: str, ctx: ToolContext, *, scheduled_for: datetime, trigger: str = "schedule"
) -> list[RunResult]:
    """Run one job (and what is chained after it) through the job history, on the settings' schedule."""
    jobs = schedule(ctx.settings)
    return dispatch(
        name, ctx=ctx, scheduled_for=scheduled_for, trigger=trigger, jobs=jobs, funcs=job_functions(jobs)
    )


# The process's loop, for the APScheduler entry points below (they are stored by reference).
_ACTIVE: list[LiveLoop] = []


def fire(name: str) -> None:
    """APScheduler's entry point for a job: run it for its newest fire time."""
    if not _ACTIVE:
        log.warning("job %s fired with no live loop in this process", name)
        return
    loop = _ACTIVE[0]
    job = next(j for j in loop.jobs if j.name == name)
    assert job.trigger is not None
    with loop.working():
        ctx = open_context(settings=loop.settings, engine=loop.engine)
        when = previous_fire(job.trigger, ctx.now())
        dispatch(name, ctx=ctx, scheduled_for=when, jobs=loop.jobs, funcs=loop.funcs)


def resume(name: str, when: str) -> None:
    """APScheduler's entry point for taking up a run a crash cut short, for its own fire time."""
    if not _ACTIVE:
        return
    loop = _ACTIVE[0]
    log.info("taking up %s for %s, cut short by a stopped process", name, when)
    with loop.working():
        ctx = open_context(settings=loop.settings, engine=loop.engine)
        dispatch(name, ctx=ctx, scheduled_for=datetime.fromisoformat(when), jobs=loop.jobs, funcs=loop.funcs)


def heartbeat() -> None:
    if not _ACTIVE:
        return
    loop = _ACTIVE[0]
    if not beat_lease(loop.engine, runner=loop.runner, now=loop.settings.clock()()):
        log.error("the scheduler lease names another process; this one holds the lock and goes on")


class LiveLoop:
    """One process's scheduler: standby until it holds the lock, then the jobs on their schedule."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        standby_seconds: float = 5.0,
        drain_seconds: float = 600.0,
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.jobs = schedule(settings)
        self.funcs = job_functions(self.jobs)
        self.standby_seconds = standby_seconds
        self.drain_seconds = drain_seconds  # how long a stop waits for the jobs under way
        self.runner = runner_id()
        self.lock = SchedulerLock(engine)
        self.state = "starting"  # starting, standby, running, stopped
        self._busy = 0  # jobs running in the scheduler's threads
        self._busy_lock = threading.Lock()
        self.scheduler: AsyncIOScheduler | None = None

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Count a running job, so a stop waits for it before giving up the lock."""
        with self._busy_lock:
            self._busy += 1
        try:
            yield
        finally:
            with self._busy_lock:
                self._busy -= 1

    async def _drain(self, limit: float) -> None:
        """Wait (up to ``limit`` seconds) for the jobs still running to finish."""
        deadline = asyncio.get_running_loop().time() + limit
        while self._busy and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.1)  # the jobs run in worker threads; nothing to await but their end
        if self._busy:
            log.error("%d jobs still running after %.0f s; stopping anyway", self._busy, limit)

    def _take_over(self) -> list[tuple[str, datetime]]:
        return take_over(
            self.engine, runner=self.runner, now=self.settings.clock()(), grace=self.settings.misfire_grace
        )

    def _start_scheduler(self) -> AsyncIOScheduler:
        grace = int(self.settings.misfire_grace.total_seconds())
        scheduler = AsyncIOScheduler(
            jobstores={
                "default": SQLAlchemyJobStore(engine=self.engine, tablename=JOB_TABLE),
                "process": MemoryJobStore(),
            },
            # Jobs on a thread pool of their own: stopping the scheduler leaves them to finish
            # (``_drain`` waits for them) instead of cancelling the futures that wait on them.
            executors={"default": ThreadPoolExecutor(max_workers=4)},
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": grace},
            timezone="UTC",
        )
        scheduler.start(paused=True)
        wanted = {j.name: j for j in self.jobs if j.trigger is not None}
        for stored in scheduler.get_jobs(jobstore="default"):
            if stored.id not in wanted:
                stored.remove()  # a job no longer in the schedule
        for name, job in wanted.items():
            stored = scheduler.get_job(name, jobstore="default")
            # An unchanged job keeps its stored next run time, so runs missed while stopped still fire.
            if stored is not None and repr(stored.trigger) == repr(job.trigger):
                continue
            scheduler.add_job(
                "live.scheduler:fire", trigger=job.trigger, args=[name], id=name, name=name,
                jobstore="default", replace_existing=True,
            )  # fmt: skip
        scheduler.add_job(
            "live.scheduler:heartbeat", "interval", seconds=HEARTBEAT_SECONDS, id="heartbeat",
            jobstore="process", replace_existing=True,
        )  # fmt: skip
        scheduler.resume()
        return scheduler

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set: standby while another process holds the lock, else the scheduler."""
        try:
            while not stop.is_set():
                if self.lock.acquire():
                    break
                if self.state != "standby":
                    log.info("another process runs the scheduler; %s waits on standby", self.runner)
                    self.state = "standby"
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self.standby_seconds)
            if stop.is_set():
                return
            pending = self._take_over()
            _ACTIVE[:] = [self]
            self.scheduler = self._start_scheduler()
            for name, when in pending:
                if name in self.funcs:  # a run a crash cut short: taken up again now, once
                    self.scheduler.add_job(
                        "live.scheduler:resume", args=[name, when.isoformat()], jobstore="process",
                        id=f"resume-{name}-{when.isoformat()}", replace_existing=True,
                    )  # fmt: skip
            self.state = "running"
            log.info("scheduler running in %s: %d jobs", self.runner, len(self.jobs))
            await stop.wait()
        finally:
            if self.scheduler is not None:
                # No new runs start; the running ones finish before the lock is given up, so a
                # standby never takes up a run this process is still doing.
                self.scheduler.shutdown(wait=False)
                self.scheduler = None
                await self._drain(self.drain_seconds)
            if _ACTIVE and _ACTIVE[0] is self:
                _ACTIVE.clear()
            self.lock.release()
            self.state = "stopped"
            log.info("scheduler stopped in %s", self.runner)

    def run_once(self, name: str) -> list[RunResult]:
        """Run one job now through the history, as the scheduler would (the lock held meanwhile)."""
        if not self.lock.acquire():
            raise Busy(
                "another process runs the scheduler: stop it first, or let it run the job on its schedule"
            )
        try:
            now, grace = self.settings.clock()(), self.settings.misfire_grace
            take_over(self.engine, runner=self.runner, now=now, grace=grace, lease=False)
            ctx = open_context(settings=self.settings, engine=self.engine)
            return dispatch(
                name, ctx=ctx, scheduled_for=ctx.now(), trigger="manual", jobs=self.jobs, funcs=self.funcs
            )
        finally:
            self.lock.release()
