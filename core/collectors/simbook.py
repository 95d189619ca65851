"""An httpx transport that serves the simulated sportsbook as The Odds API v4 and ESPN do.

    client = httpx.AsyncClient(transport=SimbookTransport(SimWorld(seed=7), clock))
    OddsApiClient(client, "offline")  # the real fetch-and-parse code, unchanged

Time is the injected clock, so a replay covers weeks in seconds. The host is ignored; the path
decides:

    GET /v4/sports                             free; ``all=true`` adds out-of-season leagues
    GET /v4/sports/{sport}/odds                markets × regions credits (bookmakers: each 10 = 1)
    GET /v4/sports/upcoming/odds               the next 8 games across the five leagues
    GET /v4/sports/{sport}/events              free
    GET /v4/sports/{sport}/scores[?daysFrom]   1 credit, 2 with daysFrom (1-3)
    GET /apis/site/v2/sports/{league path}/injuries   ESPN's injury report (no quota)

Every Odds API response carries ``x-requests-remaining``, ``x-requests-used`` and
``x-requests-last``. The quota is monthly (``monthly_credits``) and resets when the clock enters
a new calendar month. Errors use the provider's body ``{message, error_code, details_url}``:

    401 MISSING_KEY            no apiKey
    401 INVALID_KEY            a key other than the one configured (when one is)
    401 OUT_OF_USAGE_CREDITS   the call costs more than what is left this month
    404 UNKNOWN_SPORT          a sport key the simulation does not serve
    422 MISSING_REGION         neither regions nor bookmakers
    422 INVALID_MARKET         a market other than h2h, spreads, totals
    422 INVALID_REGION, INVALID_ODDS_FORMAT, INVALID_DATE_FORMAT, INVALID_DAYS_FROM,
        INVALID_COMMENCE_TIME_FROM/TO (names not verified against the live service)

Errors cost nothing. Regions: ``us`` (DraftKings, FanDuel, BetMGM, Caesars, BetRivers, Bovada),
``eu`` (Pinnacle), ``uk`` (William Hill); ``us2`` and ``au`` are valid and empty.
"""

from __future__ import annotations

import json
import math
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, Final

import httpx

from core.clock import parse_instant
from core.collectors.simbook_espn import ESPN_PATHS, injury_report
from core.errors import InvalidInput
from core.sim.market import BOOKS
from core.sim.records import PriceSlate
from core.sim.world import SimWorld
from core.sports import Market, Sport

__all__ = ["DEFAULT_MONTHLY_CREDITS", "REGIONS", "SimbookTransport"]

Clock = Callable[[], datetime]

DEFAULT_MONTHLY_CREDITS: Final = 20_000
REGIONS: Final[dict[str, tuple[str, ...]]] = {
    "us": tuple(b.key for b in BOOKS if b.region == "us"),
    "us2": (),
    "uk": tuple(b.key for b in BOOKS if b.region == "uk"),
    "eu": tuple(b.key for b in BOOKS if b.region == "eu"),
    "au": (),
}
_SPORT_INFO: Final[dict[Sport, tuple[str, str]]] = {
    Sport.NBA: ("Basketball", "US Basketball"),
    Sport.NFL: ("American Football", "US Football"),
    Sport.MLB: ("Baseball", "Major League Baseball"),
    Sport.NHL: ("Ice Hockey", "US Ice Hockey"),
    Sport.EPL: ("Soccer", "Premier League - England"),
}
_FEATURED: Final = frozenset(m.value for m in Market)
_BOOKS_PER_REGION: Final = 10
_UPCOMING_GAMES: Final = 8
_ODDS_PATH: Final = re.compile(r"^/v4/sports/([^/]+)/(odds|events|scores)/?$")
_ESPN_PATH: Final = re.compile(r"^/apis/site/v2/sports/([a-z]+/[a-z0-9.]+)/injuries/?$")
_DETAILS: Final = "https://the-odds-api.com/liveapi/guides/v4/api-error-codes.html#"


