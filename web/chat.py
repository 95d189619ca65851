"""Benny in the browser: the Chainlit entry point.

Run it with `benny run` (or `make run`). The runtime (settings, database, agent graph) is built
on first use, not at import. Benny's own routes (``/health``, ``/metrics``, the REST API under
``/api/v1``, the chat's stored charts) are put ahead of Chainlit's routes, which would otherwise
answer them (and every other GET) themselves.

The live loop runs inside the app by default (``BENNY_SCHEDULER``): started on Chainlit's event
loop when the app starts, and stopped when it stops once the runs under way have finished. Set
``BENNY_SCHEDULER=false`` where `benny scheduler` runs it as its own process.

Login is the one thing decided at import: Chainlit shows a login page exactly when a password
callback is registered, so ``BENNY_AUTH`` is read here once. With it on, each user logs in with
the password from ``benny users create NAME --password``, chats as that user, and finds their
threads (charts included) in the history; with it off (the default) there is one local user, no
login page and no history. Every tool call runs as the logged-in user, never as one named in
the chat's text.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import json
import logging
import os
import re
import threading
from collections.abc import Callable
from typing import Annotated, Any

import chainlit as cl
import chainlit.server as chainlit_server
from chainlit.auth import get_current_user
from chainlit.input_widget import Select, Slider
from chainlit.server import app as server
from chainlit.types import ThreadDict
from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse, Response

from agent.graph import ask
from agent.runtime import Runtime, build_runtime
from agent.state import Message, text_of, tool_uses
from core.errors import BennyError
from core.settings import Settings, load_settings
from live.logs import configure_logging
from live.scheduler import LiveLoop
from presentation.charts import chart_data
from presentation.figures import FIGURES
from services.auth import auth_secret, authenticate
from services.setup import database_status
from tools.context import LOCAL_USER, bind
from tools.operations import system_status
from web.chat_store import ChatHistory, prepare_chat_history
from web.files import FILES_ROUTE
from web.metrics import CONTENT_TYPE, prometheus_text
from web.rest import PREFIX as API_PREFIX
from web.rest import build_api

log = logging.getLogger("benny.app")

# Chainlit takes DATABASE_URL for its own data layer; here it names Benny's database, so hand it
# to Benny under its own name before Chainlit looks.
if "DATABASE_URL" in os.environ:
    os.environ.setdefault("BENNY_DATABASE_URL", os.environ.pop("DATABASE_URL"))

# Chainlit loads this file as a bare module, so no classes here: the runtime lives in agent/.
_runtime: list[Runtime] = []
_history: list[ChatHistory | None] = []
# The embedded live loop, its stop signal and the task running it, while this process has one.
_live_loop: list[tuple[LiveLoop, asyncio.Event, asyncio.Task[None]]] = []
_lock = threading.Lock()

# How long stopping the app waits for the jobs under way; past it they are cut short (and the next
# scheduler marks them interrupted). Below the 30 s most process managers give before killing.
SHUTDOWN_GRACE_SECONDS = 25


def runtime(settings: Settings | None = None) -> Runtime:
    """Settings read once (or these), the schema upgraded, the graph built: on first use, then kept."""
    with _lock:
        if not _runtime:
            _runtime.append(build_runtime(settings or load_settings()))
        return _runtime[0]


def chat_history() -> ChatHistory | None:
    """Chainlit's history tables migrated and its file store: on first use, then kept."""
    settings = runtime().settings
    with _lock:
        if not _history:
            _history.append(prepare_chat_history(settings))
        return _history[0]


def _auth_from_settings() -> bool:
    """Whether logins are on; with them, Chainlit's token secret is in the environment before it checks."""
    settings = load_settings()
    if settings.auth and not os.environ.get("CHAINLIT_AUTH_SECRET"):
        os.environ["CHAINLIT_AUTH_SECRET"] = auth_secret(settings.home.resolve())
    return settings.auth


AUTH = _auth_from_settings()


