"""A command whose work failed exits non-zero: 1 when it failed, 3 when part of it did.

`benny collect ...` and `benny scheduler --once JOB` with a key and no network (a transport whose
requests raise a connection error), on both databases: the job history is written either way.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from cli import app
from tests.conftest import NOW

runner = CliRunner()
Picks = Callable[[httpx.Request], bool]  # which requests find no network


async def _no_wait(_seconds: float) -> None:
    return None


def _no_network(monkeypatch: pytest.MonkeyPatch, fails: Picks) -> None:
    """Every context the commands open (the CLI's and the scheduler's) gets the failing transport."""
    import live.scheduler
    import tools.context

    def handle(request: httpx.Request) -> httpx.Response:
        if fails(request):
            raise httpx.ConnectError("network is unreachable", request=request)
        return httpx.Response(200, json=[], headers={"x-requests-remaining": "400", "x-requests-last": "3"})

    real = tools.context.open_context
    transport = httpx.MockTransport(handle)

    def offline(**kwargs: Any) -> Any:
        return dataclasses.replace(real(**kwargs), transport=transport, sleep=_no_wait)

    monkeypatch.setattr(tools.context, "open_context", offline)
    monkeypatch.setattr(live.scheduler, "open_context", offline)


def _every(_request: httpx.Request) -> bool:
    return True


def _nfl(request: httpx.Request) -> bool:
    return "/americanfootball_nfl/" in request.url.path


def _benny(db_url: str, *args: str) -> Any:
    env = {"DATABASE_URL": db_url, "BENNY_NOW": NOW.isoformat(), "ODDS_API_KEY": "test-key-5e0d"}
    return runner.invoke(app, list(args), env=env)


@pytest.mark.parametrize(("fails", "code", "status"), [(_every, 1, "failed"), (_nfl, 3, "partial")])
def test_collect_exits_non_zero_when_requests_failed(
    db_url: str, monkeypatch: pytest.MonkeyPatch, fails: Picks, code: int, status: str
) -> None:
    _no_network(monkeypatch, fails)
    result = _benny(db_url, "collect", "odds", "--json")
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["status"] == status
    shown = _benny(db_url, "collect", "scores", "--sport", "nfl")
    assert shown.exit_code == 1 and "failed" in shown.stdout


@pytest.mark.parametrize(("fails", "code", "status"), [(_every, 1, "failed"), (_nfl, 3, "partial")])
def test_scheduler_once_exits_non_zero_when_the_job_failed(
    db_url: str, monkeypatch: pytest.MonkeyPatch, fails: Picks, code: int, status: str
) -> None:
    _no_network(monkeypatch, fails)
    result = _benny(db_url, "scheduler", "--once", "odds")
    assert result.exit_code == code, result.output
    assert result.stdout.startswith(f"odds: {status} in ")
    _no_network(monkeypatch, _every)
    listed = _benny(db_url, "scheduler", "--once", "injuries", "--json")
    [run] = json.loads(listed.stdout)
    assert (listed.exit_code, run["job"], run["status"]) == (1, "injuries", "failed")


def test_a_collection_the_budget_skipped_exits_0(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    _no_network(monkeypatch, _every)
    env = {
        "DATABASE_URL": db_url, "BENNY_NOW": NOW.isoformat(), "ODDS_API_KEY": "test-key-5e0d",
        "ODDS_API_MONTHLY_BUDGET": "0",
    }  # fmt: skip
    result = runner.invoke(app, ["collect", "odds", "--json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["status"] == "skipped"
