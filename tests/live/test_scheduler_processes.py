"""`benny scheduler` as real processes: one runs the loop per database, and a crash mid-job loses nothing.

Each test starts the CLI in subprocesses against one database (SQLite and PostgreSQL): two
schedulers, of which one runs the jobs while the other waits and takes over when the first
stops; and a scheduler killed hard between two bets, whose restart takes the cut-short run up
again and completes it without a duplicate. The trading job asks Claude for its picks; here a
stand-in on localhost answers in the Messages API's shape, so no request leaves the machine.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from core.errors import StoreError
from services.demo import seed_demo
from services.dossier import Dossier
from services.faults import FAULT_EXIT_CODE
from services.trading import trade
from store.db import unit_of_work
from store.job_runs import RunRow, read_lease, runs_between
from tests.conftest import NOW, make_settings
from tests.services.test_trade_crash import _state
from tests.services.test_trading import favourites
from tools.context import bind, open_context

ROOT = Path(__file__).resolve().parents[2]
BENNY = [sys.executable, "-c", "import cli; cli.main()"]


def _env(db_url: str, home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BENNY_", "DATABASE_URL", "ODDS_API"))}
    env.pop("ANTHROPIC_API_KEY", None)
    return {**env, "DATABASE_URL": db_url, "BENNY_HOME": str(home), "PYTHONUNBUFFERED": "1", **extra}


def _start(env: dict[str, str], log: IO[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [*BENNY, "scheduler"], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True
    )


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGTERM)  # graceful: running jobs finish
    return process.wait(timeout=60)


def _wait_for(check: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)  # polling the database: the processes give no other signal


def _runs(engine: Engine) -> list[RunRow]:
    with unit_of_work(engine) as session:
        return runs_between(session=session, start=NOW - timedelta(days=3650), end=NOW + timedelta(days=3650))


def _leader(engine: Engine) -> str | None:
    try:
        with unit_of_work(engine) as session:
            lease = read_lease(session=session, name="live")
    except (StoreError, sa.exc.ProgrammingError):
        return None  # the first process is still creating the schema
    return None if lease is None else lease.runner


def test_two_schedulers_run_each_job_once(db_url: str, tmp_path: Path) -> None:
    from store.db import make_engine

    env = _env(db_url, tmp_path / "home", BENNY_ODDS_EVERY="2s", BENNY_CLOSING_EVERY="1s")
    engine = make_engine(db_url)
    with (tmp_path / "a.log").open("w") as log_a, (tmp_path / "b.log").open("w") as log_b:
        first = _start(env, log_a)
        try:
            _wait_for(
                lambda: (_leader(engine) or "").endswith(f":{first.pid}"), "the first scheduler's lease"
            )
            second = _start(env, log_b)
            try:
                _wait_for(lambda: Counter(r.job for r in _runs(engine))["odds"] >= 3, "three odds runs")
                _wait_for(
                    lambda: "waits on standby" in (tmp_path / "b.log").read_text(), "the second on standby"
                )
                assert _leader(engine) == next(iter({r.runner for r in _runs(engine)}))
                assert {r.runner.rsplit(":", 1)[1] for r in _runs(engine)} == {str(first.pid)}
                assert _stop(first) == 0
                stopped = len(_runs(engine))
                _wait_for(
                    lambda: (_leader(engine) or "").endswith(f":{second.pid}"), "the second to take over"
                )
                _wait_for(lambda: len(_runs(engine)) >= stopped + 3, "the second scheduler's runs")
            finally:
                assert _stop(second) == 0
        finally:
            if first.poll() is None:
                _stop(first)
    runs = _runs(engine)
    engine.dispose()
    by_pid = Counter(r.runner.rsplit(":", 1)[1] for r in runs)
    assert set(by_pid) == {str(first.pid), str(second.pid)}, (tmp_path / "b.log").read_text()
    fire_times = [(r.job, r.scheduled_for) for r in runs]
    assert len(fire_times) == len(set(fire_times))  # each job once per fire time, across both processes
    assert {r.status for r in runs} <= {"ok"}, [r.error for r in runs if r.error]
    handover = min(r.started_at for r in runs if r.runner.endswith(f":{second.pid}"))
    assert all(
        r.finished_at is not None and r.finished_at <= handover
        for r in runs
        if r.runner.endswith(f":{first.pid}")
    )


class _Claude:
    """A stand-in for the Messages API on localhost: every request gets the same submit_picks answer."""

    def __init__(self, picks: dict[str, Any]) -> None:
        body = json.dumps(
            {
                "id": "msg_01Trade", "type": "message", "role": "assistant", "model": "claude-sonnet-5-5",
                "content": [
                    {"type": "tool_use", "id": "toolu_01Trade", "name": "submit_picks", "input": picks}
                ],
                "stop_reason": "tool_use", "stop_sequence": None,
                "usage": {"input_tokens": 4200, "output_tokens": 310, "cache_read_input_tokens": 900},
            }
        ).encode()  # fmt: skip

        class Answer(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length", 0)))
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Answer)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _planned(engine: Engine, db_url: str) -> tuple[dict[str, Any], int]:
    """Demo games, Claude's picks on them (the consensus favourites at 90%), and how many bets they make."""
    ctx = replace(open_context(settings=make_settings(db_url), engine=engine), clock=FixedClock(NOW))
    seed_demo(ctx)
    picks: dict[str, Any] = {}

    def capture(dossiers: Sequence[Dossier]) -> object:
        picks.update(favourites(dossiers, count=5))
        return picks

    with bind(ctx):
        planned = trade(ctx, analyst=capture, analyst_name="script", dry_run=True)
    return picks, len(planned.bets)