# --- HTTP routes of Benny's own -------------------------------------------------------------

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
    loop = _live_loop[0][0] if _live_loop else None
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
        with bind(rt.context(LOCAL_USER)):
            text = prometheus_text()
    except BennyError as exc:  # a failed scrape: Prometheus records the target as down
        return Response(f"# benny cannot read its metrics: {exc}\n", status_code=503, media_type=CONTENT_TYPE)
    return Response(text, media_type=CONTENT_TYPE)


@routes.get(FILES_ROUTE + "/{object_key:path}")
async def chat_file(object_key: str, user: Annotated[Any, Depends(get_current_user)]) -> Response:
    """A stored chart of the chat history, to its owner only (the key starts with their id)."""
    history = _history[0] if _history else None
    owner = getattr(user, "id", None)  # Chainlit's persisted user; None without a login
    if history is None or owner is None or object_key.split("/", 1)[0] != str(owner):
        return Response(status_code=404)
    found = await asyncio.to_thread(history.files.read, object_key)
    if found is None:
        return Response(status_code=404)
    content, mime = found
    return Response(content=content, media_type=mime, headers={"Cache-Control": "private, no-store"})


def _api_runtime() -> tuple[Settings, Any]:
    rt = runtime()
    return rt.settings, rt.engine


def _install_routes() -> None:
    before = len(server.router.routes)
    server.include_router(routes)
    server.mount(API_PREFIX, build_api(_api_runtime))  # the REST API: web/rest.py
    added = server.router.routes[before:]
    del server.router.routes[before:]
    server.router.routes[0:0] = added


_install_routes()

# Chainlit's page links a web font and the KaTeX stylesheet from CDNs. Benny needs neither (no
# custom fonts, LaTeX off), and the page must render without any outside request: drop them.
_OUTSIDE_LINK = re.compile(r"\s*<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>")


def _serve_page_offline() -> None:
    chainlit_html: Callable[[str], str] = chainlit_server.get_html_template
    if getattr(chainlit_html, "benny_offline", False):
        return

    def offline_html(root_path: str) -> str:
        return _OUTSIDE_LINK.sub("", chainlit_html(root_path))

    offline_html.benny_offline = True  # type: ignore[attr-defined]
    chainlit_server.get_html_template = offline_html


_serve_page_offline()


# --- Login and history (BENNY_AUTH=1) -------------------------------------------------------


async def login(username: str, password: str) -> cl.User | None:
    """Chainlit's password callback: a user of Benny's with that password, or None."""
    rt = await asyncio.to_thread(runtime)
    user = await asyncio.to_thread(authenticate, engine=rt.engine, name=username, password=password)
    if user is None:
        return None
    return cl.User(identifier=user.name, display_name=user.name, metadata={"provider": "password"})


def data_layer() -> Any:
    history = chat_history()
    return history.data_layer() if history is not None else None


if AUTH:
    cl.password_auth_callback(login)
    cl.data_layer(data_layer)


# --- The chat -------------------------------------------------------------------------------

SPORTS = ["nba", "nfl", "mlb", "nhl", "epl"]
ODDS_FORMATS = ["american", "decimal"]
DEFAULT_CHAT_SETTINGS: dict[str, Any] = {"sport": "nba", "window_hours": 36, "odds_format": "american"}


def _user_name() -> str:
    """The logged-in user with auth on; the local user otherwise. Never from the chat's text."""
    if not AUTH:
        return LOCAL_USER
    user = cl.context.session.user
    if user is None:  # Chainlit refuses the connection first; this is the guard behind it
        raise PermissionError("no logged-in user")
    return str(user.identifier)


def _chat_settings() -> dict[str, Any]:
    chosen = cl.user_session.get("chat_settings") or {}  # type: ignore[no-untyped-call]
    merged = {**DEFAULT_CHAT_SETTINGS, **{k: v for k, v in chosen.items() if k in DEFAULT_CHAT_SETTINGS}}
    merged["window_hours"] = int(merged["window_hours"])
    return merged


