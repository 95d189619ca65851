"""The app's pieces without a server: charts from tool results, chat settings, the banner, the page."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import chainlit.server as chainlit_server
import chainlit.socket as chainlit_socket
import pytest
from chainlit.context import init_http_context, init_ws_context
from chainlit.session import WebsocketSession

from core.chat_settings import ChatSettings
from core.settings import load_settings
from web import chat
from web.routes import serve_page_offline


def _charts(turn: list[dict[str, Any]]) -> list[Any]:
    async def build() -> list[Any]:
        init_http_context()  # an element belongs to a thread: Chainlit reads it from its context
        return list(chat.charts(turn))

    return asyncio.run(build())


def _record(
    model: str, accuracy: float | None, low: float | None, high: float | None, **kw: Any
) -> dict[str, Any]:
    return {
        "model": model, "sport": kw.get("sport", "basketball_nba"), "market": kw.get("market", "h2h"),
        "n": 20.0, "accuracy": accuracy, "accuracy_low": low, "accuracy_high": high,
        "inverse_accuracy": None, "brier": None, "log_loss": None, "roi": None, "clv": None,
        "recommendation": "ORIGINAL", "multiplier": 1.0,
    }  # fmt: skip


def _turn(name: str, result: Any, *, is_error: bool = False) -> list[dict[str, Any]]:
    call = {"type": "tool_use", "id": "toolu_1", "name": name, "input": {}}
    content = result if is_error else json.dumps(result)
    block = {"type": "tool_result", "tool_use_id": "toolu_1", "content": content, "is_error": is_error}
    return [
        {"role": "user", "content": [{"type": "text", "text": "leaderboard"}]},
        {"role": "assistant", "content": [call]},
        {"role": "user", "content": [block]},
        {"role": "assistant", "content": [{"type": "text", "text": "done"}]},
    ]


def test_the_leaderboard_chart_plots_the_tools_numbers_ranked_by_the_intervals_low_end() -> None:
    rows = [
        _record("lucky", 1.0, 0.206543, 1.0),  # one pick: the highest accuracy, the widest interval
        _record("steady", 0.6, 0.386582, 0.781193),
        _record("coin", 0.5, 0.299298, 0.700702),
        _record("unseen", None, None, None),
    ]
    (element,) = _charts(_turn("compare_models", rows))
    assert element.name == "leaderboard"
    trace = json.loads(element.content)["data"][0]
    assert trace["y"] == ["lucky", "coin", "steady"]  # Plotly's bottom row first: steady tops the chart
    assert trace["x"] == [1.0, 0.5, 0.6]
    assert trace["customdata"] == [[0.206543, 1.0], [0.299298, 0.700702], [0.386582, 0.781193]]
    assert trace["error_x"]["arrayminus"] == pytest.approx([1.0 - 0.206543, 0.5 - 0.299298, 0.6 - 0.386582])


def test_rows_of_several_boards_are_labelled_with_sport_and_market() -> None:
    rows = [_record("value", 0.6, 0.4, 0.8), _record("value", 0.55, 0.35, 0.75, sport="icehockey_nhl")]
    (element,) = _charts(_turn("compare_models", rows))
    assert json.loads(element.content)["data"][0]["y"] == ["value · NHL h2h", "value · NBA h2h"]


def test_the_dashboard_charts_the_bankroll_and_nothing_is_charted_without_data() -> None:
    dashboard = {
        "bankroll": [
            {"at": "2025-11-01T00:00:00Z", "bankroll_usd": 0.0},
            {"at": "2025-11-02T00:00:00Z", "bankroll_usd": 4.5},
        ]
    }
    (element,) = _charts(_turn("benny_dashboard", dashboard))
    trace = json.loads(element.content)["data"][0]
    assert (element.name, trace["y"]) == ("bankroll", [0.0, 4.5])
    assert _charts(_turn("benny_dashboard", {"bankroll": []})) == []
    assert _charts(_turn("compare_models", [_record("unseen", None, None, None)])) == []
    assert _charts(_turn("compare_models", "days must be 7, 30, 90 or all", is_error=True)) == []
    assert _charts(_turn("get_odds", {"games": []})) == []


class _Client:
    """A browser's socket as Chainlit's own handlers see it: a real session recording what it is sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, Any]] = []
        self.session = WebsocketSession(
            id=f"session-{id(self)}", socket_id=f"socket-{id(self)}", emit=self._emit,
            emit_call=self._emit, user_env={}, client_type="webapp",
        )  # fmt: skip

    async def _emit(self, event: str, data: Any, *_: Any) -> None:
        self.sent.append((event, data))

    def change_settings(self, values: dict[str, Any]) -> None:
        """What the settings panel's submit does: Chainlit stores the values, then calls the app."""
        asyncio.run(chainlit_socket.change_settings(self.session.socket_id, values))

    def notes(self) -> list[str]:
        return [data["output"] for event, data in self.sent if event == "new_message"]

    def read(self) -> tuple[ChatSettings, list[str]]:
        async def inside() -> tuple[ChatSettings, list[str]]:
            init_ws_context(self.session)
            return chat._chat_settings()

        return asyncio.run(inside())


