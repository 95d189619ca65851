"""The schema comes from Alembic revisions, matches the tables, and upgrades keep data."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from store import migrate
from store.db import make_engine, unit_of_work
from store.users import create_user, list_users


def test_upgrade_builds_the_schema_the_tables_describe(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata
        )
    assert diff == [], f"tables and migrations disagree; add a revision: {diff}"
    engine.dispose()


def test_upgrade_twice_is_a_no_op_that_keeps_rows(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        create_user(session=session, name="ada", now=datetime(2025, 1, 1, tzinfo=UTC))
    migrate.upgrade(engine)
    with unit_of_work(engine) as session:
        assert [u.name for u in list_users(session=session)] == ["ada"]
    engine.dispose()


def test_the_seed_access_paths_are_indexed(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate.upgrade(engine)
    inspector = sa.inspect(engine)

    def indexed(table: str) -> list[list[str]]:
        cols = [list(ix["column_names"]) for ix in inspector.get_indexes(table)]
        cols += [list(uc["column_names"]) for uc in inspector.get_unique_constraints(table)]
        return cols

    assert ["sport_key", "commence_time"] in indexed("games")
    assert ["model", "sport_key", "market", "as_of"] in indexed("predictions")
    assert ["model", "sport_key", "market", "verified_at"] in indexed("verifications")
    assert ["team_id", "commence_time"] in indexed("team_outcomes")
    assert ["user_id"] in indexed("user_models")
    assert ["status", "commence_time"] in indexed("bets")
    assert ["game_id", "book", "market", "side", "seen_at"] in indexed("odds_snapshots")
    engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(sa.text("PRAGMA busy_timeout")).scalar() == 10000
    engine.dispose()
