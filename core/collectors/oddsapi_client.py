"""The Odds API v4, fetched: an async client over an injected ``httpx.AsyncClient``.

Every call of ``OddsApiClient`` returns an ``ApiResponse`` with the decoded payload, the quota
read from the ``x-requests-*`` headers and the credits the call should cost
(``estimate_cost``, ``scores_cost``). Errors branch on the provider's ``error_code``:

    401 INVALID_KEY / MISSING_KEY / DEACTIVATED_KEY   OddsApiError, not retried
    401 OUT_OF_USAGE_CREDITS                          OutOfCredits, not retried
    404 UNKNOWN_SPORT, 422 INVALID_MARKET / ...       OddsApiError, not retried
    429, 5xx                                          retried with backoff, then OddsApiError
    timeouts, connection errors                       retried with backoff, then UpstreamError
    200 with a body that is not JSON                  UpstreamError

The key travels as the ``apiKey`` query parameter (the provider's only option), so it is
redacted from every message and log line, and the client's repr never shows it.
``core.collectors.oddsapi_parse`` turns the payloads into domain values.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import httpx
import numpy as np

from core.collectors.http import (
    QueryValue,
    RetryPolicy,
    Sleep,
    decode_json,
    get_with_retries,
    install_log_redaction,
    redact,
)
from core.errors import InvalidInput, OddsApiError, OutOfCredits
from core.sports import Sport

__all__ = [
    "DEFAULT_BASE_URL",
    "ODDS_FORMATS",
    "PROVIDER",
    "ApiResponse",
    "DateFormat",
    "OddsApiClient",
    "OddsFormat",
    "Quota",
    "estimate_cost",
    "scores_cost",
]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.the-odds-api.com"
PROVIDER = "The Odds API"
OddsFormat = Literal["decimal", "american"]
DateFormat = Literal["iso", "unix"]
ODDS_FORMATS = ("decimal", "american")
_DATE_FORMATS = ("iso", "unix")
_BOOKS_PER_REGION = 10  # the provider bills each group of up to 10 bookmakers as one region
_SPORT_KEY = re.compile(r"^[a-z0-9_]+$")  # keys go into the URL path: nothing else may get in


# --- responses and quota -----------------------------------------------------------------


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    raw = headers.get(name)
    if raw is None:
        return None
    try:
        return int(raw)
    except ValueError:
        pass
    try:  # some responses carry "3.0"; a credit count is still a whole number
        value = float(raw)
    except ValueError:
        return None
    return int(value) if math.isfinite(value) else None


@dataclass(frozen=True, slots=True)
class Quota:
    """The three usage headers of one response; ``None`` where a header was absent or unreadable."""

    remaining: int | None
    used: int | None
    last: int | None

    @classmethod
    def from_headers(cls, headers: Mapping[str, str]) -> Quota:
        return cls(
            remaining=_header_int(headers, "x-requests-remaining"),
            used=_header_int(headers, "x-requests-used"),
            last=_header_int(headers, "x-requests-last"),
        )


@dataclass(frozen=True, slots=True)
class ApiResponse:
    """A decoded payload with the quota it left and the credits we expected it to cost.

    ``odds_format`` is set for ``/odds`` calls: pass it on to ``parse_odds``.
    """

    payload: Any
    quota: Quota
    cost_estimate: int
    odds_format: OddsFormat | None = None


# --- cost ----------------------------------------------------------------------------------


def estimate_cost(
    markets: Sequence[str], regions: Sequence[str], bookmakers: Sequence[str] | None = None
) -> int:
    """Credits an ``/odds`` call costs: markets × regions, where bookmakers (when given) replace
    regions and each group of up to 10 books counts as one region."""
    unique_markets = {m for m in markets if m}
    if not unique_markets:
        raise InvalidInput("markets must name at least one market")
    if bookmakers:
        books = {b for b in bookmakers if b}
        region_units = math.ceil(len(books) / _BOOKS_PER_REGION)
    else:
        region_units = len({r for r in regions if r})
    if region_units == 0:
        raise InvalidInput("regions (or bookmakers) must name at least one region or book")
    return len(unique_markets) * region_units


def scores_cost(days_from: int | None) -> int:
    """``/scores`` costs 2 credits with ``daysFrom`` (finished games included) and 1 without."""
    return 2 if days_from is not None else 1


# --- the client -----------------------------------------------------------------------------


def _sport_key(sport: Sport | str) -> str:
    key = str(sport).strip()
    if not _SPORT_KEY.fullmatch(key):
        raise InvalidInput(f"sport must be an Odds API sport key like 'basketball_nba', got {sport!r}")
    return key


def _iso_z(moment: datetime, name: str) -> str:
    if moment.tzinfo is None:
        raise InvalidInput(f"{name} must be timezone-aware, got {moment!r}")
    # The provider rejects fractional seconds and offsets other than Z.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _csv(values: Iterable[str], name: str) -> str:
    items = [v.strip() for v in values if v and v.strip()]
    if not items:
        raise InvalidInput(f"{name} must name at least one value")
    return ",".join(dict.fromkeys(items))  # dedupe, keep order: a repeated market is billed twice


class OddsApiClient:
    """The Odds API v4 over an injected ``httpx.AsyncClient``.

    ``sleep`` and ``rng`` drive the backoff between retries (tests inject a recorder and a
    seeded generator). The key is kept private and redacted everywhere it could leak.
    """

    def __init__(
        self,
        http: httpx.AsyncClient,
        api_key: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        sleep: Sleep = asyncio.sleep,
        rng: np.random.Generator | None = None,
        max_retries: int = 4,
        backoff_base_s: float = 0.5,
        backoff_cap_s: float = 8.0,
    ) -> None:
        if not api_key or not api_key.strip():
            raise InvalidInput("api_key must not be empty (set ODDS_API_KEY)")
        self._http = http
        self._api_key = api_key.strip()
        self._base_url = base_url.rstrip("/")
        self._sleep = sleep
        # Jitter only spreads retries apart, so an unseeded generator is fine outside tests.
        self._rng = rng if rng is not None else np.random.default_rng()
        self._policy = RetryPolicy(
            max_retries=max_retries, backoff_base_s=backoff_base_s, backoff_cap_s=backoff_cap_s
        )
        install_log_redaction()  # httpx logs full URLs (key included) at INFO
        # The quota of the latest response, errors included: after an OutOfCredits the caller
        # can still read how many credits were used when the call failed.
        self.last_quota: Quota | None = None

    def __repr__(self) -> str:
        return f"OddsApiClient(base_url={self._base_url!r}, api_key='{'*' * 3}')"

    async def sports(self, *, include_inactive: bool = False) -> ApiResponse:
        """``GET /v4/sports`` (free): the sport keys, in season or (``include_inactive``) all."""
        params: dict[str, QueryValue] = {"all": "true"} if include_inactive else {}
        return await self._get("/v4/sports", params, sport=None, cost_estimate=0)

    async def odds(
        self,
        sport: Sport | str,
        *,
        regions: Sequence[str] = ("us",),
        markets: Sequence[str] = ("h2h", "spreads", "totals"),
        odds_format: OddsFormat = "american",
        bookmakers: Sequence[str] | None = None,
        date_format: DateFormat = "iso",
        commence_from: datetime | None = None,
        commence_to: datetime | None = None,
    ) -> ApiResponse:
        """``GET /v4/sports/{sport}/odds``: costs markets × regions (see ``estimate_cost``)."""
        key = _sport_key(sport)
        if odds_format not in ODDS_FORMATS:
            raise InvalidInput(f"odds_format must be one of {ODDS_FORMATS}, got {odds_format!r}")
        params: dict[str, QueryValue] = {"markets": _csv(markets, "markets"), "oddsFormat": odds_format}
        # With both, the provider lets bookmakers win; sending only one keeps the bill obvious.
        if bookmakers:
            params["bookmakers"] = _csv(bookmakers, "bookmakers")
        else:
            params["regions"] = _csv(regions, "regions")
        params.update(self._dates(date_format, commence_from, commence_to))
        cost = estimate_cost(list(markets), list(regions), list(bookmakers) if bookmakers else None)
        return await self._get(
            f"/v4/sports/{key}/odds", params, sport=key, cost_estimate=cost, odds_format=odds_format
        )

    async def events(
        self,
        sport: Sport | str,
        *,
        date_format: DateFormat = "iso",
        commence_from: datetime | None = None,
        commence_to: datetime | None = None,
    ) -> ApiResponse:
        """``GET /v4/sports/{sport}/events`` (free): ids, teams and start times, no prices."""
        key = _sport_key(sport)
        params = self._dates(date_format, commence_from, commence_to)
        return await self._get(f"/v4/sports/{key}/events", params, sport=key, cost_estimate=0)

    async def scores(
        self, sport: Sport | str, *, days_from: int | None = 3, date_format: DateFormat = "iso"
    ) -> ApiResponse:
        """``GET /v4/sports/{sport}/scores``: live and upcoming games, plus finals of the last
        ``days_from`` days (1–3; None for live only, which costs 1 instead of 2)."""
        key = _sport_key(sport)
        params = self._dates(date_format, None, None)
        if days_from is not None:
            if isinstance(days_from, bool) or not 1 <= days_from <= 3:
                raise InvalidInput(f"days_from must be 1, 2 or 3 (or None), got {days_from!r}")
            params["daysFrom"] = days_from
        return await self._get(
            f"/v4/sports/{key}/scores", params, sport=key, cost_estimate=scores_cost(days_from)
        )

    @staticmethod
    def _dates(
        date_format: DateFormat, commence_from: datetime | None, commence_to: datetime | None
    ) -> dict[str, QueryValue]:
        if date_format not in _DATE_FORMATS:
            raise InvalidInput(f"date_format must be one of {_DATE_FORMATS}, got {date_format!r}")
        params: dict[str, QueryValue] = {"dateFormat": date_format}
        if commence_from is not None:
            params["commenceTimeFrom"] = _iso_z(commence_from, "commence_from")
        if commence_to is not None:
            params["commenceTimeTo"] = _iso_z(commence_to, "commence_to")
        return params

    async def _get(
        self,
        path: str,
        params: Mapping[str, QueryValue],
        *,
        sport: str | None,
        cost_estimate: int,
        odds_format: OddsFormat | None = None,
    ) -> ApiResponse:
        secrets = (self._api_key,)
        fetched = await get_with_retries(
            self._http,
            self._base_url + path,
            params={"apiKey": self._api_key, **params},
            policy=self._policy,
            sleep=self._sleep,
            rng=self._rng,
            provider=PROVIDER,
            endpoint=path,
            secrets=secrets,
        )
        response = fetched.response
        quota = Quota.from_headers(response.headers)
        self.last_quota = quota
        ok = response.is_success
        logger.log(
            logging.INFO if ok else logging.WARNING,
            "%s %s -> HTTP %d (credits remaining %s, this call %s)",
            PROVIDER,
            path,
            response.status_code,
            quota.remaining,
            quota.last,
            extra={
                "provider": PROVIDER,
                "endpoint": path,
                "sport": sport,
                "status": response.status_code,
                "attempts": fetched.attempts,
                "quota_remaining": quota.remaining,
                "quota_used": quota.used,
                "quota_last": quota.last,
                "cost_estimate": cost_estimate,
            },
        )
        if not ok:
            raise self._error(response, path, fetched.attempts)
        payload = decode_json(response, provider=PROVIDER, endpoint=path, secrets=secrets)
        return ApiResponse(payload=payload, quota=quota, cost_estimate=cost_estimate, odds_format=odds_format)

    def _error(self, response: httpx.Response, path: str, attempts: int) -> OddsApiError:
        status = response.status_code
        code: str | None = None
        detail = ""
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict):
            raw_code = body.get("error_code")
            code = raw_code if isinstance(raw_code, str) and raw_code else None
            raw_message = body.get("message")
            detail = raw_message if isinstance(raw_message, str) else ""
        elif response.content:
            detail = response.text[:200]
        detail = redact(detail.strip(), (self._api_key,))
        message = f"{PROVIDER} {path} failed: HTTP {status}"
        if code:
            message += f" {code}"
        if detail:
            message += f": {detail}"
        if attempts > 1:
            message += f" (gave up after {attempts} attempts)"
        if status == 401 and code == "OUT_OF_USAGE_CREDITS":
            return OutOfCredits(
                message + " (paid calls stop until the quota resets)", status=status, error_code=code
            )
        if status == 401:
            message += " (check ODDS_API_KEY)"
        return OddsApiError(message, status=status, error_code=code)