class _ApiError(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _stamp(moment: datetime, date_format: str) -> str | int:
    return int(moment.timestamp()) if date_format == "unix" else _iso(moment)


def _csv(raw: str | None) -> list[str]:
    return [item.strip() for item in (raw or "").split(",") if item.strip()]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class SimbookTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Serves ``world`` at ``clock()`` over httpx, sync and async; see the module docstring."""

    def __init__(
        self,
        world: SimWorld,
        clock: Clock,
        *,
        monthly_credits: int = DEFAULT_MONTHLY_CREDITS,
        api_key: str | None = None,
    ) -> None:
        if monthly_credits < 0:
            raise InvalidInput(f"monthly_credits must be >= 0, got {monthly_credits}")
        self.world = world
        self._clock = clock
        self._monthly = monthly_credits
        self._api_key = api_key
        self._used = 0
        self._month: tuple[int, int] | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"SimbookTransport(seed={self.world.seed}, monthly_credits={self._monthly})"

    @property
    def credits_used(self) -> int:
        return self._used

    # --- httpx entry points ---------------------------------------------------------------

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        now = self._clock()
        if now.tzinfo is None:
            raise InvalidInput(f"the clock must return timezone-aware datetimes, got {now!r}")
        path = request.url.path
        params = request.url.params
        if request.method != "GET":
            return self._json(405, {"message": "Method not allowed"}, None)
        espn = _ESPN_PATH.match(path)
        if espn:
            return self._espn_injuries(espn.group(1), now)
        try:
            if path.rstrip("/") == "/v4/sports":
                self._check_key(params)
                payload, cost = self._sports(params, now), 0
            else:
                match = _ODDS_PATH.match(path)
                if match is None:
                    raise _ApiError(404, "NOT_FOUND", f"Path not found: {path}")
                self._check_key(params)
                payload, cost = self._endpoint(match.group(1), match.group(2), params, now)
            self._charge(cost, now)
        except _ApiError as error:
            body = {
                "message": error.message,
                "error_code": error.code,
                "details_url": _DETAILS + _slug(error.code),
            }
            return self._json(error.status, body, self._quota_headers(0, now))
        return self._json(200, payload, self._quota_headers(cost, now))

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        # The world is in memory and fast: answering inline is simpler than a thread hop.
        return self.handle_request(request)

    # --- quota ------------------------------------------------------------------------------

    def _roll_month(self, now: datetime) -> None:
        month = (now.year, now.month)
        if month != self._month:
            self._month, self._used = month, 0

    def _charge(self, cost: int, now: datetime) -> None:
        with self._lock:
            self._roll_month(now)
            if cost > self._monthly - self._used:
                raise _ApiError(
                    401,
                    "OUT_OF_USAGE_CREDITS",
                    "Usage quota has been reached. See usage plans at https://the-odds-api.com",
                )
            self._used += cost

    def _quota_headers(self, cost: int, now: datetime) -> dict[str, str]:
        with self._lock:
            self._roll_month(now)
            return {
                "x-requests-remaining": str(self._monthly - self._used),
                "x-requests-used": str(self._used),
                "x-requests-last": str(cost),
            }

    def _check_key(self, params: httpx.QueryParams) -> None:
        key = params.get("apiKey") or params.get("api_key")
        if not key:
            raise _ApiError(401, "MISSING_KEY", "apiKey query parameter is required")
        if self._api_key is not None and key != self._api_key:
            raise _ApiError(
                401, "INVALID_KEY", "API key is not valid. Get an API key at https://the-odds-api.com"
            )

    # --- The Odds API ----------------------------------------------------------------------

    def _sports(self, params: httpx.QueryParams, now: datetime) -> list[dict[str, Any]]:
        include_all = (params.get("all") or "").lower() == "true"
        rows = []
        for status in self.world.sports(now):
            if not (status.active or include_all):
                continue
            group, description = _SPORT_INFO[status.sport]
            rows.append(
                {
                    "key": status.sport.value,
                    "group": group,
                    "title": status.sport.title,
                    "description": description,
                    "active": status.active,
                    "has_outrights": False,
                }
            )
        return rows

    def _endpoint(
        self, sport_key: str, resource: str, params: httpx.QueryParams, now: datetime
    ) -> tuple[list[dict[str, Any]], int]:
        date_format = params.get("dateFormat") or "iso"
        if date_format not in ("iso", "unix"):
            raise _ApiError(422, "INVALID_DATE_FORMAT", "dateFormat must be iso or unix")
        event_ids = set(_csv(params.get("eventIds"))) or None
        if sport_key == "upcoming" and resource == "odds":
            sports: list[Sport] = list(Sport)
        else:
            try:
                sports = [Sport(sport_key)]
            except ValueError:
                raise _ApiError(404, "UNKNOWN_SPORT", "Unknown sport") from None
        if resource == "events":
            start, stop = self._commence_window(params)
            rows = [
                self._event_meta(
                    event.id, event.sport, event.commence_time, event.home_team, event.away_team, date_format
                )
                for event in self.world.events(sports[0], now, commence_from=start, commence_to=stop)
                if event_ids is None or event.id in event_ids
            ]
            return rows, 0
        if resource == "scores":
            return self._scores(sports[0], params, now, date_format, event_ids)
        return self._odds(sports, sport_key == "upcoming", params, now, date_format, event_ids)

    @staticmethod
    def _commence_window(params: httpx.QueryParams) -> tuple[datetime | None, datetime | None]:
        out: list[datetime | None] = []
        for name in ("commenceTimeFrom", "commenceTimeTo"):
            raw = params.get(name)
            if raw is None:
                out.append(None)
                continue
            try:
                out.append(parse_instant(raw))
            except InvalidInput:
                code = "INVALID_COMMENCE_TIME_FROM" if name.endswith("From") else "INVALID_COMMENCE_TIME_TO"
                raise _ApiError(
                    422, code, f"{name} must be an ISO 8601 timestamp like 2025-01-15T00:10:00Z"
                ) from None
        return out[0], out[1]

    @staticmethod
    def _event_meta(
        event_id: str, sport: Sport, commence: datetime, home: str, away: str, date_format: str
    ) -> dict[str, Any]:
        return {
            "id": event_id,
            "sport_key": sport.value,
            "sport_title": sport.title,
            "commence_time": _stamp(commence, date_format),
            "home_team": home,
            "away_team": away,
        }

    def _odds(
        self,
        sports: list[Sport],
        upcoming: bool,
        params: httpx.QueryParams,
        now: datetime,
        date_format: str,
        event_ids: set[str] | None,
    ) -> tuple[list[dict[str, Any]], int]:
        markets = list(dict.fromkeys(_csv(params.get("markets")) or ["h2h"]))
        unsupported = [m for m in markets if m not in _FEATURED]
        if unsupported:
            raise _ApiError(
                422, "INVALID_MARKET", f"Markets not supported by this endpoint: {','.join(unsupported)}"
            )
        odds_format = params.get("oddsFormat") or "decimal"
        if odds_format not in ("decimal", "american"):
            raise _ApiError(422, "INVALID_ODDS_FORMAT", "oddsFormat must be decimal or american")
        books_param = list(dict.fromkeys(_csv(params.get("bookmakers"))))
        regions = list(dict.fromkeys(_csv(params.get("regions"))))
        if books_param:  # bookmakers win over regions, billed in groups of ten
            books: Iterable[str] = books_param
            region_units = math.ceil(len(books_param) / _BOOKS_PER_REGION)
        elif regions:
            unknown = [r for r in regions if r not in REGIONS]
            if unknown:
                raise _ApiError(422, "INVALID_REGION", f"Invalid regions: {','.join(unknown)}")
            books = [key for region in regions for key in REGIONS[region]]
            region_units = len(regions)
        else:
            raise _ApiError(422, "MISSING_REGION", "Missing regions or bookmakers key")
        start, stop = self._commence_window(params)
        wanted = [Market(m) for m in markets]
        rows: list[dict[str, Any]] = []
        for sport in sports:
            for slate in self.world.price_slates(
                sport, now, markets=wanted, bookmakers=books, commence_from=start, commence_to=stop
            ):
                rows.extend(self._slate_rows(slate, odds_format == "american", date_format, event_ids))
        if upcoming:
            rows = sorted(rows, key=lambda row: str(row["commence_time"]).zfill(20))[:_UPCOMING_GAMES]
        return rows, len(markets) * region_units

    def _slate_rows(
        self, slate: PriceSlate, american: bool, date_format: str, event_ids: set[str] | None
    ) -> list[dict[str, Any]]:
        """JSON rows straight from the slate's lists: this loop is the hot path of a replay."""
        prices = slate.american if american else slate.decimal
        stamps: dict[int, str | int] = {}
        rows = []
        for g, event in enumerate(slate.events):
            if event_ids is not None and event.id not in event_ids:
                continue
            row = self._event_meta(
                event.id, event.sport, event.commence_time, event.home_team, event.away_team, date_format
            )
            names = [slate.outcome_names(g, market) for market in slate.markets]
            bookmakers = []
            for b, key in enumerate(slate.book_keys):
                epoch = slate.quoted_at[g][b]
                stamp = stamps.get(epoch)
                if stamp is None:
                    stamp = stamps[epoch] = _stamp(datetime.fromtimestamp(epoch, UTC), date_format)
                markets = []
                for m, market in enumerate(slate.markets):
                    price = prices[m][g][b]
                    points = slate.outcome_points(m, g, b)
                    outcomes = [
                        {"name": name, "price": price[j]}
                        if points[j] is None
                        else {"name": name, "price": price[j], "point": points[j]}
                        for j, name in enumerate(names[m])
                    ]
                    markets.append({"key": market.value, "last_update": stamp, "outcomes": outcomes})
                bookmakers.append(
                    {"key": key, "title": slate.book_titles[b], "last_update": stamp, "markets": markets}
                )
            row["bookmakers"] = bookmakers
            rows.append(row)
        return rows

    def _scores(
        self,
        sport: Sport,
        params: httpx.QueryParams,
        now: datetime,
        date_format: str,
        event_ids: set[str] | None,
    ) -> tuple[list[dict[str, Any]], int]:
        raw = params.get("daysFrom")
        days_from: int | None = None
        if raw is not None:
            if not raw.strip().isdigit() or not 1 <= int(raw) <= 3:
                raise _ApiError(422, "INVALID_DAYS_FROM", "daysFrom must be an integer from 1 to 3")
            days_from = int(raw)
        rows = []
        for score in self.world.scores(sport, now, days_from):
            event = score.event
            if event_ids is not None and event.id not in event_ids:
                continue
            row = self._event_meta(
                event.id, event.sport, event.commence_time, event.home_team, event.away_team, date_format
            )
            row["completed"] = score.completed
            if score.home_score is None or score.away_score is None:
                row["scores"] = None
            else:
                row["scores"] = [
                    {"name": event.home_team, "score": str(score.home_score)},
                    {"name": event.away_team, "score": str(score.away_score)},
                ]
            row["last_update"] = _stamp(score.last_update, date_format) if score.last_update else None
            rows.append(row)
        return rows, 2 if days_from is not None else 1

    # --- ESPN ----------------------------------------------------------------------------------

    def _espn_injuries(self, league_path: str, now: datetime) -> httpx.Response:
        sport = ESPN_PATHS.get(league_path)
        if sport is None:
            return self._json(404, {"code": 404, "message": "Failed to get league"}, None)
        return self._json(200, injury_report(self.world, sport, now), None)

    # --- responses -----------------------------------------------------------------------------

    @staticmethod
    def _json(status: int, payload: Any, headers: Mapping[str, str] | None) -> httpx.Response:
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        all_headers = {"content-type": "application/json; charset=utf-8", **(headers or {})}
        return httpx.Response(status, headers=all_headers, content=body)
