"""The browser chat: Chainlit's handlers, registered when the entry (``app.py``) imports this module.

Each message runs the agent graph as the logged-in user (``web.login``) with the user's chat
settings (sport, window, odds format), in the LangGraph thread keyed by Chainlit's thread id;
the answer carries the tool steps, the rendered Markdown and a chart per tool that has one
(``presentation.figures``). Starting the app logs in Benny's format, builds the runtime and
starts the embedded live loop; stopping it stops the loop (``web.app_state``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import json
import logging
from collections.abc import Callable
from typing import Any

import chainlit as cl
from chainlit.input_widget import Select, Slider
from chainlit.types import ThreadDict

from agent.graph import ask
from agent.state import Message, text_of, tool_uses
from core.chat_settings import ODDS_FORMATS, SPORTS, WINDOW_HOURS, ChatSettings
from core.errors import BennyError
from core.settings import Settings, load_settings
from live.logs import configure_logging
from presentation.charts import chart_data
from presentation.figures import FIGURES
from web.app_state import chat_history, runtime, start_live_loop, stop_live_loop
from web.files import keep_session_files
from web.login import logins_on, user_name


def _chat_settings() -> tuple[ChatSettings, list[str]]:
    """The session's chat settings, read as any client's values are: checked, the bad ones replaced."""
    return ChatSettings.read(cl.user_session.get("chat_settings"))  # type: ignore[no-untyped-call]


async def _show(values: ChatSettings, notes: list[str]) -> None:
    """Show the settings panel holding ``values``, and a note for each value they replaced.

    Sending the panel is also what stores them: Chainlit keeps the session's chat settings as the
    panel's values, and merges whatever a client submits into them before the app is called.
    """
    await _settings_widgets(values).send()  # type: ignore[no-untyped-call]
    if notes:
        await cl.Message(content="Chat settings: " + "; ".join(notes) + ".").send()  # type: ignore[no-untyped-call]


def _settings_widgets(values: ChatSettings) -> cl.ChatSettings:
    return cl.ChatSettings(
        [
            Select(id="sport", label="Sport", values=list(SPORTS), initial_value=values.sport),
            Slider(
                id="window_hours",
                label="Window (hours ahead)",
                initial=values.window_hours,
                min=WINDOW_HOURS[0],
                max=WINDOW_HOURS[1],
                step=6,
            ),
            Select(
                id="odds_format",
                label="Odds format",
                values=list(ODDS_FORMATS),
                initial_value=values.odds_format,
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


@cl.on_app_startup
async def warm_up() -> None:
    """Log in Benny's format, keep the session files under BENNY_HOME, build the runtime, and start
    the embedded live loop unless it is off."""
    settings = await asyncio.to_thread(load_settings)
    _log_as_benny(settings)
    keep_session_files(settings.home.resolve())
    rt = await asyncio.to_thread(runtime, settings)
    if logins_on():
        await asyncio.to_thread(chat_history)
    if rt.settings.scheduler:
        start_live_loop(rt)


@cl.on_app_shutdown
async def shut_down() -> None:
    """Stop the embedded live loop once the runs under way have finished (``stop_live_loop``)."""
    await stop_live_loop()


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
    await _show(*_chat_settings())


@cl.on_chat_resume
async def resume(thread: ThreadDict) -> None:
    # Chainlit restores the chat settings from the thread; the graph's memory is keyed by the thread.
    await _show(*_chat_settings())


@cl.on_settings_update
async def settings_changed(values: dict[str, Any]) -> None:
    # Chainlit has merged ``values`` into the session's settings already: read those back.
    chosen, notes = _chat_settings()
    if notes:
        await _show(chosen, notes)


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
    user, thread_id = user_name(), cl.context.session.thread_id
    chosen, notes = _chat_settings()
    if notes:
        await _show(chosen, notes)
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
