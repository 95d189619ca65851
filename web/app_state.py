"""What the app process makes once and keeps: the runtime, the chat history, the embedded live loop.

The runtime (settings, database, agent graph) and the chat history are built on first use, not
at import. The live loop runs inside the app by default (``BENNY_SCHEDULER``): started on
Chainlit's event loop when the app starts, and stopped when it stops once the runs under way
have finished. Set ``BENNY_SCHEDULER=false`` where `benny scheduler` runs it as its own process.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from agent.runtime import Runtime, build_runtime
from core.settings import Settings, load_settings
from live.scheduler import LiveLoop
from web.chat_store import ChatHistory, prepare_chat_history
from web.files import LocalFileStorage

log = logging.getLogger(__name__)

# Module-level holders, filled on first use: Chainlit calls plain functions, not methods of an app.
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


def chat_files() -> LocalFileStorage | None:
    """The chat's stored charts, once the history is open; never opens it."""
    history = _history[0] if _history else None
    return history.files if history is not None else None


def live_loop() -> LiveLoop | None:
    """This process's embedded live loop, if it runs one."""
    return _live_loop[0][0] if _live_loop else None


def start_live_loop(rt: Runtime) -> None:
    """The live loop as a task on Chainlit's event loop (APScheduler's asyncio scheduler runs there)."""
    loop, stop = LiveLoop(rt.settings, rt.engine, drain_seconds=SHUTDOWN_GRACE_SECONDS), asyncio.Event()
    task = asyncio.create_task(loop.run(stop), name="benny-live-loop")
    task.add_done_callback(_live_loop_ended)
    _live_loop[:] = [(loop, stop, task)]


def _live_loop_ended(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("the embedded scheduler stopped on an error", exc_info=error)


async def stop_live_loop() -> None:
    """Stop the embedded live loop: no new runs start, and the ones under way may finish.

    Chainlit ends the process (``os._exit``) right after its shutdown hook, and APScheduler's
    asyncio executor does not wait for the worker threads its jobs run on, so they are waited for
    here: the event loop's default executor is drained, for up to ``SHUTDOWN_GRACE_SECONDS``.
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
