"""The app's ``/metrics``: job runs, the scheduler, credits, predictions and bets as Prometheus text.

A collector reads them at scrape time in one unit of work, a handful of grouped counts (the
queries live in ``store.operations_metrics`` and ``store.job_runs``), so a scrape every few
seconds costs the database little. prometheus_client writes the text exposition format (0.0.4)
from a registry of Benny's own, so no process-wide default metrics leak into the scrape.
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from store.job_runs import latest_per_job, lease_is_fresh, read_lease, run_totals
from store.operations_metrics import (
    bets_by_status,
    last_finished_seconds,
    prediction_count,
    settlement_lag_seconds,
)
from store.runs import last_quota
from tools.context import ToolContext
from tools.operations import ALIVE_WITHIN, LEASE

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4


class BennyCollector:
    """Benny's families, read afresh on every ``collect`` in one unit of work at the context's clock."""

    def __init__(self, ctx: ToolContext) -> None:
        self.ctx = ctx

    def collect(self) -> Iterator[Metric]:
        ctx = self.ctx
        now = ctx.now()
        with ctx.unit_of_work() as session:
            totals = run_totals(session=session)
            durations = last_finished_seconds(session=session)
            succeeded = latest_per_job(session=session, status="ok")
            up = lease_is_fresh(read_lease(session=session, name=LEASE), now=now, within=ALIVE_WITHIN)
            quota = last_quota(session=session, source=ctx.settings.feed_mode)
            predictions = prediction_count(session=session)
            bets = bets_by_status(session=session)
            lag = settlement_lag_seconds(session=session, now=now)

        runs = CounterMetricFamily(
            "benny_job_runs_total", "Live-loop job runs recorded, by job and how they ended.",
            labels=["job", "status"],
        )  # fmt: skip
        for (job, status), n in sorted(totals.items()):
            runs.add_metric([job, status], n)
        yield runs

        last_duration = GaugeMetricFamily(
            "benny_job_last_duration_seconds", "How long each job's newest finished run took.", labels=["job"]
        )
        for job, seconds in sorted(durations.items()):
            last_duration.add_metric([job], seconds)
        yield last_duration

        last_success = GaugeMetricFamily(
            "benny_job_last_success_timestamp_seconds",
            "When each job's newest successful run finished (Unix time).", labels=["job"],
        )  # fmt: skip
        for job, row in sorted(succeeded.items()):
            if row.finished_at is not None:
                last_success.add_metric([job], row.finished_at.timestamp())
        yield last_success

        yield GaugeMetricFamily(
            "benny_scheduler_up",
            "1 while some process's scheduler heartbeat is fresh (any process on this database).",
            value=1.0 if up else 0.0,
        )
        credits = GaugeMetricFamily(
            "benny_api_credits_remaining",
            "The odds provider's credits left, as it last said (absent before any call).",
        )
        if quota is not None and quota.remaining is not None:
            credits.add_metric([], float(quota.remaining))
        yield credits
        yield CounterMetricFamily(
            "benny_predictions_total", "Predictions stored (every model, every game).", value=predictions
        )
        # A gauge, not a counter: a bet leaves ``pending`` when it is settled, so that series falls.
        by_status = GaugeMetricFamily(
            "benny_bets", "Benny's paper bets, by status (pending until settled).", labels=["status"]
        )
        for status, n in sorted(bets.items()):
            by_status.add_metric([status], n)
        yield by_status
        yield GaugeMetricFamily(
            "benny_settlement_lag_seconds",
            "Seconds since the oldest result a pending bet still waits to be settled on (0 when none).",
            value=lag,
        )


def exposition(*collectors: Collector) -> str:
    """The text a Prometheus scrape reads, from a registry that holds these collectors alone."""
    registry = CollectorRegistry(auto_describe=False)  # describing would run the queries twice
    for collector in collectors:
        registry.register(collector)
    return generate_latest(registry).decode()


def prometheus_text(ctx: ToolContext) -> str:
    """``ctx``'s metrics, as the text a Prometheus scrape reads."""
    return exposition(BennyCollector(ctx))
