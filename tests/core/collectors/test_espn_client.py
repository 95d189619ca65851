"""ESPN fetching: what the client sends, and what it does when ESPN (or the network) fails."""

from __future__ import annotations

import asyncio
from datetime import datetime

import httpx
import numpy as np
import pytest

from core.collectors.espn_client import fetch_injuries, fetch_scoreboard, fetch_summary
from core.collectors.http import RetryPolicy
from core.errors import InvalidInput, UpstreamError
from core.sports import Sport
from tests.core.collectors.support import FakeSleep, fetch


def test_espn_5xx_is_retried_then_succeeds() -> None:
    answers = iter([httpx.Response(503), httpx.Response(200, json={"injuries": []})])
    payload, recorder, sleep = fetch(
        lambda request: next(answers),
        lambda http, s: fetch_injuries(http, Sport.NHL, sleep=s, rng=np.random.default_rng(1)),
    )
    assert payload == {"injuries": []}
    assert recorder.calls == 2 and len(sleep.delays) == 1
    assert recorder.requests[0].url.path == "/apis/site/v2/sports/hockey/nhl/injuries"


def test_espn_404_is_not_retried() -> None:
    with pytest.raises(UpstreamError, match=r"ESPN /soccer/eng.1/summary failed: HTTP 404$"):
        fetch(
            lambda request: httpx.Response(404, json={"code": 404}),
            lambda http, s: fetch_summary(http, Sport.EPL, "123", sleep=s),
        )


def test_espn_gives_up_after_bounded_retries() -> None:
    seen: list[httpx.Request] = []

    def always_down(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(500)

    sleep = FakeSleep()

    async def scenario() -> None:
        async with httpx.AsyncClient(transport=httpx.MockTransport(always_down)) as http:
            await fetch_scoreboard(
                http, Sport.MLB, policy=RetryPolicy(max_retries=2), sleep=sleep, rng=np.random.default_rng(2)
            )

    with pytest.raises(UpstreamError, match="HTTP 500 \\(gave up after 3 attempts\\)"):
        asyncio.run(scenario())
    assert len(seen) == 3 and len(sleep.delays) == 2


def test_espn_timeouts_raise_upstream_error() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("connect timed out", request=request)

    with pytest.raises(UpstreamError, match="timed out after 5 attempt"):
        fetch(slow, lambda http, s: fetch_scoreboard(http, Sport.NBA, sleep=s))


def test_espn_malformed_json() -> None:
    with pytest.raises(UpstreamError, match="malformed JSON"):
        fetch(
            lambda request: httpx.Response(200, text="{truncated"),
            lambda http, s: fetch_scoreboard(http, Sport.NBA, sleep=s),
        )


def test_espn_fetch_arguments_are_checked() -> None:
    def never(request: httpx.Request) -> httpx.Response:
        raise AssertionError("no request may be sent")

    with pytest.raises(InvalidInput, match="event_id"):
        fetch(never, lambda http, s: fetch_summary(http, Sport.NBA, "../teams", sleep=s))
    with pytest.raises(InvalidInput, match="not a datetime"):
        fetch(never, lambda http, s: fetch_scoreboard(http, Sport.NBA, datetime(2026, 3, 1), sleep=s))