def _settings_widgets(values: dict[str, Any]) -> cl.ChatSettings:
    return cl.ChatSettings(
        [
            Select(id="sport", label="Sport", values=SPORTS, initial_value=values["sport"]),
            Slider(
                id="window_hours",
                label="Window (hours ahead)",
                initial=values["window_hours"],
                min=6,
                max=168,
                step=6,
            ),
            Select(
                id="odds_format",
                label="Odds format",
                values=ODDS_FORMATS,
                initial_value=values["odds_format"],
            ),
        ]
    )


def mode_banner(settings: Settings) -> str:
    """Which brain and which odds feed are on, in one line for the welcome screen."""
    brain = f"Claude brain ({settings.model})" if settings.llm_mode == "claude" else "Offline brain"
    try:
        feed = "live feed (The Odds API)" if settings.feed_mode == "oddsapi" else "simulated feed"
    except BennyError as exc:
        feed = f"feed misconfigured: {exc}"
    return f"**{brain} · {feed}** · play money only"


def _log_as_benny(settings: Settings) -> None:
    """Benny's log lines (text, or JSON with BENNY_LOG_FORMAT=json) in place of Chainlit's.

    `chainlit run` calls ``logging.basicConfig`` with a format of its own; left beside Benny's
    handler, every line would be written twice, once in each format.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    configure_logging(settings)


def _start_live_loop(rt: Runtime) -> None:
    """The live loop as a task on Chainlit's event loop (APScheduler's asyncio scheduler runs there)."""
    loop, stop = LiveLoop(rt.settings, rt.engine, drain_seconds=SHUTDOWN_GRACE_SECONDS), asyncio.Event()
    task = asyncio.create_task(loop.run(stop), name="benny-live-loop")
    task.add_done_callback(_live_loop_ended)
    _live_loop[:] = [(loop, stop, task)]


def _live_loop_ended(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("the embedded scheduler stopped on an error", exc_info=error)


@cl.on_app_startup
async def warm_up() -> None:
    """Log in Benny's format, build the runtime, and start the embedded live loop unless it is off."""
    settings = await asyncio.to_thread(load_settings)
    _log_as_benny(settings)
    rt = await asyncio.to_thread(runtime, settings)
    if AUTH:
        await asyncio.to_thread(chat_history)
    if rt.settings.scheduler:
        _start_live_loop(rt)


@cl.on_app_shutdown
async def shut_down() -> None:
    """Stop the embedded live loop: no new runs start, and the ones under way may finish.

    Chainlit ends the process (``os._exit``) right after this hook, and APScheduler's asyncio
    executor does not wait for the worker threads its jobs run on, so they are waited for here:
    the event loop's default executor is drained, for up to ``SHUTDOWN_GRACE_SECONDS``.
    """
    if not _live_loop:
        return
    _, stop, task = _live_loop[0]
    stop.set()
    await asyncio.wait({task})  # its error, if any, was logged when it ended
    draining = asyncio.ensure_future(asyncio.get_running_loop().shutdown_default_executor())
    _, unfinished = await asyncio.wait({draining}, timeout=SHUTDOWN_GRACE_SECONDS)
    if unfinished:
        log.warning("jobs still running after %d s are cut short", SHUTDOWN_GRACE_SECONDS)


@cl.set_chat_profiles
async def profiles(user: cl.User | None = None, language: str | None = None) -> list[cl.ChatProfile]:
    # One profile: Chainlit shows no picker for it, but shows its icon and text on the welcome screen.
    try:
        settings = (await asyncio.to_thread(runtime)).settings
        banner = mode_banner(settings)
    except BennyError as exc:
        banner = f"**Benny cannot start:** {exc}"
    return [
        cl.ChatProfile(
            name="Benny",
            markdown_description=f"{banner}\n\nOdds, ten graded models, and Benny's paper trading.",
            icon="/public/benny.svg",
            default=True,
        )
    ]


@cl.set_starters
async def starters(user: cl.User | None = None, language: str | None = None) -> list[cl.Starter]:
    return [
        cl.Starter(label="NBA odds tonight", message="NBA odds"),
        cl.Starter(
            label="Best value bets in the NBA today", message="What are the best value bets in the NBA today?"
        ),
        cl.Starter(
            label="Model leaderboard, last 30 days", message="Model leaderboard over the last 30 days"
        ),
        cl.Starter(label="NBA games tomorrow", message="Which NBA games are on tomorrow?"),
        cl.Starter(label="What can you do?", message="help"),
    ]


