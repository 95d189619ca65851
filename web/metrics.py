"""The app's ``/metrics``: job runs, the scheduler, credits, predictions and bets as Prometheus text.

Read in one unit of work, a handful of grouped counts, so a scrape every few seconds costs the
database little. ``render`` is pure: it writes the text exposition format (version 0.0.4) from
the families ``collect`` read, escaping label values and help text as the format asks.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session

from store.job_runs import latest_per_job, lease_is_fresh, read_lease, run_totals
from store.runs import last_quota
from store.tables import Bet, JobRun, Outcome, Prediction, table_of
from tools.context import ToolContext, current
from tools.operations import ALIVE_WITHIN, LEASE

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

Labels = Mapping[str, str]


@dataclass(frozen=True)
class Family:
    """One metric: its name, kind and help, and its samples (labels, value)."""

    name: str
    kind: Literal["counter", "gauge"]
    help: str
    samples: Sequence[tuple[Labels, float]] = field(default_factory=tuple)


def escape_label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _escape_help(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n")


def format_value(value: float) -> str:
    """Integers without a point, floats in full; NaN and infinities as the format spells them."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if float(value).is_integer() and abs(value) < 2**53:
        return str(int(value))
    return repr(float(value))


def render(families: Iterable[Family]) -> str:
    """The exposition text: HELP and TYPE for every family, then its samples."""
    lines: list[str] = []
    for family in families:
        lines.append(f"# HELP {family.name} {_escape_help(family.help)}")
        lines.append(f"# TYPE {family.name} {family.kind}")
        for labels, value in family.samples:
            pairs = ",".join(f'{key}="{escape_label(v)}"' for key, v in sorted(labels.items()))
            selector = f"{family.name}{{{pairs}}}" if pairs else family.name
            lines.append(f"{selector} {format_value(value)}")
    return "\n".join(lines) + "\n"


def _newest_finished(session: Session) -> dict[str, float]:
    """Each job's newest finished run's duration in seconds (a run in progress has none yet)."""
    runs = table_of(JobRun)
    newest = (
        sa.select(sa.func.max(runs.c.id)).where(runs.c.finished_at.is_not(None)).group_by(runs.c.job)
    ).scalar_subquery()
    rows = session.execute(
        sa.select(runs.c.job, runs.c.started_at, runs.c.finished_at).where(runs.c.id.in_(newest))
    )
    return {job: (finished - started).total_seconds() for job, started, finished in rows}


def _count_by(session: Session, column: sa.ColumnElement[str]) -> dict[str, int]:
    return {
        str(key): int(n) for key, n in session.execute(sa.select(column, sa.func.count()).group_by(column))
    }


def _settlement_lag(session: Session, now: datetime) -> float:
    """Seconds since the earliest result that a still-pending bet waits to be settled on; 0 when none."""
    bets, outcomes = table_of(Bet), table_of(Outcome)
    earliest = session.execute(
        sa.select(sa.func.min(outcomes.c.completed_at))
        .select_from(bets.join(outcomes, outcomes.c.game_id == bets.c.game_id))
        .where(bets.c.status == "pending", outcomes.c.completed_at <= now)
    ).scalar()
    return 0.0 if earliest is None else max(0.0, (now - earliest).total_seconds())


def collect(ctx: ToolContext) -> list[Family]:
    """Every family, read in one unit of work at the context's clock."""
    now = ctx.now()
    with ctx.unit_of_work() as session:
        totals = run_totals(session=session)
        durations = _newest_finished(session)
        succeeded = latest_per_job(session=session, status="ok")
        up = lease_is_fresh(read_lease(session=session, name=LEASE), now=now, within=ALIVE_WITHIN)
        quota = last_quota(session=session, source=ctx.settings.feed_mode)
        predictions = int(
            session.execute(sa.select(sa.func.count()).select_from(table_of(Prediction))).scalar_one()
        )
        bets = _count_by(session, table_of(Bet).c.status)
        lag = _settlement_lag(session, now)
    last_success = {job: row.finished_at for job, row in succeeded.items() if row.finished_at is not None}
    return [
        Family("benny_job_runs_total", "counter", "Live-loop job runs recorded, by job and how they ended.",
               [({"job": job, "status": status}, n) for (job, status), n in sorted(totals.items())]),
        Family("benny_job_last_duration_seconds", "gauge", "How long each job's newest finished run took.",
               [({"job": job}, seconds) for job, seconds in sorted(durations.items())]),
        Family("benny_job_last_success_timestamp_seconds", "gauge",
               "When each job's newest successful run finished (Unix time).",
               [({"job": job}, at.timestamp()) for job, at in sorted(last_success.items())]),
        Family("benny_scheduler_up", "gauge",
               "1 while some process's scheduler heartbeat is fresh (any process on this database).",
               [({}, 1.0 if up else 0.0)]),
        Family("benny_api_credits_remaining", "gauge",
               "The odds provider's credits left, as it last said (absent before any call).",
               [({}, float(quota.remaining))] if quota is not None and quota.remaining is not None else []),
        Family("benny_predictions_total", "counter", "Predictions stored (every model, every game).",
               [({}, predictions)]),
        # A gauge, not a counter: a bet leaves ``pending`` when it is settled, so that series falls.
        Family("benny_bets", "gauge", "Benny's paper bets, by status (pending until settled).",
               [({"status": status}, n) for status, n in sorted(bets.items())]),
        Family("benny_settlement_lag_seconds", "gauge",
               "Seconds since the oldest result a pending bet still waits to be settled on (0 when none).",
               [({}, lag)]),
    ]  # fmt: skip


def prometheus_text() -> str:
    """The current context's metrics, as the text a Prometheus scrape reads."""
    return render(collect(current()))
