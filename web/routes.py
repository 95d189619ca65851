"""Benny's own HTTP routes on Chainlit's server, and its page served without outside requests.

``/health`` (and ``/health/detail``), ``/metrics``, the REST API under ``/api/v1`` and the chat's
stored charts are put ahead of Chainlit's routes, which would otherwise answer them (and every
other GET) themselves.
"""

from __future__ import annotations

import logging
import os
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

import chainlit.server as chainlit_server
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from agent.runtime import Runtime
from core.errors import BennyError
from core.settings import Settings
from services.setup import DatabaseStatus, database_status
from services.tokens import token_user
from tools.context import LOCAL_USER, bind
from tools.operations import system_status
from web.app_state import chat_files, live_loop, runtime
from web.files import file_routes
from web.metrics import CONTENT_TYPE, prometheus_text
from web.rest import PREFIX as API_PREFIX
from web.rest import build_api

log = logging.getLogger(__name__)

routes = APIRouter()
_bearer = HTTPBearer(auto_error=False, description="an API token from `benny users token NAME`")


@dataclass(frozen=True)
class _Check:
    """This process checked now: its runtime, if it could be built, and what its database is."""

    rt: Runtime | None
    database: DatabaseStatus | None
    problem: str | None  # why the database is not usable; None when it is

    def public(self) -> dict[str, Any]:
        """Status, database, schema revision and modes: nothing about the host or the process."""
        if self.problem is None:
            state = "ok"
        elif self.database is not None and self.database.error is None:
            state = "schema mismatch"
        else:
            state = "error"
        return {
            "status": "ok" if self.problem is None else "degraded",
            "database": state,
            "schema": self.database.revision if self.database is not None else None,
            **_modes(self.rt),
            "service": "benny",
        }


def _check() -> _Check:
    """The database checked now (never a remembered answer), and a line logged when that changes."""
    rt: Runtime | None = None
    try:
        rt = runtime()
        status = database_status(rt.engine)
        check = _Check(rt, status, status.problem)
    except BennyError as exc:  # the runtime cannot be built: the database is unreachable, say
        check = _Check(rt, None, str(exc))
    except Exception:  # a health check reports every failure as a 503; the traceback is logged
        log.exception("the health check failed")
        check = _Check(rt, None, "the health check failed: see the app's log")
    _log_change(check.problem)
    return check


_last_problem: list[str | None] = [None]


def _log_change(problem: str | None) -> None:
    # Once per change, not per poll: a load balancer asks every few seconds.
    if problem == _last_problem[0]:
        return
    if problem is None:
        log.info("the database is usable again")
    else:
        log.error("the database is not usable: %s", problem)
    _last_problem[0] = problem


def _modes(rt: Runtime | None) -> dict[str, str | None]:
    if rt is None:
        return {"feed": None, "llm": None}
    try:
        feed: str | None = rt.settings.feed_mode
    except BennyError:  # BENNY_FEED=oddsapi without a key: the chat says so; the app still serves
        feed = None
    return {"feed": feed, "llm": rt.settings.llm_mode}


@routes.get("/health")
def health() -> JSONResponse:
    """Whether this process can serve, for load balancers and uptime checks; open to anyone.

    The status, ``ok`` (200) or ``degraded`` (503), follows the database alone, checked at every
    call on a connection of its own: it opens, it reads, and its schema is at the revision this
    code needs. Nothing about the host, the process or the live loop: ``/health/detail`` has those.
    """
    check = _check()
    return JSONResponse(check.public(), status_code=200 if check.problem is None else 503)


