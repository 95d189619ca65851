"""Line movement and calibration in the offline chat: routing, tables of the tools' own numbers, and charts.

As in test_offline_intents.py, each table is read back cell by cell and compared with the tool's
result formatted by hand here; the charts' series are compared with the result itself, and every
kind of chart the app draws is built from a real tool's result.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import pytest

from agent.brain import Call, OfflineBrain, plan
from agent.graph import ask, build_graph
from agent.state import text_of, tool_uses
from core.clock import FixedClock
from live.jobs import job_settle
from presentation.charts import chart_data
from presentation.figures import FIGURES
from services.collect import collect_odds, collect_scores
from services.trading import trade
from tests.conftest import NOW
from tests.services.test_trading import favourites
from tools.calibration import Calibration, calibration
from tools.comparison import compare_models
from tools.context import ToolContext, bind
from tools.dashboard import benny_dashboard
from tools.games import get_games
from tools.line_movement import line_movement
from tools.predictions import analyze

# --- formatting, written out independently of presentation.render -------------------------------------


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


def american(odds: int) -> str:
    return f"+{odds}" if odds > 0 else str(odds)


def start(iso: str) -> str:
    return datetime.fromisoformat(iso).strftime("%a %H:%M")


def quoted(sides: list[dict[str, Any]], side: str, market: str) -> str:
    found = next(s for s in sides if s["side"] == side)
    if found["point"] is None:
        return american(found["odds_american"])
    point = f"{found['point']:+g}" if market == "spreads" else f"{found['point']:g}"
    if market == "spreads" and found["point"] == 0:
        point = "PK"
    return f"{point} {american(found['odds_american'])}"


def tables(text: str) -> list[list[dict[str, str]]]:
    """Every Markdown table in an answer, each as its rows keyed by the header."""

    def cells(line: str) -> list[str]:
        return [cell.strip() for cell in line.strip().strip("|").split("|")]

    lines, found = text.splitlines(), []
    for i, line in enumerate(lines[:-1]):
        if line.startswith("| ") and lines[i + 1].startswith("|---"):
            header, rows = cells(line), []
            for row in lines[i + 2 :]:
                if not row.startswith("| "):
                    break
                rows.append(dict(zip(header, cells(row), strict=True)))
            found.append(rows)
    return found


def run(ctx: ToolContext, text: str) -> tuple[dict[str, Any], Any, str]:
    """One turn through the real graph: the single tool call, its result as the brain read it, the answer."""
    turn = ask(build_graph(OfflineBrain()), text, ctx)
    [call] = tool_uses(turn[1])
    [block] = turn[2]["content"]
    assert block["is_error"] is False, block["content"]
    return call, json.loads(block["content"]), text_of(turn[-1])


# --- fixtures -----------------------------------------------------------------------------------


def _clock(ctx: ToolContext) -> FixedClock:
    clock = ctx.clock
    assert isinstance(clock, FixedClock)
    return clock


# --- routing ------------------------------------------------------------------------------------


@pytest.fixture
def moving(market: ToolContext) -> ToolContext:
    """The book collected again two and four hours later: every line has a history."""
    with bind(market):
        for hours in (2, 4):
            _clock(market).set(NOW + timedelta(hours=hours))
            collect_odds(market, source="sim")
    return market


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "how has the line moved for the Celtics game",
            Call("line_movement", {"market": "h2h", "team": "Boston Celtics"}),
        ),
        ("line movement Lakers", Call("line_movement", {"market": "h2h", "team": "Los Angeles Lakers"})),
        ("line history", Call("line_movement", {"market": "h2h"})),
        ("Bruins total line history", Call("line_movement", {"market": "totals", "team": "Boston Bruins"})),
        (
            "line movement for Boston in the NHL",
            Call("line_movement", {"market": "h2h", "team": "Boston Bruins"}),
        ),
        # Boston names a team in three sports: the tool takes the soonest of their games.
        ("how did the Boston spread move?", Call("line_movement", {"market": "spreads", "team": "Boston"})),
        (
            "line moves for the 76ers' game",
            Call("line_movement", {"market": "h2h", "team": "Philadelphia 76ers"}),
        ),
        (
            "how have the odds on the St. Louis Blues changed",
            Call("line_movement", {"market": "h2h", "team": "St Louis Blues"}),
        ),
        (
            "is the ensemble calibrated",
            Call("calibration", {"model": "ensemble", "market": "h2h", "days": "90"}),
        ),
        (
            "calibration of momentum in the NBA",
            Call("calibration", {"model": "momentum", "sport": "nba", "market": "h2h", "days": "90"}),
        ),
        ("calibration plot", Call("calibration", {"model": "ensemble", "market": "h2h", "days": "90"})),
        (
            "consensus calibration on NHL totals over the last 30 days",
            Call("calibration", {"model": "consensus", "sport": "nhl", "market": "totals", "days": "30"}),
        ),
        # The odds board and the leaderboard keep their own words.
        ("EPL lines tomorrow", Call("get_odds", {"sport": "epl", "hours": 48})),
        ("model leaderboard", Call("compare_models", {"days": "30"})),
    ],
)
def test_a_request_becomes_the_right_call(text: str, expected: Call) -> None:
    assert plan(text) == expected


# --- line movement ------------------------------------------------------------------------------


def test_line_movement_shows_the_tools_numbers(moving: ToolContext) -> None:
    with bind(moving):
        game = get_games(sport="nba", days=1)[0]
    team = game.home_team.split()[-1]
    call, result, answer = run(moving, f"how has the line moved for the {team} game?")
    assert (call["name"], call["input"]) == ("line_movement", {"market": "h2h", "team": game.home_team})
    with bind(moving):
        assert result == line_movement(team=game.home_team).model_dump(mode="json")
    assert result["game_id"] == game.game_id and len(result["snapshots"]) >= 3
    [rows] = tables(answer)
    assert rows == [
        {
            "Book": b["book"],
            "First seen (UTC)": start(b["opening_at"]),
            "Home open": quoted(b["opening"], "home", "h2h"),
            "Home now": quoted(b["latest"], "home", "h2h"),
            "Away open": quoted(b["opening"], "away", "h2h"),
            "Away now": quoted(b["latest"], "away", "h2h"),
            "Snapshots": str(b["snapshots"]),
        }
        for b in result["books"]
    ]
    assert answer.startswith(f"**Line movement, {result['matchup']}** (NBA moneyline")
    assert (
        f"Consensus for {result['home_team']} (devigged, at the main line): "
        f"{pct(result['consensus_opening'])} at the first snapshot, {pct(result['consensus_latest'])} now "
        f"({result['consensus_move'] * 100:+.1f} points)."
    ) in answer

    chart = chart_data("line_movement", result)
    assert chart is not None and chart["kind"] == "line"
    assert chart["x"] == [s["seen_at"] for s in result["snapshots"]]
    assert chart["consensus"] == [s["consensus_probability"] for s in result["snapshots"]]
    assert set(chart["series"]) == {b["book"] for b in result["books"]}
    for book, prices in chart["series"].items():
        posted = {
            s["seen_at"]: p["odds_american"]
            for s in result["snapshots"]
            for q in s["quotes"]
            if q["book"] == book
            for p in q["sides"]
            if p["side"] == "home"
        }
        standing = None
        for x, shown in zip(chart["x"], prices, strict=True):
            standing = posted.get(x, standing)  # a price stands until the book posts another
            assert shown == standing


def test_spreads_show_the_points(moving: ToolContext) -> None:
    call, result, answer = run(moving, "Celtics spread line history")
    assert call["input"] == {"market": "spreads", "team": "Boston Celtics"}
    [rows] = tables(answer)
    assert [r["Home now"] for r in rows] == [quoted(b["latest"], "home", "spreads") for b in result["books"]]
    assert all(r["Home now"].split()[0][0] in "+-P" for r in rows)  # the point leads: -2.5 -110


def test_no_team_and_no_history_are_sentences(market: ToolContext) -> None:
    turn = ask(build_graph(OfflineBrain()), "line history", market)
    assert turn[2]["content"][0]["is_error"] is True
    assert text_of(turn[-1]).startswith("That did not work: name the game")

    with bind(market):
        game = get_games(sport="nba", days=1)[0]
    _clock(market).set(NOW - timedelta(days=2))  # before the book priced the game
    _, result, answer = run(market, f"line movement {game.home_team}")
    assert result["snapshots"] == [] and not tables(answer)
    assert answer.startswith(f"No moneyline prices stored for {result['matchup']}")
    assert chart_data("line_movement", result) is None


# --- calibration --------------------------------------------------------------------------------


def test_calibration_shows_the_tools_numbers(graded: ToolContext) -> None:
    call, result, answer = run(graded, "calibration of consensus in the NBA, all time")
    assert (call["name"], call["input"]) == (
        "calibration",
        {"model": "consensus", "sport": "nba", "market": "h2h", "days": "all"},
    )
    with bind(graded):
        assert result == calibration(model="consensus", sport="nba", days="all").model_dump(mode="json")
    assert result["bins"]
    [rows] = tables(answer)
    assert rows == [
        {
            "Probability": f"{b['low'] * 100:.0f}–{b['high'] * 100:.0f}%",
            "Picks": str(b["count"]),
            "Decided": f"{b['decided']:g}",
            "Mean predicted": pct(b["mean_probability"]),
            "Won": pct(b["observed"]),
        }
        for b in result["bins"]
    ]
    head = f"**Calibration of consensus**, NBA h2h, all time: {result['n']} graded picks"
    assert answer.startswith(f"{head}, ECE {pct(result['ece'])}")
    assert result["summary"] in answer

    chart = chart_data("calibration", result)
    assert chart is not None and chart["kind"] == "calibration"
    assert chart["predicted"] == [b["mean_probability"] for b in result["bins"]]
    assert chart["observed"] == [b["observed"] for b in result["bins"]]
    assert chart["count"] == [b["count"] for b in result["bins"]]


def test_a_model_without_grades_is_the_tools_message(graded: ToolContext) -> None:
    call, result, answer = run(graded, "is the ensemble calibrated?")
    assert call["input"] == {"model": "ensemble", "market": "h2h", "days": "90"}
    assert result["bins"] == [] and answer == result["message"]
    assert chart_data("calibration", result) is None


# --- the app draws every kind of chart from a real tool's result --------------------------------


def test_every_figure_is_built_from_a_real_tools_result(market: ToolContext) -> None:
    clock = _clock(market)
    with bind(market):
        placed = trade(market, analyst=favourites, analyst_name="script")
        analyze(hours=12)
        clock.set(NOW + timedelta(hours=2))
        collect_odds(market, source="sim")
        game = get_games(sport="nba", days=1)[0]
        moved = line_movement(game_id=game.game_id)
        clock.set(NOW + timedelta(days=2))
        collect_odds(market, source="sim")
        collect_scores(market, source="sim")
    assert placed.bets and job_settle(market).settled
    with bind(market):
        results = {
            "compare_models": compare_models(days="all"),
            "benny_dashboard": benny_dashboard(),
            "line_movement": moved,
            "calibration": calibration(model="consensus", days="all"),
        }
    kinds = {}
    for name, result in results.items():
        data = chart_data(name, result)
        assert data is not None, name
        title, build = FIGURES[data["kind"]]
        figure = build(data)
        kinds[data["kind"]] = (title, len(figure.data))
    # A user model's backtest (the "units" chart) is drawn in tests/tools/test_user_model_backtest.py.
    assert set(kinds) == set(FIGURES) - {"units"}
    units = FIGURES["units"][1]({"kind": "units", "series": {"NBA h2h": [1.0, 0.5, 1.4]}, "title": "t"})
    assert list(units.data[0].y) == [1.0, 0.5, 1.4]
    assert kinds["line"] == ("line_movement", len(moved.books) + 1)  # one line per book, and the consensus
    assert kinds["calibration"] == ("calibration", 2)  # the diagonal, and the bins

    line = FIGURES["line"][1](chart_data("line_movement", moved))
    consensus = line.data[-1]
    assert consensus.yaxis == "y2" and list(consensus.y) == [s.consensus_probability for s in moved.snapshots]
    report = results["calibration"]
    assert isinstance(report, Calibration)
    bins = FIGURES["calibration"][1](chart_data("calibration", report)).data[-1]
    assert list(bins.x) == [b.mean_probability for b in report.bins]
    assert list(bins.y) == [b.observed for b in report.bins]
    by_count = sorted(zip((b.count for b in report.bins), bins.marker.size, strict=True))
    assert [size for _, size in by_count] == sorted(bins.marker.size)  # more picks, a larger marker
