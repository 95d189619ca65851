"""The REST API under load: as served (answers cached 2 s), and its capacity and shedding with no cache.

The app (`benny run`, SQLite, the scheduler off) serves a demo database with an analysis run;
twenty users each get a token. A separate process (``bench.load_client``) sends the load on
loopback, alternating /games and /model-comparison. Latency counts from each request's due time.

1. As served: 200 requests a second for 30 s, open loop, ten a second per token. Reported: p50
   and p95 latency, errors (anything but 200), and the rate achieved.
2. With the answer cache off (``BENNY_API_CACHE_SECONDS=0``), every request doing its work, and
   the rate limit out of the way:
   - the saturation rate: the 200s answered a second with ``WORKERS`` requests always in flight
     (closed loop, 10 s), the most the server gets through;
   - 80% of that rate for 20 s, open loop: p95 latency and errors (a 503 here is an error);
   - 150% of it for 10 s: past capacity the API must refuse what it cannot serve (503 with
     Retry-After) rather than queue it, so the slowest 503 and the p95 of every answer stay
     under a second.

Quick mode offers 50 a second for 5 s, and runs the phases without the cache for 2 s each.
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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench.harness import Figure

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2025, 1, 15, 18, 0, tzinfo=UTC)
CLIENTS = 20
WORKERS = 8  # the closed loop's requests in flight: enough to keep the server busy, under the API's limit


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


@contextmanager
def _serving(home: Path, url: str, **settings: str) -> Iterator[str]:
    """`benny run` on ``home``'s database with ``settings``, until the block ends; its base URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BENNY_", "DATABASE_URL", "ODDS_API"))}
    env.pop("ANTHROPIC_API_KEY", None)
    env.update(
        BENNY_HOME=str(home), DATABASE_URL=url, BENNY_NOW=NOW.isoformat(), BENNY_SCHEDULER="false",
        BENNY_LOG_LEVEL="WARNING", **settings,
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
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def _load(base: str, tokens: Path, seconds: float, *how: str) -> dict[str, Any]:
    """``bench.load_client`` against ``base`` for ``seconds`` (``how``: ``--rate R`` or ``--closed N``)."""
    tokens_list = json.loads(tokens.read_text())
    for path in ("/api/v1/games?sport=nba", "/api/v1/model-comparison?days=30"):  # warm the routes
        httpx.get(base + path, headers={"Authorization": f"Bearer {tokens_list[0]}"}, timeout=30)
    load = subprocess.run(
        [sys.executable, "-m", "bench.load_client", base, str(tokens), *how, "--seconds", str(seconds)],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=seconds + 120,
    )  # fmt: skip
    result: dict[str, Any] = json.loads(load.stdout)
    return result


def _quantile(samples: list[float], q: int) -> float:
    """The q-th percentile; the largest sample when there are too few to cut."""
    if len(samples) < 2:
        return max(samples, default=0.0)
    return statistics.quantiles(samples, n=100)[q - 1]


def _non_200(result: dict[str, Any]) -> int:
    return sum(n for status, n in result["status"].items() if status != "200")


def run(quick: bool = False) -> list[Figure]:
    rate, seconds = (50.0, 5.0) if quick else (200.0, 30.0)
    closed_s, below_s, past_s = (2.0, 2.0, 2.0) if quick else (10.0, 20.0, 10.0)
    with tempfile.TemporaryDirectory(prefix="benny-api-load-") as folder:
        home = Path(folder)
        url = f"sqlite:///{home / 'benny.db'}"
        tokens = home / "tokens.json"
        tokens.write_text(json.dumps(_prepare(home, url)))
        with _serving(home, url) as base:
            served = _load(base, tokens, seconds, "--rate", str(rate))
        uncached = {"BENNY_API_CACHE_SECONDS": "0", "BENNY_API_RATE_PER_MINUTE": "1000000"}
        with _serving(home, url, **uncached) as base:
            closed = _load(base, tokens, closed_s, "--closed", str(WORKERS))
            saturation = closed["status"].get("200", 0) / closed["seconds"]
            below = _load(base, tokens, below_s, "--rate", f"{0.8 * saturation:.1f}")
            past = _load(base, tokens, past_s, "--rate", f"{1.5 * saturation:.1f}")
    return [*_served_figures(served, rate, seconds), *_shedding_figures(saturation, closed, below, past)]


def _served_figures(result: dict[str, Any], rate: float, seconds: float) -> list[Figure]:
    latencies = result["latency_ms"]
    achieved = result["requests"] / result["seconds"]
    note = f"{result['requests']} requests, {CLIENTS} tokens, statuses {result['status']}"
    return [
        Figure(f"API p50 at {rate:.0f} req/s ({seconds:.0f} s)", _quantile(latencies, 50), "ms", note=note),
        Figure(f"API p95 at {rate:.0f} req/s ({seconds:.0f} s)", _quantile(latencies, 95), "ms", 100.0),
        Figure("API errors under load", float(_non_200(result)), "requests", 0.0),
        Figure("API rate achieved", achieved, "req/s", rate * 0.95, lower_is_better=False),
    ]


def _shedding_figures(
    saturation: float, closed: dict[str, Any], below: dict[str, Any], past: dict[str, Any]
) -> list[Figure]:
    shed = past["latency_ms_by_status"].get("503", [])
    served_p95 = _quantile(past["latency_ms_by_status"].get("200", []), 95)
    share = 100.0 * len(shed) / max(1, past["requests"])
    return [
        Figure(
            "API saturation, cache off", saturation, "req/s", lower_is_better=False,
            note=f"{WORKERS} requests in flight for {closed['seconds']:.0f} s, statuses {closed['status']}",
        ),
        Figure(
            "API p95 at 80% of saturation, cache off", _quantile(below["latency_ms"], 95), "ms",
            note=f"{0.8 * saturation:.0f} req/s offered, p50 {_quantile(below['latency_ms'], 50):.0f} ms, "
            f"statuses {below['status']}",
        ),
        Figure("API errors at 80% of saturation, cache off", float(_non_200(below)), "requests", 0.0),
        Figure(
            "API p95 past saturation (150%), cache off", _quantile(past["latency_ms"], 95), "ms", 1000.0,
            note=f"{1.5 * saturation:.0f} req/s offered, {share:.0f}% answered 503, "
            f"statuses {past['status']}; p95 of the 200s {served_p95:.0f} ms",
        ),
        Figure(
            "API slowest 503 past saturation, cache off", max(shed, default=float("inf")), "ms", 1000.0,
            note=f"{len(shed)} answered 503" if shed else "no request was answered 503",
        ),
    ]  # fmt: skip
