"""Benny's REST API under ``/api/v1``: routes generated from the tool registry, per-user tokens.

Every route is a registered tool: its query parameters or body are the tool's own input schema
(minus what the path names), its answer is the tool's own result, and the tool validates the
arguments again as it does for the chat, so REST and chat cannot disagree. What the route table
adds is HTTP's part: the method, the path, who may call it, pagination, and the status codes.

Who: ``Authorization: Bearer <token>`` (``benny users token NAME``) runs the tool as that user.
Market data (``public`` routes) is readable without a token unless ``BENNY_API_PUBLIC_READ`` is
off; everything per user needs one. A model that exists but is someone else's answers 404,
exactly like one that does not exist: the tools only ever look among the caller's own.

Public answers are kept ``BENNY_API_CACHE_SECONDS`` (2 s) per caller and arguments: odds and
predictions change when they are collected or analysed, not from one request to the next.

Limits: ``BENNY_API_RATE_PER_MINUTE`` requests a minute per token (per client address without
one), answered with 429 and ``Retry-After``; at most ``BENNY_API_MAX_IN_FLIGHT`` requests at once,
one more answered 503 with ``Retry-After`` at once (``web.load_shedding``); request bodies up to
64 KB; lists paginated with ``limit`` and ``offset`` (the total in ``X-Total-Count``).
"""

from __future__ import annotations

import inspect
import logging
import math
import threading
import time
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cachetools import TTLCache
from fastapi import Depends, FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter
from pydantic import BaseModel, ConfigDict, create_model
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.responses import Response

from core.errors import BennyError, Busy, InvalidInput, NotFound, StoreError, UpstreamError
from core.settings import Settings
from services.tokens import ANONYMOUS, token_user
from store.db import Engine
from tools.context import CurrentUser, ToolContext, bind
from tools.registry import REGISTRY, Registry, ToolSpec, jsonable
from web.load_shedding import InFlightLimit

log = logging.getLogger("benny.api")

PREFIX = "/api/v1"
MAX_BODY_BYTES = 64 * 1024
MAX_PAGE = 500


class Error(BaseModel):
    detail: str


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    tool: str
    summary: str
    public: bool = False  # market data: readable without a token when the setting allows
    page: str | None = None  # the list to paginate: a field of the result, or "" for a list result
    fixed: tuple[tuple[str, Any], ...] = ()  # arguments the route sets (the method is the confirmation)
    status: int = 200


ROUTES = (
    Route("GET", "/games", "get_odds", "Games with their latest odds", public=True, page="games"),
    Route("GET", "/analyses", "get_predictions", "The models' latest predictions", public=True, page=""),
    Route("GET", "/model-comparison", "compare_models", "The model leaderboard", public=True, page=""),
    Route("GET", "/user-models", "list_user_models", "Your models"),
    Route("POST", "/user-models", "create_user_model", "Create a model",
          fixed=(("confirm", True),), status=201),
    Route("GET", "/user-models/{model_id}", "show_user_model", "One of your models"),
    Route("PATCH", "/user-models/{model_id}", "update_user_model", "Change one of your models",
          fixed=(("confirm", True),)),
    Route("DELETE", "/user-models/{model_id}", "delete_user_model", "Delete one of your models",
          fixed=(("confirm", True),)),
    Route("POST", "/user-models/{model_id}/backtest", "backtest_user_model", "Backtest one of your models"),
    Route("GET", "/benny/dashboard", "benny_dashboard", "Benny's paper-trading record"),
    Route("GET", "/benny/bets", "benny_bets", "Benny's bets"),  # the tool takes its own limit
)  # fmt: skip

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": Error, "description": text}
    for code, text in (
        (400, "the body cannot be read as JSON text"),
        (401, "no token, or one that is unknown or revoked"),
        (404, "not found (or not yours)"),
        (409, "in conflict with work under way"),
        (413, "the body is over 64 KB"),
        (422, "an argument is invalid: the message names it"),
        (429, "over the rate limit: retry after Retry-After seconds"),
        (502, "a data provider failed"),
        (503, "the database cannot be reached, or the API is busy: retry after Retry-After seconds"),
    )
}


