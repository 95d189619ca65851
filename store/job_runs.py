"""Job history and the scheduler's lease: what ran when, how it ended, and who is running the loop.

A run is claimed by inserting its row before the work starts: the row is unique per job and
fire time, so however many processes try, one runs it. A run that is still ``running`` when a
new scheduler takes the lease was cut short by a crash and is marked ``interrupted``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from store.tables import JobRun, SchedulerLease, table_of
from store.upsert import insert_ignore_returning, upsert

ERROR_CHARS = 2000


@dataclass(frozen=True, slots=True)
class RunRow:
    id: int
    job: str
    scheduled_for: datetime
    trigger: str
    runner: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    attempts: int
    counts: dict[str, Any] | None
    error: str | None

    @property
    def seconds(self) -> float | None:
        return None if self.finished_at is None else (self.finished_at - self.started_at).total_seconds()


@dataclass(frozen=True, slots=True)
class Lease:
    runner: str
    started_at: datetime
    beat_at: datetime


def claim_run(
    *, session: Session, job: str, scheduled_for: datetime, trigger: str, runner: str, now: datetime
) -> int | None:
    """The new run's id, or None when this job's run for that fire time was claimed already."""
    ids = insert_ignore_returning(
        session,
        table_of(JobRun),
        [
            {
                "job": job, "scheduled_for": scheduled_for, "trigger": trigger, "runner": runner,
                "started_at": now, "status": "running",
            }
        ],
        conflict=["job", "scheduled_for"],
    )  # fmt: skip
    return int(ids[0]) if ids else None


def reclaim_interrupted(
    *, session: Session, job: str, scheduled_for: datetime, runner: str, now: datetime
) -> int | None:
    """Take up a run a crash cut short: its id, running again, or None when it is not interrupted."""
    runs = table_of(JobRun)
    taken = session.execute(
        sa.update(runs)
        .where(runs.c.job == job, runs.c.scheduled_for == scheduled_for, runs.c.status == "interrupted")
        .values(
            status="running", runner=runner, started_at=now, finished_at=None, error=None,
            attempts=runs.c.attempts + 1,
        )
        .returning(runs.c.id)
    ).all()  # fmt: skip
    return int(taken[0][0]) if taken else None


def interrupted_since(*, session: Session, since: datetime) -> list[tuple[str, datetime]]:
    """(job, fire time) of the interrupted runs due at or after ``since``, oldest first."""
    runs = table_of(JobRun)
    query = (
        sa.select(runs.c.job, runs.c.scheduled_for)
        .where(runs.c.status == "interrupted", runs.c.scheduled_for >= since)
        .order_by(runs.c.scheduled_for, runs.c.id)
    )
    return [(job, when) for job, when in session.execute(query)]


def finish_run(
    *,
    session: Session,
    run_id: int,
    status: str,
    finished_at: datetime,
    counts: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    runs = table_of(JobRun)
    session.execute(
        sa.update(runs)
        .where(runs.c.id == run_id)
        .values(
            status=status,
            finished_at=finished_at,
            counts=dict(counts) if counts else None,
            error=(error or None) and error[:ERROR_CHARS],
        )
    )


def interrupt_running(*, session: Session, now: datetime) -> int:
    """Mark every run still ``running`` as ``interrupted``; only the lease holder may call this."""
    runs = table_of(JobRun)
    cut = session.execute(
        sa.update(runs)
        .where(runs.c.status == "running")
        .values(status="interrupted", finished_at=now, error="the process running it stopped")
        .returning(runs.c.id)
    ).all()
    return len(cut)


def _rows(result: Any) -> list[RunRow]:
    return [RunRow(*row) for row in result]


def _columns() -> list[Any]:
    runs = table_of(JobRun)
    return [
        runs.c.id, runs.c.job, runs.c.scheduled_for, runs.c.trigger, runs.c.runner, runs.c.started_at,
        runs.c.finished_at, runs.c.status, runs.c.attempts, runs.c.counts, runs.c.error,
    ]  # fmt: skip


def recent_runs(*, session: Session, limit: int = 20, jobs: Sequence[str] | None = None) -> list[RunRow]:
    """The newest runs first."""
    runs = table_of(JobRun)
    query = sa.select(*_columns()).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit)
    if jobs is not None:
        query = query.where(runs.c.job.in_(list(jobs)))
    return _rows(session.execute(query))


def latest_per_job(*, session: Session, status: str | None = None) -> dict[str, RunRow]:
    """Each job's newest run (of ``status`` when given)."""
    runs = table_of(JobRun)
    newest = sa.select(runs.c.job, sa.func.max(runs.c.id).label("id")).group_by(runs.c.job)
    if status is not None:
        newest = newest.where(runs.c.status == status)
    sub = newest.subquery()
    rows = _rows(session.execute(sa.select(*_columns()).join(sub, sub.c.id == runs.c.id)))
    return {row.job: row for row in rows}


def run_totals(*, session: Session) -> dict[tuple[str, str], int]:
    """How many runs each job has had, by status."""
    runs = table_of(JobRun)
    query = sa.select(runs.c.job, runs.c.status, sa.func.count()).group_by(runs.c.job, runs.c.status)
    return {(job, status): int(n) for job, status, n in session.execute(query)}


def runs_between(*, session: Session, start: datetime, end: datetime) -> list[RunRow]:
    """Runs started in [start, end), oldest first."""
    runs = table_of(JobRun)
    query = (
        sa.select(*_columns())
        .where(runs.c.started_at >= start, runs.c.started_at < end)
        .order_by(runs.c.started_at, runs.c.id)
    )
    return _rows(session.execute(query))


def take_lease(*, session: Session, name: str, runner: str, now: datetime) -> None:
    """Record that ``runner`` now runs the scheduler ``name`` (the caller holds its lock)."""
    upsert(
        session,
        table_of(SchedulerLease),
        [{"name": name, "runner": runner, "started_at": now, "beat_at": now}],
        conflict=["name"],
        update=["runner", "started_at", "beat_at"],
    )


def beat(*, session: Session, name: str, runner: str, now: datetime) -> bool:
    """The lease holder's heartbeat; False when the lease is someone else's."""
    leases = table_of(SchedulerLease)
    updated = session.execute(
        sa.update(leases)
        .where(leases.c.name == name, leases.c.runner == runner)
        .values(beat_at=now)
        .returning(leases.c.name)
    ).all()
    return bool(updated)


def read_lease(*, session: Session, name: str) -> Lease | None:
    leases = table_of(SchedulerLease)
    row = session.execute(
        sa.select(leases.c.runner, leases.c.started_at, leases.c.beat_at).where(leases.c.name == name)
    ).first()
    return None if row is None else Lease(*row)


def lease_is_fresh(lease: Lease | None, *, now: datetime, within: timedelta) -> bool:
    return lease is not None and now - lease.beat_at <= within
