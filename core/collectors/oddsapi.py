"""The Odds API v4: an async client (fetch) and pure parsers (parse) into domain values.

Fetch: ``OddsApiClient`` wraps an injected ``httpx.AsyncClient``. Every call returns an
``ApiResponse`` with the decoded payload, the quota read from the ``x-requests-*`` headers and
the credits the call should cost. Errors branch on the provider's ``error_code``:

    401 INVALID_KEY / MISSING_KEY / DEACTIVATED_KEY   OddsApiError, not retried
    401 OUT_OF_USAGE_CREDITS                          OutOfCredits, not retried
    404 UNKNOWN_SPORT, 422 INVALID_MARKET / ...       OddsApiError, not retried
    429, 5xx                                          retried with backoff, then OddsApiError
    timeouts, connection errors                       retried with backoff, then UpstreamError
    200 with a body that is not JSON                  UpstreamError

The key travels as the ``apiKey`` query parameter (the provider's only option), so it is
redacted from every message and log line, and the client's repr never shows it.

Parse: ``parse_odds``, ``parse_events``, ``parse_scores`` and ``parse_sports`` take a payload
(live, replayed or historical-wrapped) and return frozen domain values. They are strict about
the top-level shape (not a list → ``UpstreamError``) and lenient per item: an event of a sport
Benny does not model, an unknown market key (``h2h_lay``, ``h2h_3_way``) or an outcome that
cannot be read is skipped and counted in one log line, so one odd book cannot sink a sweep.
"""

from __future__ import annotations

import asyncio
import logging
import math
import re
from collections import Counter
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
    parse_timestamp,
    redact,
)
from core.errors import InvalidInput, OddsApiError, OutOfCredits, UpstreamError
from core.odds import american_to_decimal
from core.quotes import FinalScore, GameInfo, OddsQuote
from core.sports import Market, Side, Sport

__all__ = [
    "DEFAULT_BASE_URL",
    "ApiResponse",
    "DateFormat",
    "OddsApiClient",
    "OddsFormat",
    "Quota",
    "SportInfo",
    "estimate_cost",
    "parse_events",
    "parse_odds",
    "parse_scores",
    "parse_sports",
    "scores_cost",
]

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://api.the-odds-api.com"
PROVIDER = "The Odds API"
OddsFormat = Literal["decimal", "american"]
DateFormat = Literal["iso", "unix"]
_ODDS_FORMATS = ("decimal", "american")
_DATE_FORMATS = ("iso", "unix")
_BOOKS_PER_REGION = 10  # the provider bills each group of up to 10 bookmakers as one region
_SPORT_KEY = re.compile(r"^[a-z0-9_]+$")  # keys go into the URL path: nothing else may get in
_DRAW = "Draw"


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


@dataclass(frozen=True, slots=True)
class SportInfo:
    """One row of ``/v4/sports``."""

    key: str
    group: str
    title: str
    description: str
    active: bool
    has_outrights: bool

    @property
    def sport(self) -> Sport | None:
        """The Benny sport for this key, or None for the many keys Benny does not model."""
        try:
            return Sport(self.key)
        except ValueError:
            return None


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
        if odds_format not in _ODDS_FORMATS:
            raise InvalidInput(f"odds_format must be one of {_ODDS_FORMATS}, got {odds_format!r}")
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


# --- parsing --------------------------------------------------------------------------------


class _Skip(Exception):
    """An item that cannot become a domain value; the text is the reason, counted in the log."""


def _events_of(payload: Any, what: str) -> list[Any]:
    # Historical endpoints wrap the same list as {"timestamp": ..., "data": [...]}.
    if isinstance(payload, dict) and "data" in payload:
        payload = payload["data"]
    if not isinstance(payload, list):
        raise UpstreamError(f"{PROVIDER} {what}: expected a JSON list, got {type(payload).__name__}")
    return payload


