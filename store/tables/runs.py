"""Work the system has done: collections and their credit use, live-loop job runs, and the
scheduler lease.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from store.tables.base import json_field

__all__ = ["CollectorRun", "JobRun", "SchedulerLease"]


class CollectorRun(SQLModel, table=True):
    """One collection: what was asked, what it cost in API credits, and how it ended."""

    __tablename__ = "collector_runs"
    __table_args__ = (sa.Index("ix_collector_runs_source_started", "source", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=32)
    kind: str = Field(max_length=32)
    sport_key: str | None = Field(default=None, max_length=64)
    started_at: datetime
    finished_at: datetime | None = None
    status: str = Field(default="running", max_length=16)
    requests: int = 0
    credits_used: int | None = None  # what this run spent
    credits_remaining: int | None = None  # x-requests-remaining after the run
    credits_used_period: int | None = None  # x-requests-used: spent since the quota's last reset
    credits_last: int | None = None  # x-requests-last: the cost of the run's last call
    counts: dict[str, Any] | None = json_field()
    error: str | None = Field(default=None, max_length=2000)


class JobRun(SQLModel, table=True):
    """One run of a live-loop job: claimed once per job and fire time, then finished with its counts."""

    __tablename__ = "job_runs"
    __table_args__ = (
        sa.UniqueConstraint("job", "scheduled_for", name="uq_job_runs_job_scheduled_for"),
        sa.Index("ix_job_runs_job_started", "job", "started_at"),
        sa.Index("ix_job_runs_started", "started_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    job: str = Field(max_length=64)
    scheduled_for: datetime  # the fire time it runs for (a manual run: the moment it was asked for)
    trigger: str = Field(default="schedule", max_length=16)  # schedule, chain (after another job), manual
    runner: str = Field(max_length=128)  # host:pid of the process that ran it
    started_at: datetime
    finished_at: datetime | None = None
    status: str = Field(default="running", max_length=16)  # running, ok, failed, interrupted
    attempts: int = Field(
        default=1, sa_column_kwargs={"server_default": "1"}
    )  # an interrupted run is taken up again
    counts: dict[str, Any] | None = json_field()
    error: str | None = Field(default=None, max_length=2000)


class SchedulerLease(SQLModel, table=True):
    """Which process runs the scheduler, since when, and its last heartbeat."""

    __tablename__ = "scheduler_leases"

    name: str = Field(primary_key=True, max_length=32)
    runner: str = Field(max_length=128)
    started_at: datetime
    beat_at: datetime
