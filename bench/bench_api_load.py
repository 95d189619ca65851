"""The REST API under load: 200 requests a second for 30 s against /games and /model-comparison.

The app (`benny run`, SQLite, the scheduler off) serves a demo database with an analysis run;
twenty users each get a token. A separate process (``bench.load_client``) offers the load open
loop on loopback, ten requests a second per token, alternating the two routes. Reported: p50 and
p95 latency from each request's due time, errors (anything but 200), and the rate achieved.
Quick mode offers 50 a second for 5 s.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.harness import Figure

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2025, 1, 15, 18, 0, tzinfo=UTC)
CLIENTS = 20


def _prepare(home: Path, url: str) -> list[str]:
    from dataclasses import replace

    from core.clock import FixedClock
    from core.settings import load_settings
    from services.demo import seed_demo
    from services.setup import prepare_database
    from services.tokens import issue_token
    from store.db import unit_of_work
    from store.users import create_user
    from tools.context import bind, open_context
    from tools.predictions import analyze

    settings = load_settings(
        _env_file=None, BENNY_HOME=str(home), DATABASE_URL=url, BENNY_NOW=NOW.isoformat()
    )
    engine = prepare_database(settings)
    ctx = replace(open_context(settings=settings, engine=engine), clock=FixedClock(NOW))
    seed_demo(ctx)
    with bind(ctx):
        analyze(hours=48)
    names = [f"client{i:02d}" for i in range(CLIENTS)]
    with unit_of_work(engine) as session:
        for name in names:
            create_user(session=session, name=name, now=NOW)
    tokens = [issue_token(engine=engine, user=name, now=NOW).token for name in names]
    engine.dispose()
    return tokens


def _port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run(quick: bool = False) -> list[Figure]:
    rate, seconds = (50.0, 5.0) if quick else (200.0, 30.0)
    with tempfile.TemporaryDirectory(prefix="benny-api-load-") as folder:
        home = Path(folder)
        url = f"sqlite:///{home / 'benny.db'}"
        tokens = _prepare(home, url)
        (home / "tokens.json").write_text(json.dumps(tokens))
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("BENNY_", "DATABASE_URL", "ODDS_API"))
        }
        env.pop("ANTHROPIC_API_KEY", None)
        env.update(
            BENNY_HOME=str(home), DATABASE_URL=url, BENNY_NOW=NOW.isoformat(), BENNY_SCHEDULER="false",
            BENNY_LOG_LEVEL="WARNING",
        )  # fmt: skip
        port = _port()
        with (home / "server.log").open("w") as log:
            server = subprocess.Popen(
                [sys.executable, "-c", "import cli; cli.main()", "run", "--port", str(port)],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/api/v1/openapi.json", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass  # not listening yet
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the app did not start:\n{(home / 'server.log').read_text()}")
                time.sleep(0.2)  # polling the port: the app gives no readiness signal
            for path in ("/api/v1/games?sport=nba", "/api/v1/model-comparison?days=30"):  # warm caches
                httpx.get(base + path, headers={"Authorization": f"Bearer {tokens[0]}"}, timeout=30)
            load = subprocess.run(
                [sys.executable, "-m", "bench.load_client", base, str(home / "tokens.json"),
                 "--rate", str(rate), "--seconds", str(seconds)],
                cwd=ROOT, capture_output=True, text=True, check=True, timeout=seconds + 120,
            )  # fmt: skip
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    result = json.loads(load.stdout)
    latencies = sorted(result["latency_ms"])
    quantiles = statistics.quantiles(latencies, n=100)
    errors = sum(n for status, n in result["status"].items() if status != "200")
    achieved = result["requests"] / result["seconds"]
    note = f"{result['requests']} requests, {CLIENTS} tokens, statuses {result['status']}"
    return [
        Figure(f"API p50 at {rate:.0f} req/s ({seconds:.0f} s)", quantiles[49], "ms", note=note),
        Figure(f"API p95 at {rate:.0f} req/s ({seconds:.0f} s)", quantiles[94], "ms", 100.0),
        Figure("API errors under load", float(errors), "requests", 0.0),
        Figure("API rate achieved", achieved, "req/s", rate * 0.95, lower_is_better=False),
    ]
