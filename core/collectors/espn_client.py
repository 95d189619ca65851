"""ESPN's public site API, fetched: scoreboards, game summaries (box scores) and injury reports.

``fetch_scoreboard``, ``fetch_summary`` and ``fetch_injuries`` GET
``https://site.api.espn.com/apis/site/v2/sports/{path}/...`` through the shared retrying GET
(no key needed) and return the decoded JSON. Any non-2xx answer after retries, a transport
failure or a body that is not JSON raises ``UpstreamError``. ``core.collectors.espn_parse``
turns the payloads into domain values.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import httpx
import numpy as np

from core.collectors.http import RetryPolicy, Sleep, decode_json, get_with_retries
from core.errors import InvalidInput, UpstreamError
from core.sports import Sport

__all__ = [
    "ESPN_BASE_URL",
    "PROVIDER",
    "SPORT_PATHS",
    "fetch_injuries",
    "fetch_scoreboard",
    "fetch_summary",
]

logger = logging.getLogger(__name__)

ESPN_BASE_URL = "https://site.api.espn.com/apis/site/v2/sports"
PROVIDER = "ESPN"
SPORT_PATHS: Mapping[Sport, str] = {
    Sport.NBA: "basketball/nba",
    Sport.NFL: "football/nfl",
    Sport.MLB: "baseball/mlb",
    Sport.NHL: "hockey/nhl",
    Sport.EPL: "soccer/eng.1",
}
_EVENT_ID = re.compile(r"^\d+$")

DEFAULT_POLICY = RetryPolicy()  # frozen, so one shared default is safe


async def _fetch(
    http: httpx.AsyncClient,
    sport: Sport,
    resource: str,
    params: dict[str, str | int | float],
    *,
    base_url: str,
    policy: RetryPolicy,
    sleep: Sleep,
    rng: np.random.Generator | None,
) -> Any:
    if sport not in SPORT_PATHS:
        raise InvalidInput(f"sport must be one of {', '.join(SPORT_PATHS)}, got {sport!r}")
    path = f"/{SPORT_PATHS[sport]}/{resource}"
    fetched = await get_with_retries(
        http,
        base_url.rstrip("/") + path,
        params=params,
        policy=policy,
        sleep=sleep,
        rng=rng if rng is not None else np.random.default_rng(),
        provider=PROVIDER,
        endpoint=path,
    )
    response = fetched.response
    logger.log(
        logging.INFO if response.is_success else logging.WARNING,
        "%s %s -> HTTP %d",
        PROVIDER,
        path,
        response.status_code,
        extra={
            "provider": PROVIDER,
            "endpoint": path,
            "sport": sport.value,
            "status": response.status_code,
            "attempts": fetched.attempts,
        },
    )
    if not response.is_success:
        tries = f" (gave up after {fetched.attempts} attempts)" if fetched.attempts > 1 else ""
        raise UpstreamError(f"{PROVIDER} {path} failed: HTTP {response.status_code}{tries}")
    return decode_json(response, provider=PROVIDER, endpoint=path)


async def fetch_scoreboard(
    http: httpx.AsyncClient,
    sport: Sport,
    day: date | None = None,
    *,
    base_url: str = ESPN_BASE_URL,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Sleep = asyncio.sleep,
    rng: np.random.Generator | None = None,
) -> Any:
    """The scoreboard for ``day`` (ESPN's calendar day, US Eastern), or today's when None."""
    params: dict[str, str | int | float] = {}
    if day is not None:
        if isinstance(day, datetime):  # a datetime is a date too, but its day is ambiguous here
            raise InvalidInput(f"day must be a date, not a datetime, got {day!r}")
        params["dates"] = day.strftime("%Y%m%d")
    return await _fetch(
        http, sport, "scoreboard", params, base_url=base_url, policy=policy, sleep=sleep, rng=rng
    )


async def fetch_summary(
    http: httpx.AsyncClient,
    sport: Sport,
    event_id: str,
    *,
    base_url: str = ESPN_BASE_URL,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Sleep = asyncio.sleep,
    rng: np.random.Generator | None = None,
) -> Any:
    """One game's summary (box score, header, odds…) by ESPN event id."""
    if not _EVENT_ID.fullmatch(str(event_id)):
        raise InvalidInput(f"event_id must be ESPN's numeric event id, got {event_id!r}")
    return await _fetch(
        http,
        sport,
        "summary",
        {"event": str(event_id)},
        base_url=base_url,
        policy=policy,
        sleep=sleep,
        rng=rng,
    )


async def fetch_injuries(
    http: httpx.AsyncClient,
    sport: Sport,
    *,
    base_url: str = ESPN_BASE_URL,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Sleep = asyncio.sleep,
    rng: np.random.Generator | None = None,
) -> Any:
    """The league-wide injury report (every team's list)."""
    return await _fetch(http, sport, "injuries", {}, base_url=base_url, policy=policy, sleep=sleep, rng=rng)