@routes.get("/health/detail")
def health_detail(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> JSONResponse:
    """/health with the reason, this process (host:pid), the live loop and the credits; for a token.

    Any user's API token (``benny users token NAME``) will do. Tokens are checked in the database,
    so while it is down this answers /health's body (the reason is in the app's log). A scheduler
    that is off, on standby or stopped is reported, not failed on: the app still serves the chat,
    and a load balancer must not take it out because another process runs the loop.
    """
    check = _check()
    body, code = check.public(), 200 if check.problem is None else 503
    if check.rt is None or check.database is None or check.database.error is not None:
        return JSONResponse(body, status_code=code)
    try:
        user = (
            None if credentials is None else token_user(engine=check.rt.engine, token=credentials.credentials)
        )
    except BennyError:  # the database went between the check and the token's lookup
        return JSONResponse(body, status_code=503)
    if user is None:
        return JSONResponse(
            {"error": "an API token is needed: `benny users token NAME`"},
            status_code=401,
            headers={"WWW-Authenticate": "Bearer"},
        )
    detail = {
        "problem": check.problem,
        "schema_head": check.database.head,
        "process": f"{socket.gethostname()}:{os.getpid()}",
        **_operations(check.rt),
    }
    return JSONResponse({**body, **detail}, status_code=code)


def _operations(rt: Runtime) -> dict[str, Any]:
    """The live loop (this process's, and any process's heartbeat) and the credits; null where unread.

    ``enabled`` is whether this process is set to embed the loop, ``state`` what its loop is doing
    (``off`` without one), ``alive`` whether any process's heartbeat is fresh, ``runner`` the
    host:pid of the process holding the scheduler.
    """
    loop = live_loop()
    scheduler: dict[str, Any] = {
        "enabled": rt.settings.scheduler,
        "state": loop.state if loop is not None else "off",
        "alive": None,
        "runner": None,
        "last_success": {},
    }
    credits = None
    try:
        with bind(rt.context(LOCAL_USER)):
            status = system_status(recent=0)
    except BennyError as exc:
        log.warning("health could not read the job history: %s", exc)
    else:
        scheduler["alive"], scheduler["runner"] = status.scheduler.alive, status.scheduler.runner
        scheduler["last_success"] = {
            job.name: job.last_success_at.isoformat() if job.last_success_at else None for job in status.jobs
        }
        credits = status.credits_remaining
    return {"scheduler": scheduler, "credits_remaining": credits}


@routes.get("/metrics")
def metrics() -> Response:
    """Prometheus' scrape: job runs, the scheduler, credits, predictions and bets (web.metrics).

    A database that is not usable (checked as /health does) fails the scrape with a 503 and a
    comment saying so: Prometheus records the target as down, not a set of stale numbers.
    """
    check = _check()
    if check.rt is None or check.problem is not None:
        return _scrape_failed()
    try:
        text = prometheus_text(check.rt.context(LOCAL_USER))
    except BennyError as exc:  # the database went between the check and the reads
        log.warning("the metrics could not be read: %s", exc)
        return _scrape_failed()
    return Response(text, media_type=CONTENT_TYPE)


def _scrape_failed() -> Response:
    text = "# benny cannot read its metrics: the database is not usable (the reason is in the app's log)\n"
    return Response(text, status_code=503, media_type=CONTENT_TYPE)


def _api_runtime() -> tuple[Settings, Any]:
    rt = runtime()
    return rt.settings, rt.engine


def install_routes() -> None:
    """Benny's routes, the REST API and the stored charts, first on Chainlit's server."""
    server = chainlit_server.app
    before = len(server.router.routes)
    server.include_router(routes)
    server.include_router(file_routes(chat_files))
    server.mount(API_PREFIX, build_api(_api_runtime))  # the REST API: web/rest.py
    added = server.router.routes[before:]
    del server.router.routes[before:]
    server.router.routes[0:0] = added


# Chainlit's page links a web font and the KaTeX stylesheet from CDNs. Benny needs neither (no
# custom fonts, LaTeX off), and the page must render without any outside request: drop them.
_OUTSIDE_LINK = re.compile(r"\s*<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>")


def serve_page_offline() -> None:
    """Chainlit's page without its CDN links; calling it again changes nothing."""
    chainlit_html: Callable[[str], str] = chainlit_server.get_html_template
    if getattr(chainlit_html, "benny_offline", False):
        return

    def offline_html(root_path: str) -> str:
        return _OUTSIDE_LINK.sub("", chainlit_html(root_path))

    offline_html.benny_offline = True  # type: ignore[attr-defined]
    chainlit_server.get_html_template = offline_html
