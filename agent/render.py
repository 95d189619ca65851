"""Turn tool results into Markdown for chat: tables of the tools' own numbers, nothing recomputed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any


def _american(odds: int) -> str:
    return f"+{odds}" if odds > 0 else str(odds)


def _line(point: float | None, *, signed: bool) -> str:
    if point is None:
        return ""
    if signed:
        return "PK" if point == 0 else f"{point:+g}"
    return f"{point:g}"


def _cell(side: dict[str, Any] | None, *, show_point: bool = False, signed: bool = False) -> str:
    if side is None:
        return "–"
    prefix = f"{_line(side['point'], signed=signed)} " if show_point else ""
    return f"{prefix}{_american(side['odds_american'])} ({side['book']})"


def _start(text: str) -> str:
    return datetime.fromisoformat(text).strftime("%a %H:%M")


def odds_board(board: dict[str, Any]) -> str:
    """The odds board as a table: one row per game, the best price per side and its book."""
    games = board["games"]
    if not games:
        return f"No {board['sport']} games with odds in the next {board['window_hours']} hours."
    lines = [
        f"**Best prices, {len(games)} games** (as of {_start(board['as_of'])} UTC; book in brackets)",
        "",
        "| Start (UTC) | Matchup | Away ML | Home ML | Home spread | Away spread | Over | Under |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for game in games:
        by_market = {m["market"]: {s["side"]: s for s in m["sides"]} for m in game["markets"]}
        h2h, spreads, totals = (
            by_market.get("h2h", {}),
            by_market.get("spreads", {}),
            by_market.get("totals", {}),
        )
        row = [
            _start(game["commence_time"]),
            f"{game['away_team']} @ {game['home_team']}",
            _cell(h2h.get("away")),
            _cell(h2h.get("home")),
            _cell(spreads.get("home"), show_point=True, signed=True),
            _cell(spreads.get("away"), show_point=True, signed=True),
            _cell(totals.get("over"), show_point=True),
            _cell(totals.get("under"), show_point=True),
        ]
        if "draw" in h2h:
            row[3] = f"{row[3]} · draw {_cell(h2h['draw'])}"
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def games_list(games: list[dict[str, Any]]) -> str:
    if not games:
        return "No upcoming games with odds."
    lines = ["| Start (UTC) | Matchup | Books |", "|---|---|---|"]
    lines += [
        f"| {_start(g['commence_time'])} | {g['away_team']} @ {g['home_team']} | {g['books']} |"
        for g in games
    ]
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[Any], str]] = {"get_odds": odds_board, "get_games": games_list}


def tool_result(name: str, result: Any) -> str:
    renderer = RENDERERS.get(name)
    return renderer(result) if renderer else f"`{name}` returned:\n```json\n{result}\n```"
