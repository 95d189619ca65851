"""/health and the embedded scheduler, no server: an unreachable database, a loop started and stopped."""

from __future__ import annotations

import asyncio
import json
import threading
import time

import pytest

from tests.conftest import NOW
from web import app_state, chat, routes


def test_unreachable_database_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    monkeypatch.setenv("BENNY_DATABASE_URL", "postgresql+psycopg://benny@127.0.0.1:1/benny?connect_timeout=2")
    monkeypatch.setattr(app_state, "_runtime", [])
    response = routes.health()
    body = json.loads(response.body)
    assert response.status_code == 503
    assert body["status"] == "degraded"
    assert body["database"].startswith("error: cannot reach the database")
    # Unread, not guessed: no scheduler in this process, and nothing known of the others.
    assert body["scheduler"] == {
        "enabled": False,
        "state": "off",
        "alive": None,
        "runner": None,
        "last_success": {},
    }
    assert body["credits_remaining"] is None


def test_the_embedded_loop_runs_and_lets_a_job_under_way_finish_on_shutdown(
    monkeypatch: pytest.MonkeyPatch, sqlite_url: str
) -> None:
    monkeypatch.setenv("BENNY_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("BENNY_NOW", NOW.isoformat())
    monkeypatch.setattr(app_state, "_runtime", [])
    monkeypatch.setattr(app_state, "_live_loop", [])
    rt = app_state.runtime()
    started, finished = threading.Event(), threading.Event()

    def slow_job() -> None:  # a job on the scheduler's worker thread, still busy when the app stops
        loop = app_state.live_loop()
        assert loop is not None
        with loop.working():  # as the scheduler's entry points count every job
            started.set()
            time.sleep(0.5)
            finished.set()

    async def app_lifetime() -> tuple[dict[str, object], bool, str]:
        app_state.start_live_loop(rt)
        loop = app_state.live_loop()
        assert loop is not None
        while loop.state != "running":
            await asyncio.sleep(0.01)
        body = json.loads((await asyncio.to_thread(routes.health)).body)
        assert loop.scheduler is not None
        loop.scheduler.add_job(slow_job, jobstore="process")
        await asyncio.to_thread(started.wait, 5)
        await chat.shut_down()  # the app's shutdown hook
        return body["scheduler"], finished.is_set(), loop.state  # before asyncio.run waits for threads

    try:
        scheduler, job_finished, state = asyncio.run(asyncio.wait_for(app_lifetime(), timeout=20))
    finally:
        rt.engine.dispose()
    assert scheduler["enabled"] is True and scheduler["state"] == "running" and scheduler["alive"] is True
    assert job_finished  # Chainlit exits right after the hook: the job must finish inside it
    assert state == "stopped"