def _bets(engine: Engine) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The bets and their stake entries in the ledger (the trading crash test's reading)."""
    state = _state(engine)
    return state["bets"], [e for e in state["ledger"] if e["kind"] == "stake"]


def test_a_scheduler_killed_mid_trade_then_restarted(any_engine: Engine, db_url: str, tmp_path: Path) -> None:
    picks, planned = _planned(any_engine, db_url)
    assert planned >= 3
    claude = _Claude(picks)
    env = _env(
        db_url, tmp_path / "home", BENNY_NOW=NOW.isoformat(), ANTHROPIC_API_KEY="test-key",
        ANTHROPIC_BASE_URL=claude.url,
    )  # fmt: skip
    try:
        _crash_and_restart(any_engine, env, tmp_path, planned)
    finally:
        claude.close()


def _crash_and_restart(any_engine: Engine, env: dict[str, str], tmp_path: Path, planned: int) -> None:
    crashed = subprocess.run(
        [*BENNY, "scheduler", "--once", "trading"], env={**env, "BENNY_FAULT": "after_bet:2"}, cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert crashed.returncode == FAULT_EXIT_CODE, crashed.stderr
    bets, stakes = _bets(any_engine)
    assert len(bets) == len(stakes) == 2  # both whole, nothing half-written
    [cut] = _runs(any_engine)
    assert (cut.job, cut.status, cut.attempts) == ("trading", "running", 1)
    assert _leader(any_engine) is None  # a one-off run never poses as the running scheduler

    # Restarted as the live loop: it marks the run interrupted and takes it up again at once.
    with (tmp_path / "restart.log").open("w") as log:
        restarted = _start(env, log)
        try:
            _wait_for(
                lambda: [r.status for r in _runs(any_engine) if r.job == "trading"] == ["ok"],
                "the interrupted trade to complete",
                90,
            )
        finally:
            assert _stop(restarted) == 0
    [done] = [r for r in _runs(any_engine) if r.job == "trading"]
    assert (done.status, done.attempts, done.scheduled_for) == ("ok", 2, cut.scheduled_for)
    bets, stakes = _bets(any_engine)
    keys = [(b["game_id"], b["market"]) for b in bets]
    assert len(keys) == len(set(keys)) == len(stakes) == planned
    assert done.counts is not None and done.counts.get("bets") == len(bets) - 2

    # Run again for the same fire time: nothing more happens.
    again = subprocess.run(
        [*BENNY, "scheduler", "--once", "trading", "--json"], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert [r["status"] for r in json.loads(again.stdout)] == ["skipped"]
    assert len(_bets(any_engine)[0]) == len(bets)
