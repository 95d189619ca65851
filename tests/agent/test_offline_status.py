"""The offline brain on the live loop: "what have you been doing?" reaches `system_status`, and
the answer shows the tool's own jobs, fire times, runs and errors.

Job history is made the way the scheduler makes it, through ``live.job_runner.dispatch`` with
stand-in job functions (one of them raising); times are written out here independently of
``presentation.render_ops`` and compared with the tool's result.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

import pytest

from agent.brain import Call, OfflineBrain, plan
from agent.graph import ask, build_graph
from agent.state import tool_uses
from core.clock import FixedClock
from live.job_runner import beat_lease, dispatch, take_over
from presentation import render
from services.schedule import schedule
from tests.agent.reading import run, tables
from tests.conftest import NOW
from tools.context import ToolContext, bind
from tools.operations import system_status

RUNNER = "box:4242"


def utc(iso: str | None) -> str:
    return "–" if iso is None else datetime.fromisoformat(iso).strftime("%Y-%m-%d %H:%M") + " UTC"


@pytest.fixture
def clocked(ctx: ToolContext) -> ToolContext:
    return replace(ctx, clock=FixedClock(NOW))


def _clock(ctx: ToolContext) -> FixedClock:
    assert isinstance(ctx.clock, FixedClock)
    return ctx.clock


def _status(ctx: ToolContext) -> dict[str, Any]:
    with bind(ctx):
        return system_status().model_dump(mode="json")


# --- routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "what have you been doing?",
        "What have you been up to",
        "what've you been doing lately?",
        "what has Benny been doing today?",
        "what are you up to?",
        "what did you do overnight?",
        "what's been happening?",
        "status",
        "Status?",
        "system status",
        "what's the status?",
        "scheduler status",
        "is the scheduler running?",
        "is the scheduler alive",
        "are you still running?",
        "is everything running ok?",
        "show the jobs",
        "list jobs",
        "what jobs are scheduled?",
        "any failed jobs?",
        "did any jobs fail?",
        "when do you next collect odds?",
        "When will you next collect the odds?",
        "when do you collect odds",
        "when is the next odds collection?",
        "when were the odds last updated?",
        "when does the analysis run?",
        "how often do you collect odds?",
        "when is the next run?",
        "job history",
        "show me the job history",
        "health check",
    ],
)
def test_asking_what_the_live_loop_does_calls_system_status(text: str) -> None:
    assert plan(text) == Call("system_status", {"recent": 10})


def test_a_number_of_runs_asked_for_is_passed_on() -> None:
    assert plan("last 20 job runs") == Call("system_status", {"recent": 20})


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("NBA odds", "get_odds"),
        ("compare the models", "compare_models"),
        ("how are you doing?", "benny_dashboard"),
        ("how is Benny doing?", "benny_dashboard"),
        ("credits", "api_credits"),
        ("NBA schedule", "get_games"),
        ("status of my bets", "benny_bets"),
        ("what's the status of bet 12", "explain_bet"),
        ("what's the last run line for the Dodgers", "get_odds"),
        ("are you running a model on the Lakers game", "get_predictions"),
        ("what's been going on with the Celtics line", "get_odds"),
    ],
)
def test_other_requests_keep_their_own_tools(text: str, tool: str) -> None:
    call = plan(text)
    assert call is not None and call.tool == tool, text


@pytest.mark.parametrize(
    ("text", "tool"), [("NBA odds", "get_odds"), ("compare the models", "compare_models")]
)
def test_other_requests_reach_their_own_tools_through_the_graph(
    ctx: ToolContext, text: str, tool: str
) -> None:
    turn = ask(build_graph(OfflineBrain()), text, ctx)
    assert [c["name"] for c in tool_uses(turn[1])] == [tool]


# --- the answer ---------------------------------------------------------------------------------


def _job_rows(status: dict[str, Any]) -> list[dict[str, str]]:
    rows = []
    for job in status["jobs"]:
        last = job["last_run"]
        next_run = utc(job["next_run"]) if job["next_run"] else job["when"].replace("each", "the next")
        rows.append(
            {
                "Job": job["name"],
                "When": job["when"],
                "Next run": next_run,
                "Last run": "never" if last is None else utc(last["started_at"]),
                "Status": "–" if last is None else last["status"].replace("failed", "**failed**"),
                "Seconds": "–" if last is None or last["seconds"] is None else f"{last['seconds']:.1f}",
            }
        )
    return rows


def test_before_anything_ran_the_answer_says_how_to_start(clocked: ToolContext) -> None:
    call, status, answer = run(clocked, "what have you been doing?")
    assert (call["name"], call["input"]) == ("system_status", {"recent": 10})
    assert status == _status(clocked)
    first = answer.splitlines()[0]
    assert first.startswith("**The scheduler is not running**, and has never run on this database.")
    assert "`benny run`" in first and "`benny scheduler`" in first
    [jobs] = tables(answer)
    assert jobs == _job_rows(status)
    assert [r["Job"] for r in jobs] == [j.name for j in schedule(clocked.settings)]
    assert all(r["Last run"] == "never" for r in jobs)
    assert "No job has run yet" in answer and "Needs attention" not in answer
    assert f"(as of {utc(status['now'])})" in answer
    assert answer.splitlines()[-1] == (
        f"**Odds API credits**: no call to the provider yet; {status['credits_allowance']:,} may still "
        f"be spent this month. Feed: {status['feed']} · brain: {status['brain']}."
    )


def _history(ctx: ToolContext) -> None:
    """A morning of the live loop: outcomes, then odds, the analysis and its chain; then outcomes fail."""
    clock, jobs = _clock(ctx), schedule(ctx.settings)

    def fails(_: ToolContext) -> None:
        raise RuntimeError("the scores feed answered 503")

    funcs = {
        "odds": lambda _: {"snapshots": 120, "games": 8},
        "analysis": lambda _: {"predictions": 30},
        "user_models": lambda _: {"signals": 2},
        "outcomes": lambda _: {"settled": 3},
    }
    take_over(ctx.engine, runner=RUNNER, now=NOW - timedelta(hours=4), grace=timedelta(minutes=10))
    clock.set(NOW - timedelta(hours=4))
    dispatch("outcomes", ctx=ctx, scheduled_for=clock(), jobs=jobs, funcs=funcs, runner=RUNNER)
    clock.set(NOW - timedelta(minutes=30))
    dispatch("odds", ctx=ctx, scheduled_for=clock(), jobs=jobs, funcs=funcs, runner=RUNNER)
    dispatch("analysis", ctx=ctx, scheduled_for=clock(), jobs=jobs, funcs=funcs, runner=RUNNER)
    clock.set(NOW)
    dispatch("outcomes", ctx=ctx, scheduled_for=clock(), jobs=jobs, funcs={"outcomes": fails}, runner=RUNNER)
    beat_lease(ctx.engine, runner=RUNNER, now=NOW)


def test_the_answer_shows_the_tools_jobs_runs_and_failures(clocked: ToolContext) -> None:
    _history(clocked)
    _clock(clocked).set(NOW + timedelta(seconds=30))
    call, status, answer = run(clocked, "is the scheduler running?")
    assert call["name"] == "system_status"
    assert status == _status(clocked)
    assert answer.splitlines()[0] == (
        f"**The scheduler is running** in `{RUNNER}` since {utc(status['scheduler']['since'])}; "
        f"last heartbeat {utc(status['scheduler']['last_beat'])}."
    )
    jobs, runs = tables(answer)
    assert jobs == _job_rows(status)
    for row, job in zip(jobs, status["jobs"], strict=True):
        assert job["name"] in answer
        if job["next_run"] is not None:
            assert row["Next run"] == utc(job["next_run"])
    assert {r["Job"]: r["Status"] for r in jobs if r["Last run"] != "never"} == {
        "odds": "ok",
        "outcomes": "**failed**",
        "analysis": "ok",
        "user_models": "ok",
    }
    [outcomes] = [j for j in status["jobs"] if j["name"] == "outcomes"]
    assert (
        f"- **outcomes** failed at {utc(outcomes['last_run']['started_at'])}: "
        f"`RuntimeError: the scores feed answered 503` (last success {utc(outcomes['last_success_at'])})."
    ) in answer
    assert [(r["Started"], r["Job"], r["Trigger"]) for r in runs] == [
        (utc(r["started_at"]), r["job"], r["trigger"]) for r in status["recent"]
    ]
    results = {r["Job"]: r["Result"] for r in runs}
    assert results["odds"] == "snapshots 120, games 8" and results["user_models"] == "signals 2"
    assert [r["Result"] for r in runs if r["Job"] == "outcomes"] == [
        "RuntimeError: the scores feed answered 503",
        "settled 3",
    ]
    assert status["recent"][0]["job"] == "outcomes" and status["recent"][0]["status"] == "failed"


def test_a_silent_scheduler_is_reported_with_its_last_heartbeat(clocked: ToolContext) -> None:
    _history(clocked)
    _clock(clocked).set(NOW + timedelta(minutes=10))
    _, status, answer = run(clocked, "status")
    assert status["scheduler"]["alive"] is False
    assert answer.splitlines()[0] == (
        f"**The scheduler is not running**: its last heartbeat was {utc(status['scheduler']['last_beat'])}, "
        f"from `{RUNNER}`. Start it with `benny run` (the chat app, scheduler inside) or "
        "`benny scheduler` (the scheduler alone)."
    )


def test_fewer_runs_when_asked_and_none_at_all() -> None:
    status: dict[str, Any] = {
        "now": NOW.isoformat(),
        "feed": "sim",
        "brain": "offline",
        "scheduler": {"alive": False, "runner": None, "since": None, "last_beat": None},
        "jobs": [],
        "recent": [],
        "credits_remaining": 1234,
        "credits_allowance": 450,
    }
    answer = render.tool_result("system_status", status, {"recent": 0})
    assert "No job has run yet" in answer
    assert "**Odds API credits**: 1,234 left at the provider; 450 may still be spent this month." in answer


def test_a_run_cut_short_is_called_out_and_an_error_stays_in_its_cell() -> None:
    def run_view(status: str, error: str | None) -> dict[str, Any]:
        return {
            "job": "odds", "status": status, "trigger": "schedule", "scheduled_for": NOW.isoformat(),
            "started_at": NOW.isoformat(), "seconds": None, "counts": None, "error": error,
        }  # fmt: skip

    job = {
        "name": "odds", "about": "odds", "when": "every 4h", "next_run": None,
        "last_run": run_view("interrupted", None), "last_success_at": None,
    }  # fmt: skip
    at = NOW.isoformat()
    status: dict[str, Any] = {
        "now": at, "feed": "sim", "brain": "offline",
        "scheduler": {"alive": False, "runner": RUNNER, "since": at, "last_beat": at},
        "jobs": [job], "recent": [run_view("failed", "ValueError: a | b\nsecond line")],
        "credits_remaining": None, "credits_allowance": 0,
    }  # fmt: skip
    answer = render.tool_result("system_status", status, {})
    assert "- **odds** was cut short at 2025-01-15 18:00 UTC (its process stopped)" in answer
    assert "it has not succeeded yet" in answer
    assert "| ValueError: a \\| b second line |" in answer