class RateLimiter:
    """``per_minute`` requests per key in each minute, counted from the key's first request.

    A fixed window from ``limits``, kept in its memory storage, which drops a key once its window
    is over, so callers who come and go leave nothing behind. ``clock`` must read the same time
    as that storage (``time.time``); tests move both together.
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.time) -> None:
        self.item = RateLimitItemPerMinute(per_minute)
        self.clock = clock
        self._windows = FixedWindowRateLimiter(MemoryStorage())

    def take(self, key: str) -> float:
        """0 when the request may go ahead; otherwise the seconds until it may."""
        if self._windows.hit(self.item, key):
            return 0.0
        reset_at, _ = self._windows.get_window_stats(self.item, key)
        return max(0.0, reset_at - self.clock())


class AnswerCache:
    """Public answers kept a few seconds: market data changes when it is collected, not per request.

    Keyed by caller, route and arguments; ``seconds`` of 0 keeps nothing. At most ``MAX_ENTRIES``,
    the least recently used going first when it is full.
    """

    MAX_ENTRIES = 2048

    def __init__(self, seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self._entries: TTLCache[Any, tuple[Any, dict[str, str]]] = TTLCache(
            maxsize=self.MAX_ENTRIES, ttl=seconds, timer=clock
        )
        self._lock = threading.Lock()  # requests run on a thread pool; the cache is not thread-safe

    def get(self, key: Any) -> tuple[Any, dict[str, str]] | None:
        with self._lock:
            return self._entries.get(key)

    def put(self, key: Any, payload: Any, headers: dict[str, str]) -> None:
        if self.seconds <= 0:
            return
        with self._lock:
            self._entries[key] = (payload, headers)


class BodyLimit(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            return JSONResponse({"detail": "the request body is over 64 KB"}, status_code=413)
        chunked = request.method in ("POST", "PATCH", "PUT") and declared is None
        if chunked and len(await request.body()) > MAX_BODY_BYTES:
            return JSONResponse({"detail": "the request body is over 64 KB"}, status_code=413)
        return await call_next(request)


class _Problem(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.headers = status, detail, headers or {}


def _fields(spec: ToolSpec, route: Route) -> dict[str, Any]:
    """The tool's input fields the caller gives: all but the path's and the route's fixed ones."""
    skip = {name for name, _ in route.fixed} | set(_path_names(route.path))
    return {name: f for name, f in spec.input_model.model_fields.items() if name not in skip}


