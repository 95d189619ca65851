"""The counts a metrics scrape reads beside the job history: durations, predictions, bets, settling.

Each is one grouped query, cheap enough for a scrape every few seconds.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from store.tables import Bet, JobRun, Outcome, Prediction, table_of


def last_finished_seconds(*, session: Session) -> dict[str, float]:
    """Each job's newest finished run's duration in seconds (a run in progress has none yet)."""
    runs = table_of(JobRun)
    newest = (
        sa.select(sa.func.max(runs.c.id)).where(runs.c.finished_at.is_not(None)).group_by(runs.c.job)
    ).scalar_subquery()
    rows = session.execute(
        sa.select(runs.c.job, runs.c.started_at, runs.c.finished_at).where(runs.c.id.in_(newest))
    )
    return {job: (finished - started).total_seconds() for job, started, finished in rows}


def prediction_count(*, session: Session) -> int:
    """Predictions stored, every model and every game."""
    query = sa.select(sa.func.count()).select_from(table_of(Prediction))
    return int(session.execute(query).scalar_one())


def bets_by_status(*, session: Session) -> dict[str, int]:
    """How many paper bets are in each status."""
    status = table_of(Bet).c.status
    return {
        str(key): int(n) for key, n in session.execute(sa.select(status, sa.func.count()).group_by(status))
    }


def settlement_lag_seconds(*, session: Session, now: datetime) -> float:
    """Seconds since the earliest result that a still-pending bet waits to be settled on; 0 when none."""
    bets, outcomes = table_of(Bet), table_of(Outcome)
    earliest = session.execute(
        sa.select(sa.func.min(outcomes.c.completed_at))
        .select_from(bets.join(outcomes, outcomes.c.game_id == bets.c.game_id))
        .where(bets.c.status == "pending", outcomes.c.completed_at <= now)
    ).scalar()
    return 0.0 if earliest is None else max(0.0, (now - earliest).total_seconds())
