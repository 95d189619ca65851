"""Load shedding on the REST API: with its requests at the limit, one more is a 503 with Retry-After.

Not timed: a request is held inside the API (its runtime call waits on an event) while another
arrives, so the limit is full for certain.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy.engine import Engine

from core.errors import ConfigError
from core.settings import Settings
from services.setup import prepare_database
from tests.conftest import make_settings
from web.rest import build_api


@pytest.fixture
def settings(sqlite_url: str) -> Settings:
    return make_settings(sqlite_url, BENNY_API_MAX_IN_FLIGHT=1)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = prepare_database(settings)
    yield engine
    engine.dispose()


def test_a_full_api_answers_503_with_retry_after_at_once_and_serves_again_when_a_slot_frees(
    settings: Settings, engine: Engine
) -> None:
    inside, release = threading.Event(), threading.Event()
    calls = 0

    def runtime() -> tuple[Settings, Engine]:
        nonlocal calls
        calls += 1
        if calls == 2:  # the first request's route (the first call reads the limit): hold it there
            inside.set()
            release.wait(timeout=10)
        return settings, engine

    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=build_api(runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://benny") as http:
            held = asyncio.create_task(http.get("/games", params={"sport": "nba"}))
            assert await asyncio.to_thread(inside.wait, 10)
            refused = await http.get("/games", params={"sport": "nba"})
            release.set()
            return [refused, await held, await http.get("/games", params={"sport": "nba"})]

    refused, held, after = asyncio.run(go())
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert refused.json() == {"detail": "Benny is busy: retry after 1 s"}
    assert (held.status_code, after.status_code) == (200, 200)


def test_the_limit_is_a_setting_with_a_default() -> None:
    assert make_settings("sqlite://").api_max_in_flight == 8
    with pytest.raises(ConfigError):
        make_settings("sqlite://", BENNY_API_MAX_IN_FLIGHT=0)
