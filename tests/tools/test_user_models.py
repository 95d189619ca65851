"""User models through the tools: plain language in, a preview back, saved on confirmation, each user's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from core.errors import InvalidInput, NotFound
from tests.factories import stored_models
from tools.context import ToolContext, bind
from tools.user_models import (
    SpecFields,
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


HOCKEY = SpecFields(sports=["nhl"], weights={"injuries": 1})
_CHANGE, _CREATE = (InvalidInput, "update_user_model"), (InvalidInput, "create_user_model")
_MISSING = (NotFound, "no model")
# Each call is refused: what it would do is not this tool's, or not this user's to do.
REFUSED: dict[str, tuple[Callable[[int], Any], tuple[type[Exception], str]]] = {
    "create that deletes": (lambda m: create_user_model(f"delete model {m}", confirm=True), _CHANGE),
    "create that pauses": (lambda m: create_user_model(f"pause model {m}", confirm=True), _CHANGE),
    "create that edits": (lambda m: create_user_model(f"model {m}: injuries 50%", confirm=True), _CHANGE),
    "update that creates": (lambda m: update_user_model("EPL: 100% injuries", confirm=True), _CREATE),
    "preview that deletes": (lambda m: create_user_model(f"delete model {m}"), _CHANGE),
    "fields, no model": (lambda m: update_user_model(model_id=m + 9, spec=HOCKEY, confirm=True), _MISSING),
    "delete, no model": (lambda m: delete_user_model(m + 9, confirm=True), _MISSING),
}  # fmt: skip


@pytest.mark.parametrize("call", REFUSED.values(), ids=REFUSED.keys())
def test_a_refused_request_leaves_every_model_as_it_was(
    alice: ToolContext, call: tuple[Callable[[int], Any], tuple[type[Exception], str]]
) -> None:
    with bind(alice):
        mine = create_user_model(NBA, confirm=True).model
        create_user_model("NFL: 100% team stats", confirm=True)
    assert mine is not None
    before = stored_models(alice.engine)
    refuse, (error, message) = call
    with bind(alice), pytest.raises(error, match=message):
        refuse(mine.id)
    assert stored_models(alice.engine) == before


def test_anothers_model_and_a_sixth_model_are_refused_without_a_write(alice: ToolContext) -> None:
    with bind(alice):
        mine = create_user_model(NBA, confirm=True).model
    assert mine is not None
    before = stored_models(alice.engine)
    with bind(alice.as_user("bob")):
        for refuse in (
            lambda: update_user_model(model_id=mine.id, spec=HOCKEY, confirm=True),
            lambda: delete_user_model(mine.id, confirm=True),
        ):
            with pytest.raises(NotFound):
                refuse()
        assert update_user_model(f"delete model {mine.id}", confirm=True).action == "not_understood"
    assert stored_models(alice.engine) == before
    with bind(alice):
        for sport in ("NFL", "MLB", "NHL", "EPL"):
            assert create_user_model(f"{sport}: 100% injuries", confirm=True).saved
        full = stored_models(alice.engine)
        assert create_user_model("NBA: 100% team stats", confirm=True).action == "not_understood"
        assert create_user_model(spec=HOCKEY, confirm=True).action == "not_understood"
    assert stored_models(alice.engine) == full
