"""Benny's own /health, served by the real app ahead of Chainlit's."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from store import migrate
from tests.app.conftest import LiveApp, benny

JOBS = {"odds", "outcomes", "injuries", "closing", "analysis", "user_models", "adjustments", "trading"}


_tokens: dict[str, str] = {}


def detail(app: LiveApp) -> dict[str, Any]:
    """/health/detail with an API token of the user 'local' (made once per server)."""
    if app.url not in _tokens:
        _tokens[app.url] = benny(app.env, "users", "token", "local").strip()
    token = _tokens[app.url]
    response = httpx.get(f"{app.url}/health/detail", headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def running_health(app: LiveApp, *, within_s: float = 10.0) -> dict[str, Any]:
    """/health/detail once the embedded scheduler runs: it starts just after the app answers."""
    deadline = time.monotonic() + within_s
    while True:
        body = detail(app)
        if body["scheduler"]["state"] == "running" and body["scheduler"]["alive"]:
            return body
        assert time.monotonic() < deadline, f"the scheduler did not come up: {body}\n{app.log.read_text()}"
        time.sleep(0.2)  # polling: the app gives no signal when its loop takes the lock


def test_health_is_bennys_json_and_says_nothing_of_the_host(live_app: LiveApp) -> None:
    response = httpx.get(f"{live_app.url}/health", timeout=5)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "schema": migrate.head_revision(),
        "feed": "sim",
        "llm": "offline",
        "service": "benny",
    }


def test_health_detail_reports_the_scheduler_and_the_credits(live_app: LiveApp) -> None:
    assert httpx.get(f"{live_app.url}/health/detail", timeout=5).status_code == 401
    body = detail(live_app)
    assert isinstance(body.pop("credits_remaining"), int)  # the simulated book reports a quota too
    assert body.pop("process").rsplit(":", 1)[1].isdigit()  # host:pid of the Chainlit process
    # No scheduler here (BENNY_SCHEDULER=false) and none elsewhere: reported, and the app still ok.
    assert body.pop("scheduler") == {
        "enabled": False,
        "state": "off",
        "alive": False,
        "runner": None,
        "last_success": dict.fromkeys(JOBS),
    }
    assert body == {
        **httpx.get(f"{live_app.url}/health", timeout=5).json(),
        "problem": None,
        "schema_head": migrate.head_revision(),
    }


def test_health_shows_the_embedded_scheduler_running(scheduler_app: LiveApp) -> None:
    body = running_health(scheduler_app)
    assert body["status"] == "ok"
    scheduler = body["scheduler"]
    assert scheduler["enabled"] is True
    assert scheduler["runner"]  # host:pid of the app's Chainlit process
    assert set(scheduler["last_success"]) == JOBS
    assert isinstance(body["credits_remaining"], int)


def test_the_chat_page_is_still_chainlits(live_app: LiveApp) -> None:
    response = httpx.get(live_app.url, timeout=5)
    assert response.status_code == 200
    assert "<html" in response.text.lower()


def test_a_sigterm_to_benny_run_alone_stops_the_app(tmp_path: Path) -> None:
    from tests.app.conftest import ROOT, _base_env, _benny, _free_port, wait_until_serving
    from tests.conftest import NOW

    port = _free_port()
    env = _base_env(tmp_path / "home", NOW)
    with (tmp_path / "run.log").open("w") as log:
        parent = subprocess.Popen(
            [*_benny(), "run", "--port", str(port)], env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", parent, tmp_path / "run.log")
        parent.send_signal(signal.SIGTERM)  # the parent only, as a process manager would
        parent.wait(timeout=30)
        with pytest.raises(httpx.TransportError):  # the Chainlit child went with it
            httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
    finally:
        if parent.poll() is None:
            os.killpg(parent.pid, signal.SIGKILL)
