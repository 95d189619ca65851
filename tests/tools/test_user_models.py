"""User models through the tools: plain language in, a preview back, saved on confirmation, each user's."""

from __future__ import annotations

import pytest

from core.errors import InvalidInput, NotFound
from tools.context import ToolContext, bind
from tools.user_models import (
    create_user_model,
    delete_user_model,
    list_user_models,
    show_user_model,
    update_user_model,
)

NBA = "NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%"


def test_a_model_is_shown_first_and_saved_only_when_confirmed(alice: ToolContext) -> None:
    with bind(alice):
        preview = create_user_model(NBA)
        assert not preview.saved and list_user_models() == []
        assert preview.model is not None
        assert preview.model.weights == {
            "team_stats": 0.0, "odds_movement": 0.3, "injuries": 0.3, "recent_form": 0.4, "head_to_head": 0.0,
        }  # fmt: skip
        assert preview.model.min_confidence == 0.6 and preview.model.sports == ["nba"]
        saved = create_user_model(NBA, confirm=True)
        assert saved.saved and saved.model is not None
        [listed] = list_user_models()
        assert listed.id == saved.model.id and listed.weights == preview.model.weights
        edit = update_user_model("make injuries 50%", confirm=True)
        assert edit.model is not None and edit.model.weights["injuries"] == 0.5
        assert sum(edit.model.weights.values()) == pytest.approx(1.0)
        paused = update_user_model("pause my NBA model", confirm=True)
        assert paused.model is not None and paused.model.status == "paused"
        assert show_user_model(listed.id).status == "paused"


def test_words_it_cannot_place_are_named(alice: ToolContext) -> None:
    with bind(alice):
        answer = create_user_model("NBA 40% vibes")
    assert answer.action == "not_understood" and "vibes" in answer.unknown_words
    with bind(alice), pytest.raises(InvalidInput, match="update_user_model"):
        create_user_model(NBA, confirm=True)
        create_user_model("pause my NBA model")


def test_another_users_model_cannot_be_seen_changed_or_deleted(alice: ToolContext) -> None:
    with bind(alice):
        mine = create_user_model(NBA, confirm=True).model
    assert mine is not None
    bob = alice.as_user("bob")
    with bind(bob):
        assert list_user_models() == []
        with pytest.raises(NotFound) as theirs:
            show_user_model(mine.id)
        with pytest.raises(NotFound) as nothing:
            show_user_model(mine.id + 1000)
        assert str(theirs.value).replace(str(mine.id), "N") == str(nothing.value).replace(
            str(mine.id + 1000), "N"
        )
        with pytest.raises(NotFound):
            delete_user_model(mine.id, confirm=True)
        assert update_user_model("pause my NBA model").action == "not_understood"  # bob has no NBA model
    with bind(alice):
        assert show_user_model(mine.id).status == "active"
        assert not delete_user_model(mine.id).saved
        assert delete_user_model(mine.id, confirm=True).saved and list_user_models() == []
