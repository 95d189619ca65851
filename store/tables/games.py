"""The sports world as collected: sports, teams and their aliases, games, every price seen and
the closing lines, results, team and player statistics, injuries, and the user-model signals
computed per game.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from store.tables.base import json_field

__all__ = [
    "ClosingLine",
    "Game",
    "GameSignal",
    "Injury",
    "OddsSnapshot",
    "Outcome",
    "PlayerStat",
    "SportRow",
    "Team",
    "TeamAlias",
    "TeamOutcome",
    "TeamStat",
]


class SportRow(SQLModel, table=True):
    __tablename__ = "sports"

    key: str = Field(primary_key=True, max_length=64)
    title: str = Field(max_length=32)
    has_draw: bool = False


class Team(SQLModel, table=True):
    __tablename__ = "teams"
    __table_args__ = (sa.UniqueConstraint("sport_key", "name", name="uq_teams_sport_name"),)

    id: int | None = Field(default=None, primary_key=True)
    sport_key: str = Field(foreign_key="sports.key", max_length=64)
    name: str = Field(max_length=128)


class TeamAlias(SQLModel, table=True):
    """Every spelling a source uses for a team (``Man United``, ``GoldenState``, ``gs``)."""

    __tablename__ = "team_aliases"
    __table_args__ = (sa.UniqueConstraint("sport_key", "alias", name="uq_team_aliases_sport_alias"),)

    id: int | None = Field(default=None, primary_key=True)
    sport_key: str = Field(foreign_key="sports.key", max_length=64)
    alias: str = Field(max_length=128)
    team_id: int = Field(foreign_key="teams.id", index=True)


class Game(SQLModel, table=True):
    """One event; its id is The Odds API event id (or a stable id derived from the source)."""

    __tablename__ = "games"
    __table_args__ = (sa.Index("ix_games_sport_commence", "sport_key", "commence_time"),)

    id: str = Field(primary_key=True, max_length=64)
    sport_key: str = Field(foreign_key="sports.key", max_length=64)
    commence_time: datetime
    home_team_id: int = Field(foreign_key="teams.id")
    away_team_id: int = Field(foreign_key="teams.id")
    neutral_site: bool = False
    completed: bool = False
    source: str = Field(default="", max_length=32)


class OddsSnapshot(SQLModel, table=True):
    """The price of one side at one book at one time. Every snapshot is kept: line history."""

    __tablename__ = "odds_snapshots"
    __table_args__ = (
        # Re-collecting the same payload must add nothing.
        sa.UniqueConstraint(
            "game_id",
            "book",
            "market",
            "side",
            "seen_at",
            name="uq_odds_snapshots_game_book_market_side_seen",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str = Field(foreign_key="games.id", max_length=64)
    book: str = Field(max_length=64)
    market: str = Field(max_length=16)
    side: str = Field(max_length=8)
    point: float | None = None
    price_decimal: float
    seen_at: datetime
    latest: bool = False


class ClosingLine(SQLModel, table=True):
    """A game's last snapshot before its start, per book, market and side."""

    __tablename__ = "closing_lines"
    __table_args__ = (
        sa.UniqueConstraint(
            "game_id", "book", "market", "side", name="uq_closing_lines_game_book_market_side"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str = Field(foreign_key="games.id", max_length=64)
    book: str = Field(max_length=64)
    market: str = Field(max_length=16)
    side: str = Field(max_length=8)
    point: float | None = None
    price_decimal: float
    snapshot_id: int | None = Field(default=None, foreign_key="odds_snapshots.id")
    seen_at: datetime


class Outcome(SQLModel, table=True):
    __tablename__ = "outcomes"

    game_id: str = Field(primary_key=True, foreign_key="games.id", max_length=64)
    home_score: int
    away_score: int
    completed_at: datetime
    source: str = Field(default="", max_length=32)


class TeamOutcome(SQLModel, table=True):
    """Two rows per completed game, one from each team's side: the form statistics read these."""

    __tablename__ = "team_outcomes"
    __table_args__ = (
        sa.UniqueConstraint("game_id", "team_id", name="uq_team_outcomes_game_team"),
        sa.Index("ix_team_outcomes_team_time", "team_id", "commence_time"),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str = Field(foreign_key="games.id", max_length=64)
    team_id: int = Field(foreign_key="teams.id")
    opponent_id: int = Field(foreign_key="teams.id")
    is_home: bool
    commence_time: datetime
    points_for: int
    points_against: int
    result: str = Field(max_length=1)  # W, L or D


class TeamStat(SQLModel, table=True):
    __tablename__ = "team_stats"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "as_of", "source", name="uq_team_stats_team_asof_source"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id")
    as_of: datetime
    source: str = Field(max_length=32)
    stats: dict[str, Any] | None = json_field()


class PlayerStat(SQLModel, table=True):
    __tablename__ = "player_stats"
    __table_args__ = (
        sa.UniqueConstraint("game_id", "team_id", "player_key", name="uq_player_stats_game_team_player"),
        sa.Index("ix_player_stats_team_time", "team_id", "as_of"),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str | None = Field(default=None, foreign_key="games.id", max_length=64)
    team_id: int = Field(foreign_key="teams.id")
    player_key: str = Field(max_length=64)
    player_name: str = Field(max_length=128)
    as_of: datetime
    stats: dict[str, Any] | None = json_field()


class Injury(SQLModel, table=True):
    __tablename__ = "injuries"
    __table_args__ = (
        sa.UniqueConstraint("team_id", "player_name", "reported_at", name="uq_injuries_team_player_reported"),
        sa.Index("ix_injuries_team_reported", "team_id", "reported_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id")
    player_name: str = Field(max_length=128)
    status: str = Field(max_length=32)
    detail: str = Field(default="", max_length=512)
    reported_at: datetime
    source: str = Field(default="", max_length=32)


class GameSignal(SQLModel, table=True):
    """The five user-model signals of one market of one game, computed once as of an analysis run."""

    __tablename__ = "game_signals"
    __table_args__ = (
        sa.UniqueConstraint("game_id", "market", "as_of", name="uq_game_signals_game_market_as_of"),
    )

    id: int | None = Field(default=None, primary_key=True)
    game_id: str = Field(foreign_key="games.id", max_length=64)
    market: str = Field(max_length=16)
    as_of: datetime
    prior_logit: float  # the market's first side, devigged consensus
    signals: dict[str, Any] = json_field(nullable=False)  # source -> standardised value or null
    point: float | None = None  # the main line's first-side point (home handicap, or the total)
    fair: dict[str, Any] | None = json_field()  # side -> devigged consensus probability at as_of
    prices: dict[str, Any] | None = json_field()  # side -> best decimal price at as_of
