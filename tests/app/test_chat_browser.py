"""The walking skeleton in a real browser: ask 'NBA odds' and read a table of the database's numbers.

With logins off (the default) the page opens straight on the chat: no login form. The browser
fixture (Debian's Chromium through Playwright) is in conftest.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from core.settings import load_settings
from services.setup import prepare_database
from tests.app.conftest import ARTIFACTS, LiveApp
from tests.conftest import NOW
from tools.context import bind, open_context
from tools.games import get_odds

pytestmark = pytest.mark.browser


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
        assert page.locator("#password").count() == 0  # no login without BENNY_AUTH
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
