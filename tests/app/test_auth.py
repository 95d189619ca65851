"""Chat logins without a browser: the password check, the app's callback, the secret, `users create`."""

from __future__ import annotations

import asyncio
import stat
from pathlib import Path
from types import SimpleNamespace

import chainlit as cl
import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from cli import app as cli_app
from core.passwords import hash_password, verify_password
from core.settings import load_settings
from services.auth import SECRET_FILE, auth_secret, authenticate
from services.setup import prepare_database
from store.db import unit_of_work
from store.users import create_user, get_user
from tests.conftest import NOW, make_settings
from web import app_state, login

PASSWORD = "correct horse battery staple"


def _with_password(engine: Engine, name: str, password: str = PASSWORD) -> None:
    # A cheap cost keeps the test fast; the stored hash names its own parameters.
    with unit_of_work(engine) as session:
        create_user(session=session, name=name, now=NOW, password_hash=hash_password(password, n=2**10))


def test_the_right_password_is_the_only_way_in(any_engine: Engine) -> None:
    _with_password(any_engine, "alice")
    user = authenticate(engine=any_engine, name="alice", password=PASSWORD)
    assert user is not None
    assert user.name == "alice"
    with unit_of_work(any_engine) as session:
        assert user.id == get_user(session=session, name="alice").id
    assert authenticate(engine=any_engine, name=" alice ", password=PASSWORD) == user
    for name, password in [
        ("alice", PASSWORD + " "),
        ("alice", ""),
        ("Alice", PASSWORD),
        ("bob", PASSWORD),  # unknown
        ("local", ""),  # exists, has no password
        ("local", PASSWORD),
        ("", PASSWORD),
        ("x" * 65, PASSWORD),
        ("alice'; --", PASSWORD),
        ("alice", "p" * 5000),
    ]:
        assert authenticate(engine=any_engine, name=name, password=password) is None, (name, password)


def test_the_apps_callback_logs_in_benny_users_only(monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    monkeypatch.setenv("BENNY_DATABASE_URL", sqlite_url)
    monkeypatch.setattr(app_state, "_runtime", [])
    engine = prepare_database(load_settings())
    _with_password(engine, "alice")
    engine.dispose()

    user = asyncio.run(login.login("alice", PASSWORD))
    assert isinstance(user, cl.User)
    assert user.identifier == "alice"
    assert asyncio.run(login.login("alice", "wrong")) is None
    assert asyncio.run(login.login("mallory", PASSWORD)) is None
    app_state.runtime().engine.dispose()


def test_the_chat_runs_as_the_logged_in_user_never_one_from_the_text(monkeypatch: pytest.MonkeyPatch) -> None:
    session = SimpleNamespace(user=cl.User(identifier="alice"))
    monkeypatch.setattr(cl, "context", SimpleNamespace(session=session))
    monkeypatch.setattr(login, "logins_on", lambda: True)
    assert login.user_name() == "alice"
    session.user = None
    with pytest.raises(PermissionError):
        login.user_name()
    monkeypatch.setattr(login, "logins_on", lambda: False)
    assert login.user_name() == "local"


def test_the_signing_secret_is_made_once_with_mode_600(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = auth_secret(home)
    path = home / SECRET_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert len(first) >= 32
    assert auth_secret(home) == first
    path.chmod(0o644)
    assert auth_secret(home) == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text("")
    with pytest.raises(OSError, match="empty"):
        auth_secret(home)


def _cli(url: str, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        cli_app, list(args), env={"DATABASE_URL": url, "BENNY_NOW": NOW.isoformat()}, input=stdin
    )
    return result.exit_code, result.stdout, result.stderr


def _stored_hash(url: str, name: str) -> str | None:
    engine = prepare_database(make_settings(url))
    try:
        with unit_of_work(engine) as session:
            return get_user(session=session, name=name).password_hash
    finally:
        engine.dispose()


def test_users_create_with_a_password_from_stdin(sqlite_url: str) -> None:
    code, out, err = _cli(sqlite_url, "users", "create", "alice", "--password-stdin", stdin=f"{PASSWORD}\n")
    assert (code, out.strip(), err) == (0, "created user 'alice' (can log in to the chat)", "")
    stored = _stored_hash(sqlite_url, "alice")
    assert stored is not None
    assert stored.startswith("scrypt$16384$8$1$")
    assert PASSWORD not in stored
    assert verify_password(PASSWORD, stored)


def test_users_create_prompts_twice_for_a_hidden_password(sqlite_url: str) -> None:
    code, out, _ = _cli(sqlite_url, "users", "create", "bob", "--password", stdin="s3cret\ns3cret\n")
    assert code == 0, out
    assert "s3cret" not in out  # hidden input is not echoed
    stored = _stored_hash(sqlite_url, "bob")
    assert stored is not None
    assert verify_password("s3cret", stored)

    code, _, _ = _cli(sqlite_url, "users", "create", "carol", "--password", stdin="one\ntwo\none\none\n")
    assert code == 0  # a mismatch asks again
    stored = _stored_hash(sqlite_url, "carol")
    assert stored is not None
    assert verify_password("one", stored)


def test_users_create_refuses_an_empty_password_and_both_options(sqlite_url: str) -> None:
    code, _, err = _cli(sqlite_url, "users", "create", "dave", "--password-stdin", stdin="\n")
    assert (code, err.strip()) == (2, "error: the password must not be empty")
    code, _, err = _cli(sqlite_url, "users", "create", "dave", "--password", "--password-stdin", stdin="x\n")
    assert (code, err.strip()) == (2, "error: give --password or --password-stdin, not both")
    code, out, _ = _cli(sqlite_url, "users", "create", "dave")
    assert (code, out.strip()) == (0, "created user 'dave'")
    assert _stored_hash(sqlite_url, "dave") is None
