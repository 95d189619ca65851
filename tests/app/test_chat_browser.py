"""The walking skeleton in a real browser: ask 'NBA odds' and read a table of the database's numbers.

Drives Debian's Chromium with Playwright. Without Chromium these tests skip, unless
BENNY_REQUIRE_BROWSER=1 (as in CI), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from core.settings import load_settings
from tests.app.conftest import LiveApp
from tests.conftest import NOW, ROOT
from tools.context import bind, open_context
from tools.games import get_odds
from tools.setup import prepare_database

ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = ""
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        reason = "Debian's Chromium is not installed (apt-get install chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = reason or "playwright is not installed (pip install -e '.[dev]')"
    if reason:
        if os.environ.get("BENNY_REQUIRE_BROWSER", "") not in ("", "0"):
            pytest.fail(f"BENNY_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _expected_board(live_app: LiveApp) -> dict[str, Any]:
    settings = load_settings(_env_file=None, BENNY_HOME=live_app.env["BENNY_HOME"], BENNY_NOW=NOW.isoformat())
    engine = prepare_database(settings)
    try:
        with bind(open_context(settings=settings, engine=engine)):
            return get_odds(sport="nba", hours=36).model_dump(mode="json")
    finally:
        engine.dispose()


def test_nba_odds_in_the_browser_shows_the_databases_prices(browser: Any, live_app: LiveApp) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(live_app.url)
        page.get_by_text("NBA odds tonight").wait_for(timeout=30_000)  # the starter: the page is ready
        page.locator("#chat-input").fill("NBA odds")
        page.locator("#chat-submit").click()
        table = page.locator("table").last
        table.wait_for(timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "chat_nba_odds.png"), full_page=True)
        rows = table.locator("tbody tr")
        cells = [
            [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()] for i in range(rows.count())
        ]
    finally:
        page.close()

    board = _expected_board(live_app)
    assert len(cells) == len(board["games"]) >= 3
    for row, game in zip(cells, board["games"], strict=True):
        prices = {(m["market"], s["side"]): s for m in game["markets"] for s in m["sides"]}
        assert row[1] == f"{game['away_team']} @ {game['home_team']}"
        away, home = prices[("h2h", "away")], prices[("h2h", "home")]
        assert row[2] == f"{away['odds_american']:+d} ({away['book']})"
        assert row[3] == f"{home['odds_american']:+d} ({home['book']})"
