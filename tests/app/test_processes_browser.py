"""Several app processes, as docs/OPERATIONS.md runs them: stopping one leaves the others serving.

Two `benny run` processes from the same install share one PostgreSQL database and one
``BENNY_HOME``, the scheduler off. One stops (SIGTERM, as a supervisor stops it); the other then
answers a chart question in the browser, chart and all.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from typing import Any

import pytest

from tests.app.conftest import (
    AUTH_NOW,
    PREDICTED_AT,
    LiveApp,
    _base_env,
    benny,
    start_app,
    stop_app,
)
from tests.conftest import _fresh_postgres

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

LEADERBOARD_QUESTION = "Show me the model leaderboard over the last 30 days"
WAIT_MS = 30_000


@pytest.fixture(scope="module")
def two_apps(tmp_path_factory: pytest.TempPathFactory, postgres_server_url: str) -> Iterator[list[Any]]:
    """Two app processes on one database and one BENNY_HOME, with graded predictions to chart."""
    _fresh_postgres(postgres_server_url)
    home = tmp_path_factory.mktemp("deployment")
    env = _base_env(home, AUTH_NOW, DATABASE_URL=postgres_server_url)
    benny(env, "init", "--demo", now=PREDICTED_AT)
    benny(env, "analyze", now=PREDICTED_AT)
    benny(env, "init", "--demo")
    benny(env, "verify")
    started: list[tuple[subprocess.Popen[Any], str]] = []
    try:
        for name in ("first", "second"):
            started.append(start_app(env, home / f"{name}.log"))
        yield [
            (process, LiveApp(url=url, env=env, log=home / f"{name}.log"))
            for (process, url), name in zip(started, ("first", "second"), strict=True)
        ]
    finally:
        for process, _ in started:
            stop_app(process)


def test_stopping_one_app_process_leaves_the_other_serving_charts(browser: Any, two_apps: list[Any]) -> None:
    (first, _), (_, second) = two_apps
    stop_app(first)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(second.url)
        page.get_by_text("Model leaderboard, last 30 days").wait_for(timeout=WAIT_MS)
        page.locator("#chat-input").fill(LEADERBOARD_QUESTION)
        page.locator("#chat-submit").click()
        chart = page.locator(".js-plotly-plot").first
        answered = page.get_by_text("Used compare_models").first
        answered.wait_for(timeout=WAIT_MS)
        text = page.locator("body").inner_text()
        assert "Errno" not in text and "No such file" not in text, text
        chart.wait_for(timeout=WAIT_MS)
        plotted = chart.evaluate("el => el.data[0].x")
    finally:
        page.close()
    assert len(plotted) >= 3
