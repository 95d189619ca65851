"""Real Benny servers for the app's tests, and the browser that drives them.

- ``live_app``: `benny init --demo`, then `benny run` on a free port; no login (the default).
- ``scheduler_app``: the same with the live loop embedded (``BENNY_SCHEDULER=true``), for /health
  and /metrics. The other servers run without it: its jobs fire on the wall clock, so a run could
  land in the middle of a browser test and change what it reads.
- ``auth_app``: the same with ``BENNY_AUTH=1`` and a user with a password, on a clock pinned in
  November 2025 after a day of graded predictions, so the leaderboard has rows to chart.
- ``logins_app``: logins on with users alice, bob, carol and dave (all with ``PASSWORD``) on the demo
  data, for Chainlit's thread routes and the login throttle; its throttle tests log in from
  other loopback addresses than 127.0.0.1, which the route tests use.
- ``browser``: Debian's Chromium through Playwright, per module (Playwright's sync API keeps an
  event loop running while it is open, which ``asyncio.run`` in other tests cannot share).
  Without Chromium (or Playwright) the browser tests skip, unless BENNY_REQUIRE_BROWSER=1 (as in
  CI), where they fail instead.

`benny run` starts Chainlit as a child process, so each server runs in a process group of its
own and is stopped as a group: stopping only `benny run` would leave Chainlit serving the port.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import NOW, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = ROOT / "tests" / "artifacts"

# A Wednesday evening with the NBA, NFL and NHL in season: predictions are made then, graded by
# the Friday noon the server's clock is pinned to.
PREDICTED_AT = datetime(2025, 11, 5, 18, 0, tzinfo=UTC)
AUTH_NOW = datetime(2025, 11, 7, 12, 0, tzinfo=UTC)
USER, PASSWORD = "alice", "correct horse battery staple"

_NOT_INHERITED = (
    "DATABASE_URL",
    "BENNY_DATABASE_URL",
    "ODDS_API_KEY",
    "ANTHROPIC_API_KEY",
    "BENNY_FEED",
    "BENNY_AUTH",
    "CHAINLIT_AUTH_SECRET",
)


@dataclass(frozen=True)
class LiveApp:
    url: str
    env: dict[str, str]
    log: Path

    @property
    def home(self) -> Path:
        return Path(self.env["BENNY_HOME"])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _benny() -> list[str]:
    return [sys.executable, "-c", "import cli; cli.main()"]


def benny(env: dict[str, str], *args: str, now: datetime | None = None, stdin: str | None = None) -> str:
    """Run one `benny` command to completion; its stdout."""
    run_env = {**env, "BENNY_NOW": now.isoformat()} if now is not None else env
    done = subprocess.run(
        [*_benny(), *args], env=run_env, cwd=ROOT, input=stdin, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, f"benny {' '.join(args)} failed:\n{done.stderr}"
    return done.stdout


def _base_env(home: Path, now: datetime, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _NOT_INHERITED}
    env.update(
        {
            "BENNY_HOME": str(home),
            "BENNY_NOW": now.isoformat(),
            "BENNY_SCHEDULER": "false",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }
    )
    return env


def wait_until_serving(url: str, process: subprocess.Popen[Any], log: Path) -> None:
    """Poll ``url``/health until it answers 200; fail with the app's log if it dies or takes a minute."""
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the app did not come up; its log:\n{log.read_text()}")
        time.sleep(0.2)  # polling the port: there is no readiness signal to wait on


def start_app(env: dict[str, str], log: Path) -> tuple[subprocess.Popen[Any], str]:
    """`benny run` on a free port, its output in ``log``; returns once it serves, with its URL."""
    port = _free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [*_benny(), "run", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, process, log)
    except BaseException:
        stop_app(process)
        raise
    return process, url


def stop_app(process: subprocess.Popen[Any], *, timeout: float = 30) -> None:
    """SIGTERM to `benny run` and its Chainlit child; SIGKILL if they outlast ``timeout``."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _serve(env: dict[str, str], home: Path) -> Iterator[LiveApp]:
    log = home / "server.log"
    server, url = start_app(env, log)
    try:
        yield LiveApp(url=url, env=env, log=log)
    finally:
        stop_app(server, timeout=10)


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    home = tmp_path_factory.mktemp("live")
    env = _base_env(home, NOW)
    benny(env, "init", "--demo")
    yield from _serve(env, home)


@pytest.fixture(scope="session")
def scheduler_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    home = tmp_path_factory.mktemp("scheduler")
    env = _base_env(home, NOW, BENNY_SCHEDULER="true")
    benny(env, "init", "--demo")
    yield from _serve(env, home)


@pytest.fixture(scope="session")
def auth_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    """Logins on; alice's password set; a day of predictions graded (the demo book's results)."""
    home = tmp_path_factory.mktemp("auth")
    env = _base_env(home, AUTH_NOW, BENNY_AUTH="1")
    benny(env, "init", "--demo", now=PREDICTED_AT)
    benny(env, "analyze", now=PREDICTED_AT)
    benny(env, "init", "--demo")  # two days on: new prices, and the results that grade the predictions
    benny(env, "verify")
    benny(env, "users", "create", USER, "--password-stdin", stdin=f"{PASSWORD}\n")
    yield from _serve(env, home)


@pytest.fixture(scope="session")
def logins_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    home = tmp_path_factory.mktemp("logins")
    env = _base_env(home, NOW, BENNY_AUTH="1")
    benny(env, "init", "--demo")
    for name in ("alice", "bob", "carol", "dave"):
        benny(env, "users", "create", name, "--password-stdin", stdin=f"{PASSWORD}\n")
    yield from _serve(env, home)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = ""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        reason = "Debian's Chromium is not installed (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = reason or "playwright is not installed (pip install -e '.[dev]')"
    if reason:
        if os.environ.get("BENNY_REQUIRE_BROWSER", "") not in ("", "0"):
            pytest.fail(f"BENNY_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
