"""The offline brain's intents: each request reaches the right tool, and every number shown is the tool's.

The tables are read back cell by cell and compared with the tool's result formatted by hand
here (percentages with one decimal, signed American odds, dollars and cents), so a renderer
that recomputed or rounded anything differently would fail.
"""

from __future__ import annotations

from typing import Any

import pytest

from agent.brain import Call, OfflineBrain, plan
from agent.brain_help import TOPICS
from agent.graph import ask, build_graph
from agent.state import text_of
from core.odds import american_price
from presentation import charts, render
from presentation.tables import MAX_ROWS
from services.model_records import ModelRecord
from tests.agent.reading import SPORTS, american, dumped, pct, run, start, tables
from tools.comparison import compare_models
from tools.context import ToolContext, bind
from tools.predictions import analyze, get_predictions
from tools.registry import REGISTRY, Registry, ToolSpec
from tools.value_bets import best_value_bets

# --- routing ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NBA odds", Call("get_odds", {"sport": "nba", "hours": 36})),
        ("EPL lines tomorrow", Call("get_odds", {"sport": "epl", "hours": 48})),
        ("odds at bet365", Call("get_odds", {"sport": "nba", "hours": 36})),
        ("NHL games this week", Call("get_games", {"sport": "nhl", "days": 7})),
        ("NBA predictions", Call("get_predictions", {"sport": "nba", "hours": 48})),
        (
            "what do the models say about tonight's NHL games?",
            Call("get_predictions", {"sport": "nhl", "hours": 24}),
        ),
        ("momentum picks", Call("get_predictions", {"sport": "nba", "hours": 48, "model": "momentum"})),
        (
            "hot cold picks for the NHL next 3 days",
            Call("get_predictions", {"sport": "nhl", "hours": 72, "model": "hot_cold"}),
        ),
        (
            "best value bets in the NBA today",
            Call("best_value_bets", {"sport": "nba", "hours": 24, "min_edge": 0.0, "limit": 10}),
        ),
        (
            "where is the value?",
            Call("best_value_bets", {"sport": "nba", "hours": 24, "min_edge": 0.0, "limit": 10}),
        ),
        (
            "+EV in the NHL this week",
            Call("best_value_bets", {"sport": "nhl", "hours": 168, "min_edge": 0.0, "limit": 10}),
        ),
        (
            "top 5 EPL value bets above 2.5% tomorrow",
            Call("best_value_bets", {"sport": "epl", "hours": 48, "min_edge": 0.025, "limit": 5}),
        ),
        ("model leaderboard", Call("compare_models", {"days": "30"})),
        ("which models are best over 30 days", Call("compare_models", {"days": "30"})),
        ("compare models", Call("compare_models", {"days": "30"})),
        ("model accuracy over the last 7 days", Call("compare_models", {"days": "7"})),
        ("which models are best over the last 90 days?", Call("compare_models", {"days": "90"})),
        (
            "compare models on NBA spreads, all time",
            Call("compare_models", {"days": "all", "sport": "nba", "market": "spreads"}),
        ),
        ("which models should I fade?", Call("compare_models", {"days": "30"}, "fade")),
        (
            "NHL models to fade in the last 90 days",
            Call("compare_models", {"days": "90", "sport": "nhl"}, "fade"),
        ),
        ("how is Benny doing?", Call("benny_dashboard")),
        ("bankroll", Call("benny_dashboard")),
        ("dashboard", Call("benny_dashboard")),
        ("Benny's bets", Call("benny_bets", {"status": None, "limit": 20})),
        ("pending bets", Call("benny_bets", {"status": "pending", "limit": 20})),
        ("last 5 won bets", Call("benny_bets", {"status": "won", "limit": 5})),
        ("explain bet 12", Call("explain_bet", {"bet_id": 12})),
        ("why did you bet #12?", Call("explain_bet", {"bet_id": 12})),
        ("credits", Call("api_credits")),
        ("how many API calls left", Call("api_credits")),
        ("write me a sonnet about taxes", None),
    ],
)
def test_a_request_becomes_the_right_call(text: str, expected: Call | None) -> None:
    assert plan(text) == expected


def test_every_example_in_the_help_asks_for_its_tool() -> None:
    for topic in TOPICS:
        for example in topic.examples:
            call = plan(example)
            found = None if call is None else (call.tool, call.view)
            assert found == (None if topic.tool is None else (topic.tool, topic.view)), example


