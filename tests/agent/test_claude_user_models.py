"""Claude builds a user model with structured tool calls: the schema and the spec's checks refuse bad ones.

Claude is answered over a mock transport with Messages responses shaped like the recordings in
``../shared/data/anthropic/``: a ``tool_use`` per step, then the closing text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from agent.claude import ClaudeBrain
from agent.graph import ask, build_graph
from agent.llm import LLM
from agent.runtime import current_system_prompt
from agent.state import text_of, tool_uses
from tools.context import ToolContext, bind
from tools.user_models import list_user_models

SPEC = {"sports": ["mlb"], "weights": {"recent_form": 70, "odds_movement": 30}, "min_confidence": 0.58}


def _message(n: int, content: list[dict[str, Any]], stop: str) -> dict[str, Any]:
    return {
        "id": f"msg_01Model{n}",
        "type": "message",
        "role": "assistant",
        "model": "claude-sonnet-5-5",
        "content": content,
        "stop_reason": stop,
        "stop_sequence": None,
        "usage": {"input_tokens": 5200, "output_tokens": 140, "cache_read_input_tokens": 1480},
    }


def _call(n: int, arguments: dict[str, Any]) -> dict[str, Any]:
    use = {"type": "tool_use", "id": f"toolu_01Model{n}", "name": "create_user_model", "input": arguments}
    return _message(n, [use], "tool_use")


def _say(n: int, text: str) -> dict[str, Any]:
    return _message(n, [{"type": "text", "text": text}], "end_turn")


def _claude(replies: list[dict[str, Any]], sent: list[dict[str, Any]]) -> ClaudeBrain:
    queue: Iterator[dict[str, Any]] = iter(replies)

    def reply(request: httpx2.Request) -> httpx2.Response:
        sent.append(json.loads(request.content))
        return httpx2.Response(200, json=next(queue))

    llm = LLM(
        api_key="test-key",
        model="claude-sonnet-5-5",
        http_client=httpx2.Client(transport=httpx2.MockTransport(reply)),
    )
    return ClaudeBrain(llm, current_system_prompt)


def test_claude_builds_a_model_from_fields_and_it_is_saved_only_after_the_yes(ctx: ToolContext) -> None:
    sent: list[dict[str, Any]] = []
    first = _claude(
        [
            _call(1, {"spec": {"sports": ["mlb"], "weights": {"recent_form": 70, "vibes": 30}}}),
            _call(2, {"spec": {**SPEC, "min_confidence": 0.99}}),
            _call(3, {"spec": SPEC}),
            _say(4, "Here is the model: 70% recent form, 30% line movement, MLB, bets at 58%+. Save it?"),
        ],
        sent,
    )
    turn = ask(
        build_graph(first), "A baseball model: mostly how teams are playing lately, some line moves", ctx
    )
    results = [
        block
        for m in turn
        if m["role"] == "user" and isinstance(m["content"], list)
        for block in m["content"]
        if block.get("type") == "tool_result"
    ]
    schema_error, check_error, preview = results
    # The schema names the source it does not know; the spec's own check names the threshold's range.
    assert schema_error["is_error"] and "spec.weights.vibes" in schema_error["content"]
    assert check_error["is_error"] and "between 50% and 95%" in check_error["content"]
    shown = json.loads(preview["content"])
    assert not preview["is_error"] and shown["saved"] is False and shown["action"] == "create"
    assert shown["model"]["weights"]["recent_form"] == pytest.approx(0.7)
    assert shown["model"]["weights"]["odds_movement"] == pytest.approx(0.3)
    with bind(ctx):
        assert list_user_models() == []  # a preview saves nothing
    # Every request offered the structured schema, and Claude saw each refusal's reason.
    create = next(t for t in sent[0]["tools"] if t["name"] == "create_user_model")
    assert set(create["input_schema"]["properties"]) == {"description", "confirm", "spec"}
    assert "spec.weights.vibes" in json.dumps(sent[1]["messages"][-1])

    second = _claude([_call(5, {"spec": SPEC, "confirm": True}), _say(6, "Saved it as model 1.")], sent)
    turn = ask(build_graph(second), "yes, save it", ctx)
    [call] = tool_uses(turn[1])
    assert call["input"]["confirm"] is True and text_of(turn[-1]) == "Saved it as model 1."
    with bind(ctx):
        [model] = list_user_models()
    assert model.sports == ["mlb"] and model.markets == ["h2h", "spreads", "totals"]
    assert model.weights["recent_form"] == pytest.approx(0.7) and model.min_confidence == 0.58
    assert model.name == "MLB form/movement" and model.status == "active"


def test_structured_updates_name_their_model_and_keep_its_status(ctx: ToolContext) -> None:
    from tools.user_models import SpecFields, create_user_model, update_user_model

    injuries_only = SpecFields(sports=["nhl"], weights={"injuries": 1})

    with bind(ctx):
        made = create_user_model("NHL: equal weights, bet above 60%", confirm=True).model
        assert made is not None
        update_user_model("pause my NHL model", confirm=True)
        change = update_user_model(model_id=made.id, spec=injuries_only, confirm=True)
        assert change.saved and change.model is not None
        assert change.model.status == "paused" and change.model.weights["injuries"] == 1.0
        assert change.model.name == made.name
        with pytest.raises(Exception, match="you have no model 99"):
            update_user_model(model_id=99, spec=injuries_only)