@pytest.fixture
def client() -> Iterator[_Client]:
    made = _Client()
    yield made
    asyncio.run(made.session.delete())


def test_chat_settings_keep_known_keys_over_the_defaults(client: _Client) -> None:
    assert client.read() == (ChatSettings(sport="nba", window_hours=36, odds_format="american"), [])
    client.change_settings({"sport": "nhl", "window_hours": 48.0, "odds_format": "decimal", "x": 1})
    assert client.read() == (ChatSettings(sport="nhl", window_hours=48, odds_format="decimal"), [])
    assert client.notes() == []


def test_bad_chat_settings_fall_back_to_the_defaults_with_a_note(client: _Client) -> None:
    # What a client can send over the socket: the widgets do not bound it.
    client.change_settings({"sport": "curling", "window_hours": "abc", "odds_format": "decimal"})
    [note] = client.notes()
    assert "sport 'curling' is not one of nba, nfl, mlb, nhl, epl: using nba" in note
    assert "window_hours 'abc' is not a whole number of hours from 6 to 168: using 36" in note
    # The session now holds what was kept, so the next turn reads it without a word.
    assert client.read() == (ChatSettings(sport="nba", window_hours=36, odds_format="decimal"), [])
    widgets = next(data for event, data in client.sent if event == "chat_settings")
    assert [w["initial"] for w in widgets] == ["nba", 36, "decimal"]


def test_chat_settings_that_cannot_be_read_are_the_defaults_with_a_note_each() -> None:
    # A thread resumed with what an older version stored, say, is read the same way, never raising.
    stored = {"window_hours": 1e9, "sport": ["nba"], "odds_format": "x" * 10_000, "theme": "dark"}
    settings, notes = ChatSettings.read(stored)
    assert settings == ChatSettings()
    assert len(notes) == 3 and all(len(note) < 120 for note in notes), notes
    assert ChatSettings.read({"window_hours": "48", "sport": "epl"}) == (
        ChatSettings(sport="epl", window_hours=48),
        [],
    )
    assert ChatSettings.read(None) == (ChatSettings(), [])
    assert ChatSettings.read("abc")[1] == ["the chat settings 'abc' could not be read: using the defaults"]


def test_the_banner_says_which_brain_and_feed_are_on() -> None:
    offline = load_settings(_env_file=None)
    assert chat.mode_banner(offline) == "**Offline brain · simulated feed** · play money only"
    live = load_settings(
        _env_file=None, ANTHROPIC_API_KEY="k", ODDS_API_KEY="k", BENNY_MODEL="claude-haiku-5-5"
    )
    assert (
        chat.mode_banner(live)
        == "**Claude brain (claude-haiku-5-5) · live feed (The Odds API)** · play money only"
    )


def test_the_page_asks_for_nothing_outside_the_app() -> None:
    serve_page_offline()  # as the entry does when Chainlit loads it
    html = chainlit_server.get_html_template("")
    assert "<title>Benny</title>" in html
    assert "fonts.googleapis.com" not in html
    assert "katex" not in html
    assert 'href="/assets/' in html  # the app's own stylesheet stays
