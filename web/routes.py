"""Benny's own HTTP routes on Chainlit's server, and its page served without outside requests.

``/health``, ``/metrics``, the REST API under ``/api/v1`` and the chat's stored charts are put
ahead of Chainlit's routes, which would otherwise answer them (and every other GET) themselves.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import chainlit.server as chainlit_server
from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from agent.runtime import Runtime
from core.errors import BennyError
from core.settings import Settings
from services.setup import database_status
from tools.context import LOCAL_USER, bind
from tools.operations import system_status
from web.app_state import chat_files, live_loop, runtime
from web.files import file_routes
from web.metrics import CONTENT_TYPE, prometheus_text
from web.rest import PREFIX as API_PREFIX
from web.rest import build_api

log = logging.getLogger(__name__)

routes = APIRouter()


@routes.get("/health")
def health() -> JSONResponse:
    """Benny's health: the database, which feed and brain are on, the live loop, the credits left.

    The status (and 200 or 503) follows the database alone. A scheduler that is off, on standby or
    stopped is reported under ``scheduler``, not failed on: the app still serves the chat, and a
    load balancer or orchestrator must not take it out (or restart it) because another process
    runs the loop.
    """
    rt: Runtime | None = None
    try:
        rt = runtime()
        database = database_status(rt.engine)
        modes = {"feed": rt.settings.feed_mode, "llm": rt.settings.llm_mode}
    except BennyError as exc:
        database, modes = f"error: {exc}", {}
    status = "ok" if database == "ok" else "degraded"
    operations = _operations(rt if database == "ok" else None)
    body = {"status": status, "database": database, **modes, **operations, "service": "benny"}
    return JSONResponse(body, status_code=200 if status == "ok" else 503)


def _operations(rt: Runtime | None) -> dict[str, Any]:
    """The live loop (this process's, and any process's heartbeat) and the credits; null where unread.

    ``enabled`` is whether this process is set to embed the loop, ``state`` what its loop is doing
    (``off`` without one), ``alive`` whether any process's heartbeat is fresh.
    """
    loop = live_loop()
    scheduler: dict[str, Any] = {
        "enabled": rt.settings.scheduler if rt is not None else loop is not None,
        "state": loop.state if loop is not None else "off",
        "alive": None,
        "runner": None,
        "last_success": {},
    }
    credits = None
    if rt is not None:
        try:
            with bind(rt.context(LOCAL_USER)):
                status = system_status(recent=0)
        except BennyError as exc:
            log.warning("health could not read the job history: %s", exc)
        else:
            scheduler["alive"], scheduler["runner"] = status.scheduler.alive, status.scheduler.runner
            scheduler["last_success"] = {
                job.name: job.last_success_at.isoformat() if job.last_success_at else None
                for job in status.jobs
            }
            credits = status.credits_remaining
    return {"scheduler": scheduler, "credits_remaining": credits}


@routes.get("/metrics")
def metrics() -> Response:
    """Prometheus' scrape: job runs, the scheduler, credits, predictions and bets (web.metrics)."""
    try:
        rt = runtime()
        text = prometheus_text(rt.context(LOCAL_USER))
    except BennyError as exc:  # a failed scrape: Prometheus records the target as down
        return Response(f"# benny cannot read its metrics: {exc}\n", status_code=503, media_type=CONTENT_TYPE)
    return Response(text, media_type=CONTENT_TYPE)


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
