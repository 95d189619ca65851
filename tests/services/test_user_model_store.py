"""A model change is decided on the models as they are and written with them held: on both databases,
racing creations leave exactly five, and a change waits for the one before it instead of undoing it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import pytest

from core.errors import InvalidInput
from core.user_models.spec import ModelSpec
from services.user_model_store import TOO_MANY, Plan, save_change, stored_spec
from store.db import unit_of_work
from store.user_models import StoredModel, delete_model, get_model, list_models
from tests.conftest import NOW
from tools.context import ToolContext


def spec(name: str) -> ModelSpec:
    return ModelSpec.from_json({"name": name, "sports": ["basketball_nba"], "weights": {"recent_form": 1.0}})


def create(ctx: ToolContext, name: str) -> int:
    _, model_id = save_change(ctx, lambda rows: Plan("create", spec(name)), confirm=True)
    assert model_id is not None
    return model_id


def test_ten_racing_creations_leave_exactly_five(alice: ToolContext) -> None:
    barrier = threading.Barrier(10)
    made: list[int] = []
    refused: list[str] = []

    def race(i: int) -> None:
        barrier.wait()
        try:
            made.append(create(alice, f"model {i}"))
        except InvalidInput as exc:
            refused.append(str(exc))

    threads = [threading.Thread(target=race, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with unit_of_work(alice.engine) as session:
        stored = list_models(session=session, user_id=alice.user.id)
    assert len(made) == len(stored) == 5 and sorted(m.slot for m in stored) == [1, 2, 3, 4, 5]
    assert refused == [TOO_MANY] * 5


def test_a_sixth_is_refused_clearly_and_a_deletion_frees_a_slot(alice: ToolContext) -> None:
    ids = [create(alice, f"m{i}") for i in range(5)]
    with pytest.raises(InvalidInput, match="five models already"):
        create(alice, "m6")
    with pytest.raises(InvalidInput, match="already have a model called 'm1'"):
        with unit_of_work(alice.engine) as session:
            delete_model(session=session, user_id=alice.user.id, model_id=ids[0], now=NOW)
        create(alice, "m1")
    again = create(alice, "m0")  # the freed name and slot
    with unit_of_work(alice.engine) as session:
        assert get_model(session=session, user_id=alice.user.id, model_id=ids[0]) is None
        assert get_model(session=session, user_id=alice.user.id, model_id=again) is not None


def test_a_preview_or_a_refusal_writes_nothing(alice: ToolContext) -> None:
    model_id = create(alice, "mine")

    def pause(rows: list[StoredModel]) -> Plan:
        return Plan("pause", replace(stored_spec(rows[0]), status="paused"), rows[0])

    plan, written = save_change(alice, pause, confirm=False)
    assert written is None and isinstance(plan, Plan) and plan.action == "pause"

    def refuse(rows: list[StoredModel]) -> Plan:
        raise InvalidInput("not this one")

    with pytest.raises(InvalidInput):
        save_change(alice, refuse, confirm=True)
    with unit_of_work(alice.engine) as session:
        row = get_model(session=session, user_id=alice.user.id, model_id=model_id)
    assert row is not None and row.status == "active"


def test_a_change_decided_meanwhile_sees_the_one_before_it(alice: ToolContext) -> None:
    """A renames the model and is slow to finish; B, deciding meanwhile, pauses what A wrote."""
    model_id = create(alice, "first")
    deciding = threading.Event()
    seen_by_b: list[str] = []

    def rename(rows: list[StoredModel]) -> Plan:
        deciding.set()
        time.sleep(0.5)  # B asks now, while A holds the models
        return Plan("update", replace(stored_spec(rows[0]), name="renamed"), rows[0])

    def pause(rows: list[StoredModel]) -> Plan:
        seen_by_b.append(rows[0].name)
        return Plan("pause", replace(stored_spec(rows[0]), status="paused"), rows[0])

    a = threading.Thread(target=save_change, args=(alice, rename), kwargs={"confirm": True})
    a.start()
    deciding.wait(5)
    save_change(alice, pause, confirm=True)
    a.join()
    with unit_of_work(alice.engine) as session:
        row = get_model(session=session, user_id=alice.user.id, model_id=model_id)
    # Without the hold, B would have paused "first" and written that name back over A's.
    assert seen_by_b == ["renamed"]
    assert row is not None and (row.name, row.status) == ("renamed", "paused")


def test_another_users_model_is_as_missing_as_one_that_never_was(alice: ToolContext) -> None:
    mine = create(alice, "mine")
    bob = alice.as_user("bob")
    with unit_of_work(bob.engine) as session:
        assert get_model(session=session, user_id=bob.user.id, model_id=mine) is None
        assert get_model(session=session, user_id=bob.user.id, model_id=99999) is None
        assert list_models(session=session, user_id=bob.user.id) == []
        assert not delete_model(session=session, user_id=bob.user.id, model_id=mine, now=NOW)
