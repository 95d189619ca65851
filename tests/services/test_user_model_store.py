"""The five-model limit is the database's: racing creations leave exactly five, on both databases."""

from __future__ import annotations

import threading

import pytest

from core.errors import InvalidInput
from services.user_model_store import TOO_MANY, create_model_row
from store.db import unit_of_work
from store.user_models import delete_model, get_model, list_models
from tests.conftest import NOW
from tools.context import ToolContext

SPEC = {"sports": ["basketball_nba"], "weights": {"recent_form": 1.0}}


def test_ten_racing_creations_leave_exactly_five(alice: ToolContext) -> None:
    barrier = threading.Barrier(10)
    made: list[int] = []
    refused: list[str] = []

    def create(i: int) -> None:
        barrier.wait()
        try:
            made.append(create_model_row(alice, name=f"model {i}", spec=SPEC, min_confidence=0.55))
        except InvalidInput as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=create, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with unit_of_work(alice.engine) as session:
        stored = list_models(session=session, user_id=alice.user.id)
    assert len(made) == len(stored) == 5 and sorted(m.slot for m in stored) == [1, 2, 3, 4, 5]
    assert refused == [TOO_MANY] * 5


def test_a_sixth_is_refused_clearly_and_a_deletion_frees_a_slot(alice: ToolContext) -> None:
    ids = [create_model_row(alice, name=f"m{i}", spec=SPEC, min_confidence=0.55) for i in range(5)]
    with pytest.raises(InvalidInput, match="five models already"):
        create_model_row(alice, name="m6", spec=SPEC, min_confidence=0.55)
    with pytest.raises(InvalidInput, match="already have a model called 'm1'"):
        with unit_of_work(alice.engine) as session:
            delete_model(session=session, user_id=alice.user.id, model_id=ids[0], now=NOW)
        create_model_row(alice, name="m1", spec=SPEC, min_confidence=0.55)
    again = create_model_row(alice, name="m0", spec=SPEC, min_confidence=0.55)  # the freed name and slot
    with unit_of_work(alice.engine) as session:
        assert get_model(session=session, user_id=alice.user.id, model_id=ids[0]) is None
        assert get_model(session=session, user_id=alice.user.id, model_id=again) is not None


def test_another_users_model_is_as_missing_as_one_that_never_was(alice: ToolContext) -> None:
    mine = create_model_row(alice, name="mine", spec=SPEC, min_confidence=0.55)
    bob = alice.as_user("bob")
    with unit_of_work(bob.engine) as session:
        assert get_model(session=session, user_id=bob.user.id, model_id=mine) is None
        assert get_model(session=session, user_id=bob.user.id, model_id=99999) is None
        assert list_models(session=session, user_id=bob.user.id) == []
        assert not delete_model(session=session, user_id=bob.user.id, model_id=mine, now=NOW)
