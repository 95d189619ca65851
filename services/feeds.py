"""Where collected data comes from: the real providers, or the simulated book on the injected clock.

The simulated book answers through an httpx transport in the providers' own JSON, so the same
fetch-and-parse code runs on both paths.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache

import httpx

from core.collectors.espn_client import ESPN_BASE_URL
from core.collectors.oddsapi_client import DEFAULT_BASE_URL
from core.collectors.simbook import SimbookTransport
from core.sim.world import SimWorld
from services.context import ToolContext

ODDS_MARKETS = ("h2h", "spreads", "totals")
SIM_KEY = "simulated"  # the simulated book wants an apiKey like the real one; any value will do
TIMEOUT = httpx.Timeout(20.0, connect=10.0)


# Every region the simulated book quotes: it costs nothing, and the sharp book sits in ``eu``.
SIM_REGIONS = ("us", "eu", "uk")


@lru_cache(maxsize=4)
def sim_world(seed: int) -> SimWorld:
    """One simulated world per seed per process (it is deterministic, so sharing it is safe)."""
    return SimWorld(seed)


def _sim_transport(ctx: ToolContext) -> httpx.AsyncBaseTransport:
    return SimbookTransport(sim_world(ctx.settings.sim_seed), ctx.clock)


@asynccontextmanager
async def odds_http(ctx: ToolContext, source: str) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """An HTTP client for The Odds API (real or simulated) and the key to send."""
    if source == "sim":
        async with httpx.AsyncClient(
            transport=ctx.transport or _sim_transport(ctx), base_url=DEFAULT_BASE_URL
        ) as http:
            yield http, SIM_KEY
        return
    key = ctx.settings.odds_api_key
    if key is None:
        raise RuntimeError("odds_http('oddsapi') needs ODDS_API_KEY; the caller checks this first")
    async with httpx.AsyncClient(
        transport=ctx.transport, timeout=TIMEOUT, headers={"Accept-Encoding": "gzip"}
    ) as http:
        yield http, key.get_secret_value()


@asynccontextmanager
async def espn_http(ctx: ToolContext, source: str) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """An HTTP client for ESPN's site API (real or simulated) and its base URL."""
    if source == "sim":
        async with httpx.AsyncClient(transport=ctx.transport or _sim_transport(ctx)) as http:
            yield http, ESPN_BASE_URL
        return
    async with httpx.AsyncClient(transport=ctx.transport, timeout=TIMEOUT) as http:
        yield http, ESPN_BASE_URL