def _path_names(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _result_type(spec: ToolSpec) -> Any:
    return typing.get_type_hints(spec.func).get("return")


def _paginate(body: Any, page: str, limit: int, offset: int) -> tuple[Any, int]:
    if page == "":
        return body[offset : offset + limit], len(body)
    items = body[page]
    return {**body, page: items[offset : offset + limit]}, len(items)


def build_api(
    runtime: Callable[[], tuple[Settings, Engine]],
    *,
    registry: Registry = REGISTRY,
    limiter: RateLimiter | None = None,
) -> FastAPI:
    """The API as its own FastAPI app, to mount at ``/api/v1``; ``runtime`` gives settings and engine."""
    api = FastAPI(
        title="Benny API",
        version="1",
        description="Odds, the ten models' predictions, the model comparison, your own models and "
        "Benny's paper trading. Send `Authorization: Bearer <token>` (`benny users token NAME`).",
        openapi_url="/openapi.json",
        docs_url=None,  # the interactive pages load scripts from CDNs; Benny serves no outside assets
        redoc_url=None,
    )
    api.add_middleware(BodyLimit)

    def max_in_flight() -> int | None:
        try:
            return runtime()[0].api_max_in_flight
        except BennyError:  # no settings yet: the route answers for itself (503 for the database)
            return None

    api.add_middleware(InFlightLimit, limit=max_in_flight)  # outermost: a busy API reads no body
    bearer = HTTPBearer(auto_error=False, description="an API token from `benny users token NAME`")
    limiters: list[RateLimiter] = [limiter] if limiter is not None else []
    caches: list[AnswerCache] = []

    def cache() -> AnswerCache:
        if not caches:
            caches.append(AnswerCache(runtime()[0].api_cache_seconds))
        return caches[0]

    def caller(
        request: Request, credentials: HTTPAuthorizationCredentials | None, public: bool
    ) -> ToolContext:
        settings, engine = runtime()
        user: CurrentUser | None
        if credentials is not None:
            user = token_user(engine=engine, token=credentials.credentials)
            if user is None:
                raise _Problem(401, "the token is unknown or revoked", {"WWW-Authenticate": "Bearer"})
        elif public and settings.api_public_read:
            user = ANONYMOUS
        else:
            raise _Problem(401, "a token is needed: `benny users token NAME`", {"WWW-Authenticate": "Bearer"})
        if not limiters:
            limiters.append(RateLimiter(settings.api_rate_per_minute))
        key = (
            f"user:{user.id}"
            if user is not ANONYMOUS
            else f"ip:{request.client.host if request.client else '-'}"
        )
        wait = limiters[0].take(key)
        if wait > 0:
            raise _Problem(429, "too many requests: slow down", {"Retry-After": str(max(1, math.ceil(wait)))})
        return ToolContext(settings=settings, engine=engine, clock=settings.clock(), user=user)

    for route in ROUTES:
        _add_route(api, route, registry.get(route.tool), bearer, caller, cache)

    @api.exception_handler(_Problem)
    async def problem(request: Request, exc: _Problem) -> JSONResponse:
        return JSONResponse({"detail": exc.detail}, status_code=exc.status, headers=exc.headers)

    @api.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        parts = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"] if p not in ("query", "body", "path")) or "body"
            parts.append(f"{where}: {err['msg']}")
        return JSONResponse({"detail": "; ".join(parts)}, status_code=422)

    @api.exception_handler(BennyError)
    async def refused(request: Request, exc: BennyError) -> JSONResponse:
        status = {InvalidInput: 422, NotFound: 404, Busy: 409, UpstreamError: 502, StoreError: 503}
        code = next((c for kind, c in status.items() if isinstance(exc, kind)), 500)
        if code == 500:
            log.error("api: %s", exc)
        return JSONResponse(
            {"detail": str(exc) if code != 500 else "Benny could not do that"}, status_code=code
        )

    return api


def _add_route(
    api: FastAPI,
    route: Route,
    spec: ToolSpec,
    bearer: HTTPBearer,
    caller: Callable[[Request, HTTPAuthorizationCredentials | None, bool], ToolContext],
    cache: Callable[[], AnswerCache],
) -> None:
    fields = _fields(spec, route)
    in_path = _path_names(route.path)
    params = [
        inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
        inspect.Parameter(
            "credentials", inspect.Parameter.KEYWORD_ONLY,
            annotation=HTTPAuthorizationCredentials | None, default=Depends(bearer),
        ),
    ]  # fmt: skip
    for name in in_path:
        field = spec.input_model.model_fields[name]
        params.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=field.annotation))
    body_model: type[BaseModel] | None = None
    if route.method in ("POST", "PATCH"):
        definitions: dict[str, Any] = {name: (f.annotation, f) for name, f in fields.items()}
        body_model = create_model(
            f"{''.join(w.title() for w in spec.name.split('_'))}Body",
            __config__=ConfigDict(extra="forbid"),
            **definitions,
        )
        params.append(
            inspect.Parameter("body", inspect.Parameter.KEYWORD_ONLY, annotation=body_model, default=None)
        )
    else:
        for name, f in fields.items():
            query = Query(f.default, description=f.description)
            params.append(
                inspect.Parameter(
                    name, inspect.Parameter.KEYWORD_ONLY, annotation=f.annotation, default=query
                )
            )
    if route.page is not None:
        if {"limit", "offset"} & fields.keys():
            raise ValueError(f"{route.path}: the tool's own limit or offset would clash with the page's")
        params += [
            inspect.Parameter("limit", inspect.Parameter.KEYWORD_ONLY, annotation=int,
                              default=Query(100, ge=1, le=MAX_PAGE, description="at most this many items")),
            inspect.Parameter("offset", inspect.Parameter.KEYWORD_ONLY, annotation=int,
                              default=Query(0, ge=0, le=1_000_000, description="items to skip")),
        ]  # fmt: skip

    def endpoint(**values: Any) -> JSONResponse:
        request: Request = values.pop("request")
        ctx = caller(request, values.pop("credentials"), route.public)
        # The page's own limit and offset only: a tool that takes a limit (benny_bets) keeps its own.
        limit, offset = (values.pop("limit"), values.pop("offset")) if route.page is not None else (0, 0)
        key = None
        if route.public and route.method == "GET":
            key = (
                route.path,
                ctx.user.id,
                tuple(sorted((k, str(v)) for k, v in values.items())),
                limit,
                offset,
            )
            if (kept := cache().get(key)) is not None:
                return JSONResponse(kept[0], status_code=route.status, headers=kept[1])
        body = values.pop("body", None)
        arguments = {**values, **(body.model_dump(exclude_unset=True) if body is not None else {})}
        arguments.update(dict(route.fixed))
        with bind(ctx):
            if route.tool == "update_user_model" and "spec" not in arguments:
                # Words name their model inside the text; the path's id decides which one, and
                # must be the caller's (404 otherwise, as for any model of someone else).
                model_id = arguments.pop("model_id")
                REGISTRY.get("show_user_model").invoke({"model_id": model_id})
                arguments["description"] = f"model {model_id}: {arguments.get('description', '')}"
            result = spec.invoke(arguments)
        payload = jsonable(result)
        headers: dict[str, str] = {}
        if route.page is not None:
            payload, total = _paginate(payload, route.page, limit, offset)
            headers["X-Total-Count"] = str(total)
        if (
            route.tool in ("create_user_model", "update_user_model")
            and payload.get("action") == "not_understood"
        ):
            raise InvalidInput(payload.get("message") or "the description was not understood")
        if key is not None:
            cache().put(key, payload, headers)
        return JSONResponse(payload, status_code=route.status, headers=headers)

    endpoint.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    endpoint.__name__ = spec.name
    public_note = " Readable without a token unless BENNY_API_PUBLIC_READ is off." if route.public else ""
    api.add_api_route(
        route.path,
        endpoint,
        methods=[route.method],
        summary=route.summary,
        description=spec.description + public_note,
        response_model=_result_type(spec),
        status_code=route.status,
        responses=ERRORS,
        operation_id=f"{route.method.lower()}_{spec.name}",
    )
