"""Through the agent, user B naming user A's model gets what a model that never existed gets."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from agent.brain import OfflineBrain
from agent.graph import ask, build_graph
from agent.state import text_of
from store.db import unit_of_work
from store.users import create_user
from tests.conftest import NOW, make_settings
from tools.context import bind, open_context
from tools.user_models import create_user_model


def test_bobs_message_naming_alices_model_reaches_nothing(any_engine: Engine, db_url: str) -> None:
    with unit_of_work(any_engine) as session:
        create_user(session=session, name="alice", now=NOW)
        create_user(session=session, name="bob", now=NOW)
    local = open_context(settings=make_settings(db_url), engine=any_engine)
    alice, bob = local.as_user("alice"), local.as_user("bob")
    with bind(alice):
        model = create_user_model("NBA: 60% recent form, 40% injuries", confirm=True).model
    assert model is not None
    graph = build_graph(OfflineBrain())
    theirs = text_of(ask(graph, f"show model {model.id}", bob)[-1])
    missing = text_of(ask(graph, f"show model {model.id + 1000}", bob)[-1])
    assert theirs.replace(str(model.id), "N") == missing.replace(str(model.id + 1000), "N")
    assert "60%" not in theirs and model.name not in theirs
    deleted = text_of(ask(graph, f"delete model {model.id}", bob)[-1])
    assert "no model" in deleted
    with bind(alice):
        from tools.user_models import show_user_model

        assert show_user_model(model.id).status == "active"  # untouched
