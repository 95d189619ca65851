"""Shared fixtures: an isolated environment, both databases, settings, a tool context, and a
database that has seen a night of graded predictions (``graded``) or two users (``alice``).

PostgreSQL tests run against the server on 127.0.0.1:5432 in a database made for this run.
Without a server they skip with one line, unless BENNY_REQUIRE_POSTGRES=1 (as in CI), where
they fail instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from core.clock import FixedClock
from core.settings import Settings, load_settings
from services.collect import collect_odds, collect_scores
from services.demo import seed_demo
from services.setup import prepare_database
from store.db import make_engine, unit_of_work
from store.users import create_user
from tools.context import ToolContext, bind, open_context
from tools.predictions import analyze

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
PG_ADMIN_URL = os.environ.get("BENNY_TEST_PG_ADMIN", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
NOW = datetime(2025, 1, 15, 18, 0, tzinfo=UTC)  # an NBA evening, mid-season

_ENV_VARS = (
    "DATABASE_URL",
    "BENNY_DATABASE_URL",
    "ODDS_API_KEY",
    "ANTHROPIC_API_KEY",
    "BENNY_HOME",
    "BENNY_MODEL",
    "BENNY_FEED",
    "BENNY_NOW",
    "BENNY_LOG_LEVEL",
)


# Settings of the test run itself, which the tests must keep.
_KEPT = ("BENNY_TEST_", "BENNY_REQUIRE_")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads a developer's keys, database, schedule, fault or .env."""
    for name in _ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    for name in list(os.environ):
        if name.startswith(("BENNY_", "ODDS_API_", "ANTHROPIC_")) and not name.startswith(_KEPT):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BENNY_HOME", str(tmp_path / "home"))


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is absent ({SHARED_DATA}): real-data tests need it")
    return SHARED_DATA


def _require(flag: str) -> bool:
    return os.environ.get(flag, "") not in ("", "0", "false")


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A database of this run's own on the local PostgreSQL server, dropped at the end."""
    admin = sa.create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"benny_test_{os.getpid()}"
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    except sa.exc.OperationalError as exc:
        admin.dispose()
        reason = f"no PostgreSQL server at 127.0.0.1:5432 ({str(exc.orig).splitlines()[0]})"
        if _require("BENNY_REQUIRE_POSTGRES"):
            pytest.fail(f"BENNY_REQUIRE_POSTGRES=1 but {reason}")
        pytest.skip(reason)
    url = sa.engine.make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _fresh_postgres(url: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database of each kind: store tests run on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{(tmp_path / 'benny.db').as_posix()}"
    url: str = request.getfixturevalue("postgres_server_url")
    _fresh_postgres(url)
    return url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty SQLite database, for tests that need not run on both."""
    return f"sqlite:///{(tmp_path / 'benny.db').as_posix()}"


def make_settings(url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {"DATABASE_URL": url, "BENNY_NOW": NOW.isoformat(), **overrides}
    return load_settings(_env_file=None, **values)


@pytest.fixture
def settings(sqlite_url: str) -> Settings:
    return make_settings(sqlite_url)


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = prepare_database(settings)
    yield engine
    engine.dispose()


@pytest.fixture
def ctx(settings: Settings, engine: Engine) -> ToolContext:
    return open_context(settings=settings, engine=engine)


@pytest.fixture
def any_engine(db_url: str) -> Iterator[Engine]:
    """A migrated engine on each database kind."""
    engine = prepare_database(make_settings(db_url), make_engine(db_url))
    yield engine
    engine.dispose()


@pytest.fixture
def graded(any_engine: Engine, db_url: str) -> tuple[ToolContext, FixedClock]:
    """Simulated odds at NOW, every model's predictions for the night, then the results a day later."""
    clock = FixedClock(NOW)
    ctx = replace(open_context(settings=make_settings(db_url), engine=any_engine), clock=clock)
    seed_demo(ctx)
    with bind(ctx):
        analyze(hours=12)
        clock.advance(timedelta(days=1))
        collect_odds(ctx, source="sim")  # captures the closing lines of the games that started
        collect_scores(ctx, source="sim")  # the results: graded in the same transaction
    return ctx, clock


@pytest.fixture
def alice(any_engine: Engine, db_url: str) -> ToolContext:
    """Two users, alice and bob; the context is alice's."""
    with unit_of_work(any_engine) as session:
        create_user(session=session, name="alice", now=NOW)
        create_user(session=session, name="bob", now=NOW)
    return open_context(settings=make_settings(db_url), engine=any_engine).as_user("alice")