def _text(raw: Mapping[str, Any], key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _Skip(f"missing {key}")
    return value


def _when(value: Any, what: str) -> datetime:
    try:
        return parse_timestamp(value)
    except InvalidInput:
        raise _Skip(f"unreadable {what}") from None


def _maybe_when(value: Any) -> datetime | None:
    if value is None:
        return None
    try:
        return parse_timestamp(value)
    except InvalidInput:
        return None


def _game(raw: Any) -> GameInfo:
    if not isinstance(raw, dict):
        raise _Skip("event is not an object")
    sport_key = _text(raw, "sport_key")
    try:
        sport = Sport(sport_key)
    except ValueError:
        raise _Skip("sport not modelled") from None
    try:
        return GameInfo(
            id=_text(raw, "id"),
            sport=sport,
            commence_time=_when(raw.get("commence_time"), "commence_time"),
            home_team=_text(raw, "home_team"),
            away_team=_text(raw, "away_team"),
        )
    except InvalidInput:
        raise _Skip("invalid event") from None


def _price_decimal(value: Any, odds_format: OddsFormat) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _Skip("price is not a number")
    try:
        return float(american_to_decimal(float(value))) if odds_format == "american" else float(value)
    except InvalidInput:
        raise _Skip("invalid american price") from None


def _point(outcome: Mapping[str, Any]) -> float:
    value = outcome.get("point")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _Skip("missing point")
    return float(value)


def _side(game: GameInfo, market: Market, name: str) -> Side:
    if market is Market.TOTALS:
        lowered = name.strip().lower()
        if lowered == "over":
            return Side.OVER
        if lowered == "under":
            return Side.UNDER
        raise _Skip("totals outcome is not Over/Under")
    if name == game.home_team:
        return Side.HOME
    if name == game.away_team:
        return Side.AWAY
    if market is Market.H2H and name == _DRAW and game.sport.has_draw:
        return Side.DRAW
    raise _Skip("outcome name matches neither team")


def _market_quotes(
    game: GameInfo,
    book: str,
    market: Market,
    outcomes: list[Any],
    seen_at: datetime,
    odds_format: OddsFormat,
    skipped: Counter[str],
) -> list[OddsQuote]:
    names = {o.get("name") for o in outcomes if isinstance(o, dict)}
    if market is Market.H2H:
        # A 3-way market devigged as 2-way (or the reverse) gives wrong probabilities, so a
        # market with the wrong number of ways is dropped whole rather than trimmed.
        if _DRAW in names and not game.sport.has_draw:
            skipped["3-way h2h in a two-way sport"] += 1
            return []
        if game.sport.has_draw and _DRAW not in names:
            skipped["soccer h2h without a Draw"] += 1
            return []
    quotes: list[OddsQuote] = []
    for outcome in outcomes:
        try:
            if not isinstance(outcome, dict):
                raise _Skip("outcome is not an object")
            side = _side(game, market, _text(outcome, "name"))
            point = None if market is Market.H2H else _point(outcome)
            price = _price_decimal(outcome.get("price"), odds_format)
            try:
                quote = OddsQuote(
                    game=game,
                    book=book,
                    market=market,
                    side=side,
                    price_decimal=price,
                    seen_at=seen_at,
                    point=point,
                )
            except InvalidInput:
                raise _Skip("invalid price") from None
        except _Skip as reason:
            skipped[str(reason)] += 1
            continue
        quotes.append(quote)
    return quotes


def _report(what: str, produced: int, skipped: Counter[str], ignored: Counter[str]) -> None:
    if skipped:
        logger.warning(
            "%s: parsed %d, skipped %d (%s)",
            what,
            produced,
            sum(skipped.values()),
            ", ".join(f"{reason}: {n}" for reason, n in skipped.most_common()),
            extra={"parsed": produced, "skipped": dict(skipped), "ignored": dict(ignored)},
        )
    else:
        logger.debug("%s: parsed %d", what, produced, extra={"parsed": produced, "ignored": dict(ignored)})


def parse_odds(payload: Any, *, seen_at: datetime, odds_format: OddsFormat) -> list[OddsQuote]:
    """Every readable quote in an ``/odds`` payload, prices in decimal odds.

    ``odds_format`` must be the format the call asked for (``ApiResponse.odds_format``): an
    American ``+150`` and a decimal ``150.0`` look alike, so it cannot be guessed. A quote's
    ``seen_at`` is its market's ``last_update``, else its bookmaker's, else the ``seen_at``
    given here (the fetch time). Sides come from outcome names, never from their order.
    """
    if seen_at.tzinfo is None:
        raise InvalidInput(f"seen_at must be timezone-aware, got {seen_at!r}")
    if odds_format not in _ODDS_FORMATS:
        raise InvalidInput(f"odds_format must be one of {_ODDS_FORMATS}, got {odds_format!r}")
    quotes: list[OddsQuote] = []
    skipped: Counter[str] = Counter()
    ignored: Counter[str] = Counter()
    for raw in _events_of(payload, "odds"):
        try:
            game = _game(raw)
        except _Skip as reason:
            (ignored if str(reason) == "sport not modelled" else skipped)[f"event: {reason}"] += 1
            continue
        for book in raw.get("bookmakers") or []:
            if not isinstance(book, dict) or not isinstance(book.get("key"), str) or not book["key"]:
                skipped["bookmaker without a key"] += 1
                continue
            book_seen = _maybe_when(book.get("last_update")) or seen_at
            for market_raw in book.get("markets") or []:
                if not isinstance(market_raw, dict):
                    skipped["market is not an object"] += 1
                    continue
                market_key = market_raw.get("key")
                try:
                    market = Market(market_key if isinstance(market_key, str) else "")
                except ValueError:
                    ignored[f"market {market_key}"] += 1
                    continue
                outcomes = market_raw.get("outcomes")
                if not isinstance(outcomes, list):
                    skipped["market without outcomes"] += 1
                    continue
                market_seen = _maybe_when(market_raw.get("last_update")) or book_seen
                quotes.extend(
                    _market_quotes(game, book["key"], market, outcomes, market_seen, odds_format, skipped)
                )
    _report("odds", len(quotes), skipped, ignored)
    return quotes


def parse_events(payload: Any) -> list[GameInfo]:
    """The games in an ``/events`` (or ``/odds`` or ``/scores``) payload, for the sports Benny models."""
    games: list[GameInfo] = []
    skipped: Counter[str] = Counter()
    ignored: Counter[str] = Counter()
    for raw in _events_of(payload, "events"):
        try:
            games.append(_game(raw))
        except _Skip as reason:
            (ignored if str(reason) == "sport not modelled" else skipped)[str(reason)] += 1
    _report("events", len(games), skipped, ignored)
    return games


def _score(value: Any) -> int:
    # Scores arrive as strings ("26"); tolerate a bare int in case the provider changes its mind.
    if isinstance(value, bool):
        raise _Skip("unreadable score")
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    raise _Skip("unreadable score")


def parse_scores(payload: Any) -> list[FinalScore]:
    """Final scores from a ``/scores`` payload: only ``completed: true`` games.

    Scores are matched to teams by name. ``completed_at`` is the event's ``last_update``,
    else its ``commence_time``. Live games (string scores, not completed) and games not yet
    started (``scores: null``) are left alone.
    """
    finals: list[FinalScore] = []
    skipped: Counter[str] = Counter()
    ignored: Counter[str] = Counter()
    for raw in _events_of(payload, "scores"):
        try:
            if not isinstance(raw, dict) or raw.get("completed") is not True:
                ignored["not completed"] += 1
                continue
            game = _game(raw)
            entries = raw.get("scores")
            if not isinstance(entries, list):
                raise _Skip("completed without scores")
            by_name: dict[str, int] = {}
            for entry in entries:
                if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                    by_name[entry["name"]] = _score(entry.get("score"))
            if game.home_team not in by_name or game.away_team not in by_name:
                raise _Skip("score names do not match the teams")
            completed_at = _maybe_when(raw.get("last_update")) or game.commence_time
            finals.append(
                FinalScore(
                    game=game,
                    home_score=by_name[game.home_team],
                    away_score=by_name[game.away_team],
                    completed_at=completed_at,
                )
            )
        except _Skip as reason:
            (ignored if str(reason) == "sport not modelled" else skipped)[str(reason)] += 1
        except InvalidInput:
            skipped["invalid score"] += 1
    _report("scores", len(finals), skipped, ignored)
    return finals


def parse_sports(payload: Any) -> list[SportInfo]:
    """The rows of ``/v4/sports`` (all keys, not only the five Benny models: see ``SportInfo.sport``)."""
    rows: list[SportInfo] = []
    skipped: Counter[str] = Counter()
    for raw in _events_of(payload, "sports"):
        try:
            if not isinstance(raw, dict):
                raise _Skip("row is not an object")
            rows.append(
                SportInfo(
                    key=_text(raw, "key"),
                    group=str(raw.get("group") or ""),
                    title=str(raw.get("title") or ""),
                    description=str(raw.get("description") or ""),
                    active=raw.get("active") is True,
                    has_outrights=raw.get("has_outrights") is True,
                )
            )
        except _Skip as reason:
            skipped[str(reason)] += 1
    _report("sports", len(rows), skipped, Counter())
    return rows
