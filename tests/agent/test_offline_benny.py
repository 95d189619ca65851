"""The offline brain on Benny's own book: the dashboard, the bets, one bet explained."""

from __future__ import annotations

from typing import Any

from agent.brain import OfflineBrain
from agent.graph import ask, build_graph
from agent.state import text_of
from presentation import charts
from presentation.tables import BASELINE_LABELS
from tests.agent.reading import SPORTS, american, dumped, pct, run, settle, start, tables, usd
from tools.context import ToolContext, bind
from tools.dashboard import benny_bets, benny_dashboard

# --- Benny: dashboard, bets, one bet explained --------------------------------------------------


def _numbers(n: dict[str, Any]) -> dict[str, str]:
    return {
        "Bets": str(n["bets"]),
        "Staked": usd(n["staked_usd"]),
        "P&L": usd(n["pnl_usd"], signed=True),
        "ROI": pct(n["roi"]),
        "Win rate": pct(n["win_rate"]),
        "CLV": pct(n["clv"]),
    }


def test_the_dashboard_shows_the_tools_numbers(traded: ToolContext) -> None:
    settle(traded)
    call, board, answer = run(traded, "how is Benny doing?")
    assert (call["name"], call["input"]) == ("benny_dashboard", {})
    with bind(traded):
        assert board == dumped(benny_dashboard())
    o = board["overall"]
    headline = (
        f"**Benny**: {board['bets']} bets ({board['settled']} settled, {board['pending']} pending) · "
        f"bankroll {usd(board['bankroll_usd'], signed=True)} · ROI {pct(o['roi'])} · "
        f"win rate {pct(o['win_rate'])} · CLV {pct(o['clv'])} · max drawdown {usd(o['max_drawdown_usd'])}"
    )
    assert answer.splitlines()[0] == headline
    by_sport, baselines = tables(answer)
    assert by_sport == [{"Sport": SPORTS[g["key"]], **_numbers(g)} for g in board["by_sport"]]
    expected = [{"Bettor": "Benny", **_numbers(o)}]
    expected += [{"Bettor": BASELINE_LABELS[name], **_numbers(n)} for name, n in board["baselines"].items()]
    assert baselines == expected

    chart = charts.chart_data("benny_dashboard", board)
    assert chart == {
        "kind": "bankroll",
        "x": [p["at"] for p in board["bankroll"]],
        "y": [p["bankroll_usd"] for p in board["bankroll"]],
    }
    assert chart["y"] and chart["y"][-1] == board["bankroll_usd"]


def test_before_any_bet_the_dashboard_says_so(market: ToolContext) -> None:
    call, board, answer = run(market, "dashboard")
    assert call["name"] == "benny_dashboard"
    assert board["bets"] == 0 and "has not placed a bet yet" in answer
    assert charts.chart_data("benny_dashboard", board) is None
    assert charts.chart_data("get_odds", {}) is None


def _bet_row(b: dict[str, Any]) -> dict[str, str]:
    return {
        "#": str(b["bet_id"]),
        "Start (UTC)": start(b["commence_time"]),
        "Matchup": b["matchup"],
        "Pick": b["pick"],
        "Book": b["book"],
        "Odds": american(b["odds_american"]),
        "Stake": usd(b["stake_usd"]),
        "Prob.": pct(b["probability"]),
        "Status": b["status"],
        "P&L": usd(b["profit_usd"], signed=True),
        "CLV": pct(b["clv"]),
    }


def test_pending_bets_then_every_bet_once_settled(traded: ToolContext) -> None:
    call, pending, answer = run(traded, "pending bets")
    assert (call["name"], call["input"]) == ("benny_bets", {"status": "pending", "limit": 20})
    [rows] = tables(answer)
    assert pending and rows == [_bet_row(b) for b in pending]
    assert {r["Status"] for r in rows} == {"pending"} and {r["P&L"] for r in rows} == {"–"}

    settle(traded)
    call, listed, answer = run(traded, "Benny's bets")
    assert call["input"] == {"status": None, "limit": 20}
    with bind(traded):
        assert listed == dumped(benny_bets(limit=20))
    [rows] = tables(answer)
    assert rows == [_bet_row(b) for b in listed]
    assert all(r["Status"] != "pending" and r["P&L"] != "–" for r in rows)
    assert run(traded, "pending bets")[2] == "Benny has no pending bets."


def test_a_bet_explained_with_its_numbers(traded: ToolContext) -> None:
    settle(traded)
    with bind(traded):
        bet_id = benny_bets(limit=1)[0].bet_id
    call, why, answer = run(traded, f"why did you bet #{bet_id}?")
    assert (call["name"], call["input"]) == ("explain_bet", {"bet_id": bet_id})
    first = answer.splitlines()[0]
    assert first.startswith(f"**Bet #{bet_id}**: {why['pick']} ({why['market']}) in {why['matchup']}")
    assert f"at {american(why['odds_american'])} with {why['book']}, stake {usd(why['stake_usd'])}" in first
    assert f"{why['status']}, {usd(why['profit_usd'], signed=True)}." in first
    assert "Reasoning (script analyst): a scripted pick" in answer
    assert (
        f"the analyst's {pct(why['probability'])}, the market's {pct(why['market_probability'])}, "
        f"blended {pct(why['blended_probability'])}; edge {pct(why['edge'])}"
    ) in answer
    assert f"- Stake: {why['stake_rule']}" in answer and f"- Post-mortem: {why['post_mortem']}" in answer
    assert f"- Closing-line value: {pct(why['clv'])}" in answer


def test_an_unknown_bet_is_the_tools_error(ctx: ToolContext) -> None:
    turn = ask(build_graph(OfflineBrain()), "explain bet 99", ctx)
    assert turn[2]["content"][0]["is_error"] is True
    assert text_of(turn[-1]) == "That did not work: no bet 99"
