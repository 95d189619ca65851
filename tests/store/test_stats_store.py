"""Injuries and box scores from real ESPN payloads into the store, on both databases."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from core.collectors import espn_parse
from core.game_reports import EspnGame, GameStatus
from core.quotes import GameInfo
from core.sports import Sport
from store.db import unit_of_work
from store.odds import save_games
from store.stats import current_injuries, match_games, save_box_score, save_injuries
from store.tables import Injury, PlayerStat, TeamStat

SEEN = datetime(2026, 6, 15, tzinfo=UTC)


def test_injury_reports_are_stored_once(any_engine: Engine, shared_data: Path) -> None:
    reports = espn_parse.parse_injuries(
        json.loads((shared_data / "espn" / "nba_injuries.json").read_text()), seen_at=SEEN
    )
    with unit_of_work(any_engine) as session:
        first = save_injuries(session=session, reports=reports)
    with unit_of_work(any_engine) as session:
        again = save_injuries(session=session, reports=reports)
        stored = session.exec(select(Injury)).all()
        current = current_injuries(session=session, sport=Sport.NBA, as_of=SEEN)
        before_any = current_injuries(
            session=session, sport=Sport.NBA, as_of=datetime(2020, 1, 1, tzinfo=UTC)
        )
    assert first == len(stored) == len({(r.team, r.player_name, r.reported_at) for r in reports}) > 100
    assert again == 0
    assert {row["status"] for row in current} == {"out"}
    assert before_any == []  # nothing reported after as_of is visible


def test_box_scores_of_final_games_attach_to_bennys_game(any_engine: Engine, shared_data: Path) -> None:
    teams, players = espn_parse.parse_summary(
        json.loads((shared_data / "espn" / "nba_game_summary_boxscore.json").read_text())
    )
    event = teams[0].espn_event_id
    home = next(t.team for t in teams if t.is_home)
    away = next(t.team for t in teams if not t.is_home)
    start = datetime(2025, 1, 8, 3, 0, tzinfo=UTC)
    with unit_of_work(any_engine) as session:
        save_games(session=session, games=[GameInfo("benny-game-1", Sport.NBA, start, home, away)])
        espn_game = EspnGame(
            event, Sport.NBA, start + timedelta(minutes=10), home, away, "16", "12", GameStatus.FINAL
        )
        ids = match_games(session=session, games=[espn_game])
        # The recorded summary is mid-game: partial lines are not stored.
        assert save_box_score(
            session=session, team_stats=teams, player_lines=players, as_of=SEEN, game_ids=ids
        ) == (0, 0)
        # Labelled transformation: the same lines marked final, as a summary fetched after the game would be.
        final_teams = [replace(t, game_status=GameStatus.FINAL) for t in teams]
        final_players = [replace(p, game_status=GameStatus.FINAL) for p in players]
        first = save_box_score(
            session=session, team_stats=final_teams, player_lines=final_players, as_of=SEEN, game_ids=ids
        )
        again = save_box_score(
            session=session, team_stats=final_teams, player_lines=final_players, as_of=SEEN, game_ids=ids
        )
        stat_rows = session.exec(select(TeamStat)).all()
        player_rows = session.exec(select(PlayerStat)).all()
    assert ids == {event: "benny-game-1"}
    assert first == (2, len({(p.team, p.espn_athlete_id) for p in players}))
    assert again == (0, 0)
    assert {r.stats["game_id"] for r in stat_rows if r.stats} == {"benny-game-1"}
    assert {r.game_id for r in player_rows} == {"benny-game-1"}
