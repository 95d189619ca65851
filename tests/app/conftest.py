"""A real Benny server for the app's tests: `benny init --demo`, then `benny run` on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import NOW, ROOT


@dataclass(frozen=True)
class LiveApp:
    url: str
    env: dict[str, str]
    log: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _benny() -> list[str]:
    return [sys.executable, "-c", "import cli; cli.main()"]


@pytest.fixture(scope="session")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApp]:
    home = tmp_path_factory.mktemp("live")
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("DATABASE_URL", "BENNY_DATABASE_URL", "ODDS_API_KEY", "ANTHROPIC_API_KEY", "BENNY_FEED")
    }
    env.update({"BENNY_HOME": str(home), "BENNY_NOW": NOW.isoformat(), "PYTHONUNBUFFERED": "1"})
    subprocess.run([*_benny(), "init", "--demo"], env=env, cwd=ROOT, check=True, capture_output=True)
    port = _free_port()
    log = home / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [*_benny(), "run", "--port", str(port)], env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass  # not listening yet
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the app did not come up; its log:\n{log.read_text()}")
            time.sleep(0.2)  # polling the port: there is no readiness signal to wait on
        yield LiveApp(url=url, env=env, log=log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
