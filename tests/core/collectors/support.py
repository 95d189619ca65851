"""Helpers for collector tests: a recording mock transport, a fake sleep and canned responses.

No test here opens a socket or really waits."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

# A key shaped like a real one and unlikely to occur by accident in any text.
API_KEY = "k3y-0f-the-t3st-9d8c7b6a5f4e3d2c"
QUOTA_HEADERS = {"x-requests-remaining": "497", "x-requests-used": "3", "x-requests-last": "3"}

Handler = Callable[[httpx.Request], httpx.Response]
T = TypeVar("T")


@dataclass
class FakeSleep:
    """Stands in for asyncio.sleep: records each delay and returns at once."""

    delays: list[float] = field(default_factory=list)

    async def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


@dataclass
class Recorder:
    """A MockTransport handler wrapper that keeps every request it saw, key filtered out."""

    handler: Handler
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)

    @property
    def calls(self) -> int:
        return len(self.requests)

    def params(self, index: int = -1) -> dict[str, str]:
        """The query of one request without ``apiKey`` (as a cassette would store it)."""
        query = dict(self.requests[index].url.params)
        query.pop("apiKey", None)
        return query

    def sent_key(self, index: int = -1) -> str | None:
        value: str | None = self.requests[index].url.params.get("apiKey")
        return value


def mock_transport(handler: Handler) -> tuple[httpx.MockTransport, Recorder]:
    """A transport for ``httpx.AsyncClient(transport=...)`` (opened inside the test's coroutine)."""
    recorder = Recorder(handler)
    return httpx.MockTransport(recorder), recorder


def fetch(
    handler: Handler, call: Callable[[httpx.AsyncClient, FakeSleep], Awaitable[T]]
) -> tuple[T, Recorder, FakeSleep]:
    """Run one fetch (``call(http, sleep)``) over a mock transport answering with ``handler``."""
    transport, recorder = mock_transport(handler)
    sleep = FakeSleep()

    async def scenario() -> T:
        async with httpx.AsyncClient(transport=transport) as http:
            return await call(http, sleep)

    return asyncio.run(scenario()), recorder, sleep


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(payload).encode(), headers=headers or {})


def error_body(code: str, message: str) -> dict[str, str]:
    return {
        "message": message,
        "error_code": code,
        "details_url": f"https://the-odds-api.com/liveapi/guides/v4/api-error-codes.html#{code.lower()}",
    }


def load(path: Path) -> Any:
    return json.loads(path.read_text())
