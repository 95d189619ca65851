"""Benny in the browser with logins on: log in, ask, read tables and charts, find them again in the history.

Every number checked on the page is compared with what the tool returns in-process against the
same database, for the same question asked by the same user with the same chat settings.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from agent.brain import OfflineBrain
from agent.graph import ask, build_graph
from agent.state import tool_uses
from core.chat_settings import ChatSettings
from core.settings import load_settings
from services.setup import prepare_database
from tests.app.conftest import ARTIFACTS, AUTH_NOW, PASSWORD, USER, LiveApp
from tools.context import open_context

pytestmark = pytest.mark.browser

VALUE_QUESTION = "What are the best value bets in the NBA today?"
LEADERBOARD_QUESTION = "Show me the model leaderboard over the last 30 days"
CHAT_SETTINGS = ChatSettings()  # the app's defaults
WAIT_MS = 30_000


def _tool_results(app: LiveApp, question: str) -> dict[str, Any]:
    """Each tool's parsed result when ``question`` runs in-process for the user, by tool name."""
    settings = load_settings(_env_file=None, BENNY_HOME=str(app.home), BENNY_NOW=AUTH_NOW.isoformat())
    engine = prepare_database(settings)
    try:
        ctx = replace(open_context(user=USER, settings=settings, engine=engine), chat_settings=CHAT_SETTINGS)
        turn = ask(build_graph(OfflineBrain()), question, ctx)
    finally:
        engine.dispose()
    names = {call["id"]: call["name"] for message in turn for call in tool_uses(message)}
    return {
        names[block["tool_use_id"]]: json.loads(block["content"])
        for message in turn
        if message["role"] == "user" and isinstance(message["content"], list)
        for block in message["content"]
        if block.get("type") == "tool_result" and not block.get("is_error")
    }


@pytest.fixture
def page(browser: Any, auth_app: LiveApp) -> Iterator[Any]:
    """A fresh page (no cookies) that records every request leaving the app's origin."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.outside = []
    page.on(
        "request",
        lambda r: None if r.url.startswith((auth_app.url, "data:", "blob:")) else page.outside.append(r.url),
    )
    yield page
    context.close()


def _log_in(page: Any, app: LiveApp, password: str = PASSWORD) -> None:
    page.goto(app.url)
    page.locator("#email").fill(USER)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Sign In").click()


def _shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_login_refuses_a_wrong_password_then_shows_the_mode_banner(page: Any, auth_app: LiveApp) -> None:
    _log_in(page, auth_app, password="not the password")
    page.get_by_text(re.compile("Unable to sign in|Sign in failed")).wait_for(timeout=WAIT_MS)
    _shot(page, "auth_wrong_password.png")
    assert page.locator("#chat-input").count() == 0

    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.get_by_text("Best value bets in the NBA today").wait_for(timeout=WAIT_MS)
    page.get_by_text("Model leaderboard, last 30 days").wait_for(timeout=WAIT_MS)
    banner = page.locator("#welcome-screen")
    assert "Offline brain · simulated feed" in banner.inner_text()
    _shot(page, "auth_welcome.png")
    assert page.outside == []  # the page renders with no outside request


def test_value_bets_starter_shows_the_tools_numbers(page: Any, auth_app: LiveApp) -> None:
    _log_in(page, auth_app)
    page.get_by_text("Best value bets in the NBA today").click()  # the starter sends VALUE_QUESTION
    table = page.locator("table").last
    table.wait_for(timeout=WAIT_MS)
    _shot(page, "auth_value_bets.png")
    rows = table.locator("tbody tr")
    cells = [[c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())]

    bets = _tool_results(auth_app, VALUE_QUESTION)["best_value_bets"]
    assert len(bets) >= 3
    assert len(cells) == len(bets)
    for row, bet in zip(cells, bets, strict=True):
        # Start | Matchup | Pick | Book | Odds | Fair | EV: the tool's numbers, only formatted.
        assert row[1:5] == [bet["matchup"], bet["pick"], bet["book"], f"{bet['odds_american']:+d}"]
        assert row[5:7] == [f"{bet['fair_probability'] * 100:.1f}%", f"{bet['expected_value'] * 100:.1f}%"]


def test_leaderboard_chart_is_the_tools_and_comes_back_from_the_history(page: Any, auth_app: LiveApp) -> None:
    _log_in(page, auth_app)
    page.get_by_text("Model leaderboard, last 30 days").wait_for(timeout=WAIT_MS)
    page.locator("#chat-input").fill(LEADERBOARD_QUESTION)
    page.locator("#chat-submit").click()
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=WAIT_MS)
    _shot(page, "auth_leaderboard.png")
    plotted = chart.evaluate("el => ({x: el.data[0].x, y: el.data[0].y, c: el.data[0].customdata})")
    thread = re.search(r"/thread/([0-9a-f-]{36})", page.url)
    assert thread is not None, page.url

    rows = _tool_results(auth_app, LEADERBOARD_QUESTION)["compare_models"]
    graded = [r for r in rows if r["accuracy"] is not None]
    assert len(graded) >= 3
    assert len(plotted["x"]) == min(len(graded), 25)
    by_key = {(r["model"], r["accuracy"], r["accuracy_low"], r["accuracy_high"]) for r in graded}
    for label, accuracy, (low, high) in zip(plotted["y"], plotted["x"], plotted["c"], strict=True):
        assert (label.split(" · ")[0], accuracy, low, high) in by_key
    best = max(graded, key=lambda r: (r["accuracy_low"], r["accuracy"]))
    assert (plotted["x"][-1], plotted["c"][-1][0]) == (best["accuracy"], best["accuracy_low"])  # top row

    page.goto(auth_app.url)  # a new page load: the thread is in the history, chart and all
    entry = page.locator(f"#thread-{thread.group(1)}")
    entry.wait_for(timeout=WAIT_MS)
    assert LEADERBOARD_QUESTION in entry.inner_text()
    entry.locator("a").click()
    resumed = page.locator(".js-plotly-plot").first
    resumed.wait_for(timeout=WAIT_MS)
    page.get_by_text("Used compare_models").first.wait_for(timeout=WAIT_MS)
    _shot(page, "auth_history_leaderboard.png")
    assert resumed.evaluate("el => el.data[0].x") == plotted["x"]
    assert page.outside == []
