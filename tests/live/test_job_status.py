"""A job run's status follows what it did: a collection whose every request failed is ``failed``,
one where some failed is ``partial`` with its counts, one the credit budget skipped is
``skipped``; job history, ``/metrics`` and what ``/health`` reads agree, on both databases.

"No network" is a transport whose every request raises a connection error, as a machine with a
key and no route out sees it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

import httpx
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from live.job_runner import dispatch
from live.scheduler import run_job
from services.schedule import schedule
from services.user_model_runs import QueueSummary
from store.db import unit_of_work
from store.job_runs import RunRow, recent_runs
from tests.conftest import NOW, make_settings
from tools.context import ToolContext, bind, open_context
from tools.operations import system_status
from web.metrics import prometheus_text

KEY = "test-key-7c21"
Failing = Callable[[httpx.Request], bool]


async def _no_wait(_seconds: float) -> None:
    return None


def _offline(engine: Engine, url: str, fails: Failing = lambda _r: True, **settings: str) -> ToolContext:
    """The Odds API with a key, where the requests ``fails`` picks raise a connection error."""

    def handle(request: httpx.Request) -> httpx.Response:
        if fails(request):
            raise httpx.ConnectError("network is unreachable", request=request)
        quota = {"x-requests-remaining": "400", "x-requests-used": "100", "x-requests-last": "3"}
        return httpx.Response(200, json=[], headers=quota)

    config = make_settings(url, ODDS_API_KEY=KEY, BENNY_FEED="oddsapi", **settings)
    ctx = open_context(settings=config, engine=engine)
    return replace(ctx, transport=httpx.MockTransport(handle), sleep=_no_wait, clock=FixedClock(NOW))


def _history(engine: Engine) -> list[RunRow]:
    with unit_of_work(engine) as session:
        return recent_runs(session=session, limit=10)


def _metric_lines(ctx: ToolContext, family: str) -> list[str]:
    return [line for line in prometheus_text(ctx).splitlines() if line.startswith(family + "{")]


def test_odds_with_every_request_failing_is_a_failed_run(any_engine: Engine, db_url: str) -> None:
    ctx = _offline(any_engine, db_url)
    [result] = run_job("odds", ctx, scheduled_for=NOW)
    assert result.status == "failed"
    assert result.counts["sports.failed"] == 5 and result.counts["sports.ok"] == 0
    assert result.error is not None and "nba" in result.error and "network" in result.error
    assert KEY not in result.error
    [row] = _history(any_engine)
    assert (row.job, row.status, row.error) == ("odds", "failed", result.error)
    assert row.counts is not None and row.counts["sports.failed"] == 5
    # /metrics: one failed run and no success; /health reads no last success either.
    assert _metric_lines(ctx, "benny_job_runs_total") == [
        'benny_job_runs_total{job="odds",status="failed"} 1.0'
    ]
    assert _metric_lines(ctx, "benny_job_last_success_timestamp_seconds") == []
    with bind(ctx):
        status = system_status(recent=1)
    assert next(j for j in status.jobs if j.name == "odds").last_success_at is None
    assert status.recent[0].status == "failed"


def test_odds_with_one_sport_failing_is_partial_with_counts(any_engine: Engine, db_url: str) -> None:
    ctx = _offline(any_engine, db_url, fails=lambda r: "/americanfootball_nfl/" in r.url.path)
    [result] = run_job("odds", ctx, scheduled_for=NOW)
    assert result.status == "partial"
    assert (result.counts["sports.ok"], result.counts["sports.failed"], result.counts["sports.skipped"]) == (
        4,
        1,
        0,
    )
    assert result.error is not None and result.error.startswith("nfl: ")
    [row] = _history(any_engine)
    assert row.status == "partial"
    assert _metric_lines(ctx, "benny_job_last_success_timestamp_seconds") == []


def test_odds_the_budget_skipped_is_skipped_not_failed(any_engine: Engine, db_url: str) -> None:
    asked: list[str] = []

    def count(request: httpx.Request) -> bool:
        asked.append(request.url.path)
        return False

    ctx = _offline(any_engine, db_url, fails=count, ODDS_API_MONTHLY_BUDGET="0")
    [result] = run_job("odds", ctx, scheduled_for=NOW)
    assert asked == []  # no paid call was made
    assert (result.status, result.error) == ("skipped", None)
    assert result.counts["sports.skipped"] == 5
    assert _history(any_engine)[0].status == "skipped"
    assert _metric_lines(ctx, "benny_job_last_success_timestamp_seconds") == []


def test_outcomes_with_its_results_failing_is_partial(any_engine: Engine, db_url: str) -> None:
    ctx = _offline(any_engine, db_url)
    [result] = run_job("outcomes", ctx, scheduled_for=NOW)
    assert result.status == "partial"  # the results failed; settlement ran on what was stored
    assert result.counts["scores.sports.failed"] == 5 and "settlement.settled" in result.counts
    assert result.error is not None and result.error.startswith("scores: nba: ")


def test_user_models_whose_every_run_failed_is_failed(any_engine: Engine, db_url: str) -> None:
    ctx = _offline(any_engine, db_url)
    jobs = schedule(ctx.settings)
    summaries = {
        "failed": QueueSummary(queued=0, ran=0, failed=2, predictions=0),
        "partial": QueueSummary(queued=0, ran=3, failed=1, predictions=12),
        "ok": QueueSummary(queued=0, ran=3, failed=0, predictions=12),
    }
    for hour, (expected, summary) in enumerate(summaries.items()):
        [result] = dispatch(
            "user_models",
            ctx=ctx,
            scheduled_for=NOW + timedelta(hours=hour),
            jobs=jobs,
            funcs={"user_models": lambda _ctx, s=summary: s},
        )
        assert result.status == expected, summary
        assert (result.error is None) == (expected == "ok")
    assert [r.status for r in _history(any_engine)] == ["ok", "partial", "failed"]
