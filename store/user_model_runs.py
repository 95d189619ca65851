"""The user-models queue: one run per active model after each analysis run, claimed by one worker.

A run is ``queued``, then ``running`` once a worker claims it with a conditional update (two
workers never take the same run), then ``done`` or, after its last attempt, ``failed``. These
functions read models by id whatever their owner: the queue runs every user's models, and
never shows one to anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from store.tables import UserModel, UserModelRun, table_of
from store.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class ClaimedRun:
    id: int
    user_model_id: int
    as_of: datetime


def active_model_ids(*, session: Session) -> list[int]:
    models = table_of(UserModel)
    return list(session.execute(sa.select(models.c.id).where(models.c.status == "active")).scalars())


def active_spec(*, session: Session, model_id: int) -> dict[str, Any] | None:
    """The stored spec of an active model; None once it is paused, deleted or gone."""
    models = table_of(UserModel)
    row = session.execute(sa.select(models.c.spec, models.c.status).where(models.c.id == model_id)).first()
    return None if row is None or row.status != "active" else row.spec


def queue_runs(*, session: Session, model_ids: list[int], as_of: datetime, now: datetime) -> int:
    """Queue one run per model for ``as_of``; a run queued before is not queued twice. Runs queued."""
    rows = [
        {
            "user_model_id": model_id,
            "as_of": as_of,
            "status": "queued",
            "attempts": 0,
            "enqueued_at": now,
            "predictions": 0,
        }
        for model_id in model_ids
    ]
    return insert_ignore(session, table_of(UserModelRun), rows, conflict=["user_model_id", "as_of"])


def claim_run(*, session: Session, now: datetime, stale: timedelta) -> ClaimedRun | None:
    """Take the oldest queued run for this worker, after queuing again those running longer than ``stale``.

    The claim is an update conditional on the run still being queued, so a run another worker
    took in between is not taken twice: None then, as when nothing is queued.
    """
    runs = table_of(UserModelRun)
    session.execute(
        sa.update(runs)
        .where(runs.c.status == "running", runs.c.started_at < now - stale)
        .values(status="queued")
    )
    candidate = session.execute(
        sa.select(runs.c.id).where(runs.c.status == "queued").order_by(runs.c.enqueued_at, runs.c.id).limit(1)
    ).scalar_one_or_none()
    if candidate is None:
        return None
    claimed = session.execute(
        sa.update(runs)
        .where(runs.c.id == candidate, runs.c.status == "queued")
        .values(status="running", attempts=runs.c.attempts + 1, started_at=now)
        .returning(runs.c.id, runs.c.user_model_id, runs.c.as_of)
    ).first()
    return None if claimed is None else ClaimedRun(int(claimed[0]), int(claimed[1]), claimed[2])


def finish_run(*, session: Session, run_id: int, now: datetime, predictions: int) -> None:
    runs = table_of(UserModelRun)
    session.execute(
        sa.update(runs)
        .where(runs.c.id == run_id)
        .values(status="done", finished_at=now, predictions=predictions, error=None)
    )


def fail_run(*, session: Session, run_id: int, now: datetime, error: str, max_attempts: int) -> str:
    """Record a failed attempt: queued again while attempts remain, else ``failed``. The new status."""
    runs = table_of(UserModelRun)
    attempts = session.execute(sa.select(runs.c.attempts).where(runs.c.id == run_id)).scalar_one()
    status = "queued" if attempts < max_attempts else "failed"
    session.execute(
        sa.update(runs).where(runs.c.id == run_id).values(status=status, finished_at=now, error=error[:2000])
    )
    return status


def queued_runs(*, session: Session) -> int:
    runs = table_of(UserModelRun)
    count = session.execute(
        sa.select(sa.func.count()).select_from(runs).where(runs.c.status == "queued")
    ).scalar_one()
    return int(count)
