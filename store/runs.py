"""Collector runs: what each collection asked for, what it cost in API credits, and how it ended.

A run row is written in its own transaction, apart from the data it collects, so a failed
collection still leaves a record of the failure (and of the credits it spent).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from store.tables import CollectorRun, table_of


@dataclass(frozen=True, slots=True)
class QuotaSeen:
    """The provider's quota headers as last seen, and when."""

    remaining: int | None
    used: int | None
    last: int | None
    seen_at: datetime


def record_run(
    *,
    session: Session,
    source: str,
    kind: str,
    sport_key: str | None,
    started_at: datetime,
    finished_at: datetime,
    status: str,
    requests: int = 0,
    quota: QuotaSeen | None = None,
    credits_used: int | None = None,
    counts: dict[str, Any] | None = None,
    error: str | None = None,
) -> int:
    run = CollectorRun(
        source=source,
        kind=kind,
        sport_key=sport_key,
        started_at=started_at,
        finished_at=finished_at,
        status=status,
        requests=requests,
        credits_used=credits_used,
        credits_remaining=quota.remaining if quota else None,
        credits_used_period=quota.used if quota else None,
        credits_last=quota.last if quota else None,
        counts=dict(counts) if counts else None,
        error=(error or None) and error[:2000],
    )
    session.add(run)
    session.flush()
    assert run.id is not None
    return run.id


def last_quota(*, session: Session, source: str) -> QuotaSeen | None:
    """The newest quota headers a run of ``source`` saw."""
    runs = table_of(CollectorRun)
    row = session.execute(
        sa.select(
            runs.c.credits_remaining, runs.c.credits_used_period, runs.c.credits_last, runs.c.finished_at
        )
        .where(runs.c.source == source, runs.c.credits_remaining.is_not(None))
        .order_by(runs.c.finished_at.desc(), runs.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return QuotaSeen(
        remaining=row.credits_remaining,
        used=row.credits_used_period,
        last=row.credits_last,
        seen_at=row.finished_at,
    )


def recent_runs(*, session: Session, limit: int = 20) -> list[dict[str, Any]]:
    runs = table_of(CollectorRun)
    rows = session.execute(sa.select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(limit))
    return [dict(row._mapping) for row in rows]
