"""The user's own models in the offline chat: shown back first, saved on a yes, each phrasing to its tool.

Every conversation runs through the real graph with a checkpointer on SQLite, so a *yes* is read
against the thread's history, as in the app. The weights shown are read back from the answer's
table and compared with the tool's result formatted here by hand.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from agent.brain import OfflineBrain, plan
from agent.graph import ask, build_graph
from agent.memory import open_checkpointer
from agent.state import Message, text_of, tool_uses
from tools.context import ToolContext, bind
from tools.user_models import create_user_model, list_user_models, show_user_model

BUILD = "Build me an NBA model: 40% recent form, 30% injuries, 30% line movement, only bet above 60%"
LABELS = {
    "team_stats": "team stats",
    "odds_movement": "odds movement",
    "injuries": "injuries",
    "recent_form": "recent form",
    "head_to_head": "head to head",
}


def pct(value: float) -> str:
    return f"{value * 100:.1f}%"


def rows_of(text: str) -> list[dict[str, str]]:
    """The first Markdown table of an answer, its rows keyed by the header."""
    lines = text.splitlines()
    for i, line in enumerate(lines[:-1]):
        if line.startswith("| ") and lines[i + 1].startswith("|---"):
            header = [c.strip() for c in line.strip("|").split("|")]
            rows = []
            for row in lines[i + 2 :]:
                if not row.startswith("| "):
                    break
                rows.append(dict(zip(header, [c.strip() for c in row.strip("|").split("|")], strict=True)))
            return rows
    raise AssertionError(f"no table in {text!r}")


class Chat:
    """One conversation thread with the offline brain, remembered between turns."""

    def __init__(self, ctx: ToolContext, thread: str = "models") -> None:
        checkpointer = open_checkpointer(ctx.settings.resolved_database_url)
        self.graph, self.ctx, self.thread = (
            build_graph(OfflineBrain(), checkpointer=checkpointer),
            ctx,
            thread,
        )

    def say(self, text: str) -> list[Message]:
        return ask(self.graph, text, self.ctx, thread_id=self.thread)


def calls(turn: list[Message]) -> list[dict[str, Any]]:
    return [call for message in turn for call in tool_uses(message)]


def result(turn: list[Message]) -> dict[str, Any]:
    """The last tool result of a turn (it must not be an error)."""
    blocks = [b for m in turn if m["role"] == "user" for b in m["content"] if b.get("type") == "tool_result"]
    assert blocks and blocks[-1]["is_error"] is False, blocks
    body: dict[str, Any] = json.loads(blocks[-1]["content"])
    return body


def assert_weights_shown(answer: str, weights: dict[str, float]) -> None:
    shown = {row["Source"]: row["Share"] for row in rows_of(answer)}
    assert shown == {LABELS[source]: pct(share) for source, share in weights.items()}


@pytest.fixture
def chat(ctx: ToolContext) -> Chat:
    return Chat(ctx)


def test_a_model_is_shown_back_then_saved_on_yes(chat: Chat, ctx: ToolContext) -> None:
    preview = chat.say(BUILD)
    assert [(c["name"], c["input"]) for c in calls(preview)] == [
        ("create_user_model", {"description": BUILD})
    ]
    shown = result(preview)
    assert shown["saved"] is False and shown["action"] == "create"
    assert shown["model"]["weights"]["recent_form"] == 0.4
    answer = text_of(preview[-1])
    assert_weights_shown(answer, shown["model"]["weights"])
    assert f"at or above {pct(shown['model']['min_confidence'])}" in answer and "60.0%" in answer
    assert "Sports: NBA" in answer and "Say **yes** to save it" in answer
    with bind(ctx):
        assert list_user_models() == []

    saved = chat.say("yes")
    assert [(c["name"], c["input"]) for c in calls(saved)] == [
        ("create_user_model", {"description": BUILD, "confirm": True})
    ]
    body = result(saved)
    assert body["saved"] is True
    with bind(ctx):
        [listed] = list_user_models()
    assert listed.id == body["model"]["id"] and listed.weights == shown["model"]["weights"]
    assert f"**#{listed.id}**" in text_of(saved[-1]) and "Saved" in text_of(saved[-1])

    again = chat.say("yes")  # the preview is answered: nothing left to confirm
    assert not calls(again) and "nothing to confirm" in text_of(again[-1])
    mine = chat.say("my models")
    assert [c["name"] for c in calls(mine)] == ["list_user_models"]
    [row] = rows_of(text_of(mine[-1]))
    assert row["#"] == str(listed.id) and row["Recent form"] == "40.0%" and row["Threshold"] == "60.0%"


def test_an_edit_is_shown_back_then_saved(chat: Chat, ctx: ToolContext) -> None:
    with bind(ctx):
        model = create_user_model("NBA: 50% recent form, 50% team stats", confirm=True).model
    assert model is not None
    preview = chat.say("make injuries 50%")
    assert [c["name"] for c in calls(preview)] == ["update_user_model"]
    shown = result(preview)
    assert shown["saved"] is False and shown["model"]["weights"]["injuries"] == 0.5
    assert_weights_shown(text_of(preview[-1]), shown["model"]["weights"])
    with bind(ctx):
        assert show_user_model(model.id).weights["injuries"] == 0.0

    saved = chat.say("ok save it")
    assert [(c["name"], c["input"]) for c in calls(saved)] == [
        ("update_user_model", {"description": "make injuries 50%", "confirm": True})
    ]
    with bind(ctx):
        weights = show_user_model(model.id).weights
    assert weights["injuries"] == 0.5 and weights == shown["model"]["weights"]
    assert result(saved)["saved"] is True and f"**#{model.id}**" in text_of(saved[-1])


def test_a_model_the_tool_reads_as_an_edit_goes_to_the_edit(chat: Chat, ctx: ToolContext) -> None:
    with bind(ctx):
        create_user_model("NBA: 50% recent form, 50% team stats", confirm=True)
    text = "my NBA model weights 50% form 50% injuries"
    preview = chat.say(text)
    assert [c["name"] for c in calls(preview)] == ["create_user_model", "update_user_model"]
    assert result(preview)["action"] == "update" and "Say **yes**" in text_of(preview[-1])
    saved = chat.say("confirm")
    assert [c["name"] for c in calls(saved)] == ["update_user_model"]
    with bind(ctx):
        [listed] = list_user_models()
    assert listed.weights["injuries"] == 0.5 and listed.weights["team_stats"] == 0.0


@pytest.mark.parametrize("refusal", ["cancel", "no", "no thanks", "don't save it"])
def test_a_refusal_saves_nothing(chat: Chat, ctx: ToolContext, refusal: str) -> None:
    chat.say(BUILD)
    declined = chat.say(refusal)
    assert len(declined) == 2 and text_of(declined[-1]).startswith("Not saved.")
    late = chat.say("yes")  # a yes after the refusal confirms nothing
    assert not calls(late) and "nothing to confirm" in text_of(late[-1])
    with bind(ctx):
        assert list_user_models() == []


def test_a_yes_without_a_preview_has_nothing_to_confirm(chat: Chat, ctx: ToolContext) -> None:
    answer = chat.say("yes")
    assert len(answer) == 2 and "nothing to confirm" in text_of(answer[-1])
    chat.say("my models")  # the latest call is not a preview either
    assert "nothing to confirm" in text_of(chat.say("save it")[-1])


def test_a_build_it_cannot_read_names_the_words(chat: Chat, ctx: ToolContext) -> None:
    turn = chat.say("Build me an NBA model with 40% vibes and 60% astrology")
    body = result(turn)
    assert body["action"] == "not_understood" and {"vibes", "astrology"} <= set(body["unknown_words"])
    answer = text_of(turn[-1])
    assert "*vibes*" in answer and "*astrology*" in answer
    assert "A phrasing that works: *NBA: 40% recent form" in answer
    assert "nothing to confirm" in text_of(chat.say("yes")[-1])
    with bind(ctx):
        assert list_user_models() == []


PHRASINGS = [
    ("NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%", "create_user_model", "create"),
    ("mostly head to head, a little team stats, NFL only", "create_user_model", "create"),
    ("equal weights on everything for the NHL", "create_user_model", "create"),
    ("ignore injuries, split the rest evenly, EPL", "create_user_model", "create"),
    ("70/30 form and odds movement for baseball", "create_user_model", "create"),
    ("only totals in the NBA, form 50 team stats 50", "create_user_model", "create"),
    ("make injuries 50%", "update_user_model", "update"),
    ("pause my NBA model", "update_user_model", "pause"),
    ("turn the threshold down to 55%", "update_user_model", "update"),
    ("delete the hockey one", "update_user_model", "delete"),
]


@pytest.mark.parametrize(("text", "tool", "action"), PHRASINGS)
def test_each_phrasing_reaches_its_tool(ctx: ToolContext, text: str, tool: str, action: str) -> None:
    planned = plan(text)
    assert planned is not None and planned.tool == tool
    with bind(ctx):
        create_user_model("NBA and NHL: 50% recent form, 50% injuries, bet above 60%", confirm=True)
    turn = Chat(ctx).say(text)
    assert [(c["name"], c["input"]) for c in calls(turn)] == [(tool, {"description": text})]
    body = result(turn)
    assert (body["action"], body["saved"]) == (action, False), body["message"]
    assert "Say **yes**" in text_of(turn[-1])
    with bind(ctx):
        [kept] = list_user_models()
    assert kept.status == "active" and kept.min_confidence == 0.6  # nothing saved before a yes


@pytest.mark.parametrize(
    ("text", "tool", "arguments"),
    [
        ("my models", "list_user_models", {}),
        ("list my models", "list_user_models", {}),
        ("show model 3", "show_user_model", {"model_id": 3}),
        ("delete model 3", "delete_user_model", {"model_id": 3}),
        ("add the NFL", "update_user_model", {"description": "add the NFL"}),
        ("resume my NBA model", "update_user_model", {"description": "resume my NBA model"}),
    ],
)
def test_the_other_model_requests_route(text: str, tool: str, arguments: dict[str, Any]) -> None:
    call = plan(text)
    assert call is not None and (call.tool, call.arguments) == (tool, arguments)


@pytest.mark.parametrize(
    ("text", "tool"),
    [
        ("line movement Lakers", "line_movement"),
        ("momentum picks", "get_predictions"),
        ("why did you bet #12?", "explain_bet"),
        ("top 5 EPL value bets above 2.5% tomorrow", "best_value_bets"),
        ("h2h odds next 12 hours", "get_odds"),
        ("which models are best over the last 90 days?", "compare_models"),
    ],
)
def test_requests_about_the_house_models_and_odds_stay_where_they_were(text: str, tool: str) -> None:
    call = plan(text)
    assert call is not None and call.tool == tool


def test_deleting_by_number_asks_first(chat: Chat, ctx: ToolContext) -> None:
    with bind(ctx):
        model = create_user_model("NHL: mostly recent form, a little injuries", confirm=True).model
    assert model is not None
    preview = chat.say(f"delete model {model.id}")
    assert result(preview)["saved"] is False and "Say **yes** to delete it" in text_of(preview[-1])
    deleted = chat.say("do it")
    assert [(c["name"], c["input"]) for c in calls(deleted)] == [
        ("delete_user_model", {"model_id": model.id, "confirm": True})
    ]
    with bind(ctx):
        assert list_user_models() == []