@pytest.mark.parametrize(
    ("text", "opening"), [("help", "Here is what I can do"), ("sing", "could not work out")]
)
def test_help_and_a_request_not_understood_list_every_capability(
    ctx: ToolContext, text: str, opening: str
) -> None:
    turn = ask(build_graph(OfflineBrain()), text, ctx)
    assert len(turn) == 2  # no tool was called
    answer = text_of(turn[-1])
    assert opening in answer
    for topic in TOPICS:
        assert f"**{topic.name}**" in answer
        assert all(f"*{example}*" in answer for example in topic.examples)


# --- predictions and value bets -----------------------------------------------------------------


def test_predictions_show_the_tools_numbers(market: ToolContext) -> None:
    with bind(market):
        analyze(hours=48)
    call, result, answer = run(market, "what do the models say about tonight's NBA games?")
    assert (call["name"], call["input"]) == ("get_predictions", {"sport": "nba", "hours": 24})
    with bind(market):
        assert result == dumped(get_predictions(sport="nba", hours=24))
    [rows] = tables(answer)
    assert len(result) > MAX_ROWS  # three models on a night's NBA: the table is cut, and says so
    assert len(rows) == MAX_ROWS and f"first {MAX_ROWS} of {len(result)}" in answer
    for row, p in zip(rows, result, strict=False):
        point = (
            ""
            if p["point"] is None
            else f" {p['point']:+g}"
            if p["market"] == "spreads"
            else f" {p['point']:g}"
        )
        assert row == {
            "Start (UTC)": start(p["commence_time"]),
            "Matchup": p["matchup"],
            "Model": p["model"],
            "Market": p["market"],
            "Pick": p["pick_label"] + point,
            "Prob.": pct(p["probability"]),
            "Conf.": pct(p["confidence"]),
            "Price": american(american_price(p["odds_decimal"])),
            "Book": p["book"],
        }


def test_one_models_predictions_and_a_model_with_none(market: ToolContext) -> None:
    with bind(market):
        analyze(hours=48)
    call, result, answer = run(market, "consensus picks for the NBA today")
    assert call["input"] == {"sport": "nba", "hours": 24, "model": "consensus"}
    [rows] = tables(answer)
    assert result and len(rows) == len(result) and {r["Model"] for r in rows} == {"consensus"}
    assert [r["Prob."] for r in rows] == [pct(p["probability"]) for p in result]

    call, result, answer = run(market, "momentum picks")  # not fitted on a fresh database
    assert call["input"] == {"sport": "nba", "hours": 48, "model": "momentum"}
    assert result == [] and not tables(answer)
    assert answer.startswith("No NBA predictions from momentum for games in the next 48 hours.")


def test_value_bets_show_the_tools_numbers(market: ToolContext) -> None:
    call, result, answer = run(market, "best value bets in the NBA today")
    assert (call["name"], call["input"]) == (
        "best_value_bets",
        {"sport": "nba", "hours": 24, "min_edge": 0.0, "limit": 10},
    )
    with bind(market):
        assert result == dumped(best_value_bets(sport="nba", hours=24))
    [rows] = tables(answer)
    assert result and len(rows) == len(result)
    for row, v in zip(rows, result, strict=True):
        assert row == {
            "Start (UTC)": start(v["commence_time"]),
            "Matchup": v["matchup"],
            "Pick": v["pick"],
            "Book": v["book"],
            "Odds": american(v["odds_american"]),
            "Fair": pct(v["fair_probability"]),
            "EV": pct(v["expected_value"]),
        }


def test_no_value_bets_is_a_sentence(market: ToolContext) -> None:
    call, result, answer = run(market, "+EV in the NFL")  # no NFL games on a January evening
    assert call["input"] == {"sport": "nfl", "hours": 24, "min_edge": 0.0, "limit": 10}
    assert result == []
    assert answer == "No NFL value bets at or above 0% expected value in the next 24 hours."


# --- the leaderboard and the models to fade -----------------------------------------------------


def _leaderboard_row(r: dict[str, Any]) -> dict[str, str]:
    interval = f"{pct(r['accuracy'])} ({r['accuracy_low'] * 100:.1f}–{r['accuracy_high'] * 100:.1f})"
    return {
        "Model": r["model"],
        "Sport": SPORTS[r["sport"]],
        "Market": r["market"],
        "n": f"{r['n']:g}",
        "Accuracy (95% CI)": interval,
        "Inverse": pct(r["inverse_accuracy"]),
        "Brier": f"{r['brier']:.3f}",
        "ROI": pct(r["roi"]),
        "CLV": pct(r["clv"]),
        "Verdict": r["recommendation"],
    }


