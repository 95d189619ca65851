"""Users: explicit creation, unique names (enforced by the database, even under a race)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from core.errors import InvalidInput, UnknownUser
from store.db import unit_of_work
from store.users import create_user, find_user, get_user, list_users, set_password_hash

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def test_create_get_and_list(any_engine: Engine) -> None:
    with unit_of_work(any_engine) as session:
        create_user(session=session, name="bob", now=T0)
    with unit_of_work(any_engine) as session:
        assert get_user(session=session, name="bob").name == "bob"
        assert [u.name for u in list_users(session=session)] == ["bob", "local"]


def test_unknown_user_names_the_fix(any_engine: Engine) -> None:
    with unit_of_work(any_engine) as session, pytest.raises(UnknownUser) as err:
        get_user(session=session, name="zed")
    assert str(err.value) == "unknown user 'zed' (create it: benny users create zed)"


@pytest.mark.parametrize("name", ["", "has space", "-dash", "x" * 65, "semi;colon"])
def test_bad_names_are_refused(any_engine: Engine, name: str) -> None:
    with unit_of_work(any_engine) as session, pytest.raises(InvalidInput, match="user name"):
        create_user(session=session, name=name, now=T0)


def test_concurrent_creations_of_one_name_leave_one_user(any_engine: Engine) -> None:
    outcomes: list[str] = []
    barrier = threading.Barrier(6)

    def attempt() -> None:
        barrier.wait()
        try:
            with unit_of_work(any_engine) as session:
                create_user(session=session, name="race", now=T0)
            outcomes.append("created")
        except InvalidInput:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["created"] + ["refused"] * 5
    with unit_of_work(any_engine) as session:
        assert [u.name for u in list_users(session=session)].count("race") == 1


def test_a_password_hash_is_stored_with_the_user_and_can_be_replaced(any_engine: Engine) -> None:
    with unit_of_work(any_engine) as session:
        create_user(session=session, name="alice", now=T0, password_hash="scrypt$16384$8$1$c2FsdA==$aGFzaA==")
        create_user(session=session, name="bob", now=T0)
    with unit_of_work(any_engine) as session:
        assert get_user(session=session, name="alice").password_hash == "scrypt$16384$8$1$c2FsdA==$aGFzaA=="
        assert get_user(session=session, name="bob").password_hash is None
        assert get_user(session=session, name="local").password_hash is None
        set_password_hash(session=session, name="bob", password_hash="scrypt$2$1$1$eA==$eA==")
    with unit_of_work(any_engine) as session:
        assert get_user(session=session, name="bob").password_hash == "scrypt$2$1$1$eA==$eA=="
        set_password_hash(session=session, name="alice", password_hash=None)
    with unit_of_work(any_engine) as session:
        assert get_user(session=session, name="alice").password_hash is None
        with pytest.raises(UnknownUser):
            set_password_hash(session=session, name="zed", password_hash=None)


def test_find_user_is_none_for_an_unknown_name(any_engine: Engine) -> None:
    with unit_of_work(any_engine) as session:
        assert find_user(session=session, name="zed") is None
        found = find_user(session=session, name="local")
        assert found is not None
        assert found.name == "local"
