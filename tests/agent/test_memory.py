"""The chat remembers a thread across turns, per user, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from agent.brain import OfflineBrain
from agent.graph import ask, build_graph
from agent.memory import memory_location, open_checkpointer
from agent.state import text_of
from services.demo import seed_demo
from store.db import unit_of_work
from store.users import create_user
from tests.conftest import NOW, make_settings
from tools.context import open_context


def test_memory_sits_beside_a_sqlite_file_and_inside_postgresql() -> None:
    assert memory_location("sqlite:////data/benny.db") == "/data/benny.chat-memory.db"
    assert memory_location("postgresql+psycopg://u@h:5432/benny") == "postgresql://u@h:5432/benny"


def test_a_thread_keeps_its_turns_and_is_its_owners_alone(any_engine: Engine, db_url: str) -> None:
    settings = make_settings(db_url)
    local = open_context(settings=settings, engine=any_engine)
    seed_demo(local)
    with unit_of_work(any_engine) as session:
        create_user(session=session, name="bob", now=NOW)
    bob = local.as_user("bob")
    graph = build_graph(OfflineBrain(), checkpointer=open_checkpointer(settings.resolved_database_url))

    first = ask(graph, "NHL odds", local, thread_id="t1")
    second = ask(graph, "help", local, thread_id="t1")
    assert text_of(first[0]) == "NHL odds" and text_of(second[0]) == "help"  # each turn alone
    config = {"configurable": {"thread_id": f"{local.user.id}:t1"}}
    history = graph.get_state(config).values["messages"]
    assert [text_of(m) for m in history if m["role"] == "user" and text_of(m)] == ["NHL odds", "help"]
    # The same thread name for another user is another conversation.
    ask(graph, "help", bob, thread_id="t1")
    theirs = graph.get_state({"configurable": {"thread_id": f"{bob.user.id}:t1"}}).values["messages"]
    assert [text_of(m) for m in theirs if m["role"] == "user"] == ["help"]


def test_an_id_past_64_bits_is_refused_by_name_and_the_thread_goes_on(
    any_engine: Engine, db_url: str
) -> None:
    """The brain's call is checkpointed before it runs: an id no database holds must still fit the memory."""
    settings = make_settings(db_url)
    ctx = open_context(settings=settings, engine=any_engine)
    graph = build_graph(OfflineBrain(), checkpointer=open_checkpointer(settings.resolved_database_url))
    huge = "99999999999999999999"
    for asked, refused in (
        (f"show model {huge}", "show_user_model: model_id"),
        (f"delete model {huge}", "delete_user_model: model_id"),
        (f"explain bet {huge}", "explain_bet: bet_id"),
    ):
        answer = text_of(ask(graph, asked, ctx, thread_id="ids")[-1])
        assert answer.startswith(f"That did not work: {refused}: a number out of range"), answer
    assert text_of(ask(graph, "help", ctx, thread_id="ids")[-1]).startswith("Here is what I can do")