@cl.on_chat_start
async def start() -> None:
    values = _chat_settings()
    cl.user_session.set("chat_settings", values)  # type: ignore[no-untyped-call]
    await _settings_widgets(values).send()  # type: ignore[no-untyped-call]


@cl.on_chat_resume
async def resume(thread: ThreadDict) -> None:
    # Chainlit restores the user session from the thread; the graph's memory is keyed by the thread.
    values = _chat_settings()
    cl.user_session.set("chat_settings", values)  # type: ignore[no-untyped-call]
    await _settings_widgets(values).send()  # type: ignore[no-untyped-call]


@cl.on_settings_update
async def settings_changed(values: dict[str, Any]) -> None:
    chosen = {k: v for k, v in values.items() if k in DEFAULT_CHAT_SETTINGS}
    cl.user_session.set("chat_settings", chosen)  # type: ignore[no-untyped-call]


async def _show_tool_steps(messages: list[Message]) -> None:
    for call, result in _calls_with_results(messages):
        async with cl.Step(name=call["name"], type="tool") as step:
            step.input = json.dumps(call["input"])
            step.output = result.get("content", "")
            step.language = "json"


def _calls_with_results(messages: list[Message]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """Every tool call of a turn with its result block (empty if it has none)."""
    pairs = []
    for index, message in enumerate(messages):
        calls = tool_uses(message)
        if not calls or index + 1 >= len(messages):
            continue
        content = messages[index + 1]["content"]
        results = {b["tool_use_id"]: b for b in content if b.get("type") == "tool_result"}
        pairs += [(call, results.get(call["id"], {})) for call in calls]
    return pairs


def charts(messages: list[Message]) -> list[cl.Plotly]:
    """A chart per tool of the turn that has one: leaderboard, bankroll, line movement, calibration."""
    elements = []
    for call, result in _calls_with_results(messages):
        if not result or result.get("is_error"):
            continue
        data = chart_data(call["name"], json.loads(result["content"]))
        if data is None or data.get("kind") not in FIGURES:
            continue
        name, build = FIGURES[data["kind"]]
        elements.append(cl.Plotly(name=name, figure=build(data), display="inline", size="large"))
    return elements


def _live_text() -> tuple[cl.Message, Callable[[str], None], list[concurrent.futures.Future[Any]]]:
    """A message that streams text written on the graph's worker thread onto this event loop."""
    loop = asyncio.get_running_loop()
    live = cl.Message(content="")
    pending: list[concurrent.futures.Future[Any]] = []

    def on_text(piece: str) -> None:
        pending.append(asyncio.run_coroutine_threadsafe(live.stream_token(piece), loop))

    return live, on_text, pending


@cl.on_message
async def on_message(message: cl.Message) -> None:
    user, chosen, thread_id = _user_name(), _chat_settings(), cl.context.session.thread_id
    try:
        rt = await asyncio.to_thread(runtime)
        ctx = dataclasses.replace(await asyncio.to_thread(rt.context, user), chat_settings=chosen)
        live, on_text, pending = _live_text() if rt.settings.llm_mode == "claude" else (None, None, [])
        turn = await asyncio.to_thread(
            ask, rt.graph, message.content, ctx, thread_id=thread_id, on_text=on_text
        )
    except BennyError as exc:
        await cl.Message(content=f"Benny cannot answer: {exc}").send()  # type: ignore[no-untyped-call]
        return
    if live is not None:
        # Claude's words were shown as they came; the finished answer (with its charts) replaces them.
        await asyncio.gather(*(asyncio.wrap_future(f) for f in pending))
        await live.remove()  # type: ignore[no-untyped-call]
    await _show_tool_steps(turn)
    answer = cl.Message(content=text_of(turn[-1]), elements=charts(turn))
    await answer.send()  # type: ignore[no-untyped-call]
