"""An HTTP load, open or closed loop: the client process of ``bench_api_load`` (run it as its own process).

Open loop (``--rate``): each client has its own token and sends on a fixed schedule whatever the
answers do, so a slow server meets the same offered load (no coordinated omission): a request's
latency counts from the moment it was due, not from when it was sent. Closed loop
(``--closed N``): N workers each send their next request as soon as the last is answered, so
the server is never idle and what it answers a second is its capacity. Prints one JSON object:
per-request latencies in milliseconds (also by status), the status counts and the achieved rate.

    python -m bench.load_client URL TOKENS_FILE --rate 200 --seconds 30
    python -m bench.load_client URL TOKENS_FILE --closed 8 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

PATHS = ("/api/v1/games?sport=nba", "/api/v1/model-comparison?days=30")


async def _client(
    base: str,
    token: str,
    offset: float,
    interval: float,
    until: float,
    start: float,
    out: dict[str, list[Any]],
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30.0, limits=limits) as http:
        pending: list[asyncio.Task[None]] = []
        n = 0
        while True:
            due = start + offset + n * interval
            if due >= until:
                break
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            pending.append(asyncio.create_task(_one(http, PATHS[n % len(PATHS)], due, out)))
            n += 1
        await asyncio.gather(*pending)


async def _one(http: httpx.AsyncClient, path: str, due: float, out: dict[str, list[Any]]) -> None:
    try:
        response = await http.get(path)
        status = str(response.status_code)
    except httpx.HTTPError as exc:
        status = type(exc).__name__
    out["latency_ms"].append((time.perf_counter() - due) * 1000)
    out["status"].append(status)


def _summary(out: dict[str, list[Any]], seconds: float) -> dict[str, object]:
    by_status: dict[str, list[float]] = {}
    for status, latency in zip(out["status"], out["latency_ms"], strict=True):
        by_status.setdefault(status, []).append(latency)
    return {
        "latency_ms": out["latency_ms"],
        "latency_ms_by_status": by_status,
        "status": dict(Counter(out["status"])),
        "requests": len(out["status"]),
        "seconds": seconds,
    }


async def closed_loop(base: str, tokens: list[str], workers: int, seconds: float) -> dict[str, object]:
    """``workers`` requests always in flight for ``seconds``: the server's capacity, as it answers."""
    out: dict[str, list[Any]] = {"latency_ms": [], "status": []}
    start = time.perf_counter()
    until = start + seconds

    async def worker(i: int) -> None:
        headers = {"Authorization": f"Bearer {tokens[i % len(tokens)]}"}
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30.0) as http:
            n = i
            while (due := time.perf_counter()) < until:
                await _one(http, PATHS[n % len(PATHS)], due, out)
                n += 1

    await asyncio.gather(*(worker(i) for i in range(workers)))
    return _summary(out, time.perf_counter() - start)


async def main_async(base: str, tokens: list[str], rate: float, seconds: float) -> dict[str, object]:
    per_client = rate / len(tokens)
    interval = 1.0 / per_client
    out: dict[str, list[Any]] = {"latency_ms": [], "status": []}
    start = time.perf_counter() + 0.5
    until = start + seconds
    await asyncio.gather(
        *(
            _client(base, token, offset=i * interval / len(tokens), interval=interval, until=until,
                    start=start, out=out)
            for i, token in enumerate(tokens)
        )
    )  # fmt: skip
    return _summary(out, time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("tokens", type=Path, help="a JSON list of tokens, one per client")
    parser.add_argument("--rate", type=float, default=200.0, help="requests a second, all clients together")
    parser.add_argument("--closed", type=int, metavar="N", help="closed loop: N requests always in flight")
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    tokens = json.loads(args.tokens.read_text())
    if args.closed:
        result = asyncio.run(closed_loop(args.url, tokens, args.closed, args.seconds))
    else:
        result = asyncio.run(main_async(args.url, tokens, args.rate, args.seconds))
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