def test_the_leaderboard_shows_the_tools_numbers(graded: ToolContext) -> None:
    call, result, answer = run(graded, "which models are best over the last 90 days?")
    assert (call["name"], call["input"]) == ("compare_models", {"days": "90"})
    with bind(graded):
        assert result == dumped(compare_models(days="90"))
    [rows] = tables(answer)
    assert result and rows == [_leaderboard_row(r) for r in result]
    assert "the last 90 days" in answer

    chart = charts.chart_data("compare_models", result)
    assert chart is not None and chart["kind"] == "accuracy"
    assert chart["accuracy"] == [r["accuracy"] for r in result]
    assert chart["low"] == [r["accuracy_low"] for r in result]
    assert chart["high"] == [r["accuracy_high"] for r in result]
    assert chart["model"] == [r["model"] for r in result]


def test_no_model_to_fade_is_said_plainly(graded: ToolContext) -> None:
    call, result, answer = run(graded, "which models should I fade?")
    assert (call["name"], call["input"], call["id"].endswith("_fade")) == (
        "compare_models",
        {"days": "30"},
        True,
    )
    assert result and {r["recommendation"] for r in result} == {"ORIGINAL"}  # one night: too few to judge
    assert answer.startswith("**No model qualifies to fade** in the last 30 days")
    assert "No model is marked AVOID either." in answer and not tables(answer)


def test_the_fade_answer_names_exactly_the_inverse_models(graded: ToolContext) -> None:
    with bind(graded):
        real = compare_models(days="30")
    verdicts = ["INVERSE", "AVOID", "INVERSE", "AVOID", "INVERSE"]
    records = [r.model_copy(update={"recommendation": v}) for r, v in zip(real, verdicts, strict=False)]
    records += real[len(verdicts) :]
    seen: list[dict[str, Any]] = []

    def scripted(sport: str | None = None, days: str = "30", market: str | None = None) -> list[ModelRecord]:
        seen.append({"sport": sport, "days": days, "market": market})
        return records

    spec = REGISTRY.get("compare_models")
    registry = Registry()
    registry.add(ToolSpec("compare_models", scripted, spec.description, spec.input_model, spec.per_user))

    call, result, answer = run(graded, "which NBA models should I fade over the last 7 days?", registry)
    assert call["input"] == {"days": "7", "sport": "nba"}
    assert seen == [{"sport": "nba", "days": "7", "market": None}]
    fade_rows, avoid_rows = tables(answer)
    inverse = [r for r in result if r["recommendation"] == "INVERSE"]
    avoid = [r for r in result if r["recommendation"] == "AVOID"]
    assert answer.startswith(f"**Fade these {len(inverse)}**")
    assert [(r["Model"], r["Sport"], r["Market"]) for r in fade_rows] == [
        (r["model"], SPORTS[r["sport"]], r["market"]) for r in inverse
    ]
    assert [(r["Model"], r["Sport"], r["Market"]) for r in avoid_rows] == [
        (r["model"], SPORTS[r["sport"]], r["market"]) for r in avoid
    ]
    for row, r in zip(fade_rows + avoid_rows, inverse + avoid, strict=True):
        assert (row["n"], row["Accuracy"], row["Inverse"], row["ROI"]) == (
            f"{r['n']:g}",
            pct(r["accuracy"]),
            pct(r["inverse_accuracy"]),
            pct(r["roi"]),
        )


# --- credits ------------------------------------------------------------------------------------


def test_credits_in_one_line_of_the_tools_numbers(market: ToolContext) -> None:
    call, report, answer = run(market, "how many API calls left?")
    assert (call["name"], call["input"]) == ("api_credits", {})
    assert "\n" not in answer and report["remaining"] is not None
    for shown in (
        f"({report['feed']})",
        f"{report['remaining']:,} left, {report['used']:,} used",
        f"budget is {report['monthly_budget']:,}: {report['allowance']:,} may still be spent",
        f"{report['closing_reserve']:,} kept for closing lines",
        f"costs {report['sweep_cost']:,}, so {report['sweeps_affordable']:,} more sweeps",
        f"({report['sweeps_per_day']:g} a day)",
    ):
        assert shown in answer


def test_an_empty_leaderboard_and_nothing_to_fade_are_sentences() -> None:
    result: list[dict[str, Any]] = []
    assert render.tool_result("compare_models", result, {"days": "all"}).startswith("No graded predictions")
    assert "no model to fade" in render.tool_result("compare_models", result, {"days": "all"}, view="fade")
