"""Running a live-loop job through the job history: claimed once per fire time, recorded however it ends.

``dispatch`` is how any job runs, from the scheduler or by hand: it claims the job's run for its
fire time in ``job_runs`` (unique, so a run happens once however many processes try), runs it,
records how it ended, and then runs the jobs chained after it. How it ended follows what it did:
a job that raises is ``failed``; a job whose summary reports a status (a collection whose every
request failed, some of the users' models failing) is recorded with that status and error. A
failed job does not stop the others, and it runs again at its next time. The job functions are
handed in by name (the agent's, or a test's), so this layer never imports the one above it.
"""

from __future__ import annotations

import logging
import os
import socket
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import BaseModel

from core.errors import InvalidInput
from live.logs import job_scope
from services.schedule import ScheduledJob
from store.db import Engine, unit_of_work
from store.job_runs import (
    beat,
    claim_run,
    finish_run,
    interrupt_running,
    interrupted_since,
    reclaim_interrupted,
    take_lease,
)
from store.locks import SchedulerLock
from tools.context import ToolContext
from tools.operations import LEASE

__all__ = [
    "RunResult", "SchedulerLock", "beat_lease", "counts_of", "dispatch", "outcome_of", "runner_id",
    "take_over",
]  # fmt: skip

log = logging.getLogger("benny.scheduler")

JobFunc = Callable[[ToolContext], Any]


def runner_id() -> str:
    """This process, as job history names it."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class RunResult:
    job: str
    run_id: int | None  # None: already claimed by another run for that fire time
    status: str  # ok, partial, failed or skipped (by the budget; or run_id None: claimed already)
    seconds: float
    counts: dict[str, float]
    error: str | None = None


def counts_of(summary: object) -> dict[str, float]:
    """A job summary's numbers, flattened: numbers by their path, lists by their length.

    Lists of records also sum their whole-number fields (games, snapshots), which is what a
    collection's per-sport runs report.
    """
    data = summary.model_dump(mode="json") if isinstance(summary, BaseModel) else summary
    out: dict[str, float] = {}

    def add(prefix: str, value: Any, *, whole_only: bool = False) -> None:
        if isinstance(value, BaseModel):
            value = value.model_dump(mode="json")
        if isinstance(value, bool):
            return
        if isinstance(value, int) or (isinstance(value, float) and not whole_only):
            out[prefix] = out.get(prefix, 0) + value
        elif isinstance(value, Mapping):
            for key, inner in value.items():
                add(f"{prefix}.{key}" if prefix else str(key), inner, whole_only=whole_only)
        elif isinstance(value, list) and prefix:
            out[prefix] = out.get(prefix, 0) + len(value)
            for item in value:
                if isinstance(item, Mapping | BaseModel):
                    add(prefix, item, whole_only=True)

    add("", data)
    return out


def outcome_of(summary: object) -> tuple[str, str | None]:
    """The run's status and error as the job's summary reports them (its ``status`` and ``error``).

    A summary without a status (an analysis, a settlement, a trading run) did its work by
    returning: those jobs raise when their work fails.
    """
    status = getattr(summary, "status", None)
    if status is None:
        return "ok", None
    error = getattr(summary, "error", None)
    if not error and status not in ("ok", "skipped"):
        error = f"the job's summary reports {status}"  # a failure is never recorded without a word
    return str(status), (str(error) if error else None)


def dispatch(
    name: str,
    *,
    ctx: ToolContext,
    scheduled_for: datetime,
    trigger: str = "schedule",
    jobs: Sequence[ScheduledJob],
    funcs: Mapping[str, JobFunc],
    runner: str | None = None,
) -> list[RunResult]:
    """Run one job for one fire time through the job history, then the jobs chained after it.

    ``jobs`` is the schedule; ``funcs`` the job functions by job name.
    """
    table = list(jobs)
    job = next((j for j in table if j.name == name), None)
    if job is None:
        raise InvalidInput(f"no job {name!r}; the jobs are {', '.join(j.name for j in table)}")
    who = runner or runner_id()
    with unit_of_work(ctx.engine) as session:
        run_id = claim_run(
            session=session, job=name, scheduled_for=scheduled_for, trigger=trigger, runner=who, now=ctx.now()
        )
        if run_id is None:  # claimed before: taken up again only if a crash cut that run short
            run_id = reclaim_interrupted(
                session=session, job=name, scheduled_for=scheduled_for, runner=who, now=ctx.now()
            )
    if run_id is None:
        log.info("job %s for %s already ran", name, scheduled_for.isoformat(), extra={"job": name})
        return [RunResult(name, None, "skipped", 0.0, {})]
    started = time.perf_counter()
    status, counts, error = "ok", {}, None
    with job_scope(job=name, run_id=run_id):
        log.info("job %s started", name)
        try:
            summary = funcs[name](ctx)
            status, error = outcome_of(summary)
            counts = counts_of(summary)
        except Exception as exc:  # a failing job is recorded; the loop and the other jobs go on
            status, error = "failed", f"{type(exc).__name__}: {exc}"
            log.exception("job %s failed", name)
        seconds = time.perf_counter() - started
        with unit_of_work(ctx.engine) as session:
            finish_run(
                session=session,
                run_id=run_id,
                status=status,
                finished_at=ctx.now(),
                counts=counts,
                error=error,
            )
        level = logging.INFO if status in ("ok", "skipped") else logging.WARNING
        log.log(
            level, "job %s %s in %.2f s%s", name, status, seconds, f": {error}" if error else "",
            extra={"status": status, "seconds": seconds},
        )  # fmt: skip
    results = [RunResult(name, run_id, status, seconds, counts, error)]
    if status == "ok":
        for follower in (j for j in table if j.after == name):
            results += dispatch(
                follower.name, ctx=ctx, scheduled_for=scheduled_for, trigger="chain", jobs=table,
                funcs=funcs, runner=who,
            )  # fmt: skip
    return results


def take_over(
    engine: Engine, *, runner: str, now: datetime, grace: timedelta, lease: bool = True
) -> list[tuple[str, datetime]]:
    """The new lock holder's first act: runs a stopped process left ``running`` become interrupted.

    Returns the interrupted runs still within the misfire grace time, to be taken up again. With
    ``lease`` the holder also records itself as the running scheduler (not for a one-off run).
    """
    with unit_of_work(engine) as session:
        cut = interrupt_running(session=session, now=now)
        if lease:
            take_lease(session=session, name=LEASE, runner=runner, now=now)
        pending = interrupted_since(session=session, since=now - grace)
    if cut:
        log.warning("%d job runs were cut short by a stopped process; marked interrupted", cut)
    return pending


def beat_lease(engine: Engine, *, runner: str, now: datetime) -> bool:
    with unit_of_work(engine) as session:
        return beat(session=session, name=LEASE, runner=runner, now=now)
