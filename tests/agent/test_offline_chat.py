"""The walking skeleton: "NBA odds" through the graph and offline brain to a table of the tool's numbers."""

from __future__ import annotations

import json
import re

from agent.brain import OfflineBrain
from agent.graph import ask, build_graph
from agent.state import text_of, tool_uses
from services.demo import seed_demo
from tools.context import ToolContext, bind
from tools.games import get_odds


def _table_rows(text: str) -> list[list[str]]:
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| Start")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def _american(cell: str) -> tuple[int, str]:
    match = re.search(r"([+-]\d+) \((\w+)\)$", cell)
    assert match, cell
    return int(match.group(1)), match.group(2)


def test_nba_odds_answer_shows_the_tools_numbers(ctx: ToolContext) -> None:
    seed_demo(ctx)
    turn = ask(build_graph(OfflineBrain()), "NBA odds", ctx)

    calls = tool_uses(turn[1])
    assert [c["name"] for c in calls] == ["get_odds"]
    assert calls[0]["input"]["sport"] == "nba"
    result = json.loads(turn[2]["content"][0]["content"])
    with bind(ctx):
        expected = get_odds(**calls[0]["input"]).model_dump(mode="json")
    assert result == expected

    rows = _table_rows(text_of(turn[-1]))
    assert len(rows) == len(expected["games"]) >= 3
    for row, game in zip(rows, expected["games"], strict=True):
        sides = {(m["market"], s["side"]): s for m in game["markets"] for s in m["sides"]}
        assert row[1] == f"{game['away_team']} @ {game['home_team']}"
        for column, key in ((2, ("h2h", "away")), (3, ("h2h", "home"))):
            assert _american(row[column]) == (sides[key]["odds_american"], sides[key]["book"])
        for column, key in ((4, ("spreads", "home")), (6, ("totals", "over"))):
            point = row[column].split()[0]
            expected_point = sides[key]["point"]
            assert point in (f"{expected_point:+g}", f"{expected_point:g}", "PK")
            assert _american(row[column]) == (sides[key]["odds_american"], sides[key]["book"])


def test_demo_games_have_at_least_three_books(ctx: ToolContext) -> None:
    seed_demo(ctx)
    with bind(ctx):
        board = get_odds(sport="nba")
    assert board.games
    moneylines = [s for g in board.games for m in g.markets if m.market == "h2h" for s in m.sides]
    assert moneylines and all(s.books >= 3 for s in moneylines)


def test_unknown_requests_say_what_benny_can_do(ctx: ToolContext) -> None:
    turn = ask(build_graph(OfflineBrain()), "write me a sonnet about taxes", ctx)
    answer = text_of(turn[-1])
    assert "could not work out" in answer
    assert "odds" in answer
    assert len(turn) == 2  # no tool was called


def test_a_tool_error_comes_back_as_an_error_not_a_crash(ctx: ToolContext) -> None:
    class WrongArgs(OfflineBrain):
        def _route(self, text: str, available: set[str], turn: int):  # type: ignore[no-untyped-def]
            return {
                "role": "assistant",
                "content": [
                    {"type": "tool_use", "id": "a", "name": "get_odds", "input": {"sport": "cricket"}},
                    {"type": "tool_use", "id": "b", "name": "get_games", "input": {"sport": "nba"}},
                ],
            }

    turn = ask(build_graph(WrongArgs()), "odds", ctx)
    results = turn[2]["content"]
    assert [r["tool_use_id"] for r in results] == ["a", "b"]  # every tool_use answered
    assert results[0]["is_error"] is True and "cricket" in results[0]["content"]
    assert results[1]["is_error"] is False
    assert "That did not work" in text_of(turn[-1])
