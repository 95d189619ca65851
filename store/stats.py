"""Injuries, player stat lines and team box scores, tied to Benny's teams and games.

ESPN identifies games by its own event ids; a stat line is attached to Benny's game (The Odds
API id) when one with the same teams starts within half a day of ESPN's start time, and kept
without a game otherwise (still usable by team and date).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from core.game_reports import EspnGame, GameStatus, InjuryReport, PlayerGameLine, TeamGameStats
from core.sports import Sport
from store.tables import CollectorRun, Game, Injury, PlayerStat, Team, TeamStat, table_of
from store.teams import ensure_sports, resolve_teams
from store.upsert import insert_ignore

MATCH_WINDOW = timedelta(hours=12)


def _team_ids(session: Session, sport: Sport, names: set[str]) -> dict[str, int]:
    ensure_sports(session=session, sports=[sport])
    return resolve_teams(session=session, sport=sport, names=names)


def save_injuries(*, session: Session, reports: Sequence[InjuryReport], source: str = "espn") -> int:
    """Store injury reports; the same player, team and report time is stored once. Returns new rows."""
    new = 0
    for sport in {r.sport for r in reports}:
        mine = [r for r in reports if r.sport is sport]
        teams = _team_ids(session, sport, {r.team for r in mine})
        rows = [
            {
                "team_id": teams[r.team],
                "player_name": r.player_name,
                "status": r.status.value,
                "detail": (r.short_comment or r.status_raw)[:512],
                "reported_at": r.reported_at,
                "source": source,
            }
            for r in mine
        ]
        new += insert_ignore(
            session, table_of(Injury), _unique(rows, ("team_id", "player_name", "reported_at")),
            conflict=["team_id", "player_name", "reported_at"],
        )  # fmt: skip
    return new


def _unique(rows: Sequence[Mapping[str, Any]], key: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per key within a batch (a conflict clause cannot de-duplicate rows of one statement)."""
    return list({tuple(r[k] for k in key): dict(r) for r in rows}.values())


def match_games(*, session: Session, games: Sequence[EspnGame]) -> dict[str, str]:
    """ESPN event id -> Benny game id, for games with the same teams starting within half a day."""
    matched: dict[str, str] = {}
    game = table_of(Game)
    for sport in {g.sport for g in games}:
        mine = [g for g in games if g.sport is sport]
        teams = _team_ids(session, sport, {n for g in mine for n in (g.home_team, g.away_team)})
        for espn in mine:
            row = session.execute(
                sa.select(game.c.id).where(
                    game.c.sport_key == sport.value,
                    game.c.home_team_id == teams[espn.home_team],
                    game.c.away_team_id == teams[espn.away_team],
                    game.c.commence_time.between(
                        espn.start_time - MATCH_WINDOW, espn.start_time + MATCH_WINDOW
                    ),
                )
            ).first()
            if row is not None:
                matched[espn.espn_id] = row[0]
    return matched


def save_box_score(
    *,
    session: Session,
    team_stats: Sequence[TeamGameStats],
    player_lines: Sequence[PlayerGameLine],
    as_of: datetime,
    game_ids: dict[str, str],
    source: str = "espn",
) -> tuple[int, int]:
    """Store team and player lines of finished games; returns (team rows, player rows) that were new.

    Lines of a game not yet final (a summary fetched mid-game) are partial and are left out.
    """
    team_stats = [s for s in team_stats if s.game_status is GameStatus.FINAL]
    player_lines = [p for p in player_lines if p.game_status is GameStatus.FINAL]
    new_team = new_player = 0
    for sport in {s.sport for s in team_stats} | {p.sport for p in player_lines}:
        teams = _team_ids(
            session,
            sport,
            {s.team for s in team_stats if s.sport is sport}
            | {p.team for p in player_lines if p.sport is sport},
        )
        team_rows = [
            {
                "team_id": teams[s.team],
                "as_of": as_of,
                "source": f"{source}:{s.espn_event_id}",
                "stats": {
                    "espn_event_id": s.espn_event_id,
                    "game_id": game_ids.get(s.espn_event_id),
                    "is_home": s.is_home,
                    "points": s.points,
                    **dict(s.stats),
                },
            }
            for s in team_stats
            if s.sport is sport
        ]
        new_team += insert_ignore(
            session, table_of(TeamStat), _unique(team_rows, ("team_id", "as_of", "source")),
            conflict=["team_id", "as_of", "source"],
        )  # fmt: skip
        player_rows = [
            {
                "game_id": game_ids.get(p.espn_event_id),
                "team_id": teams[p.team],
                "player_key": p.espn_athlete_id,
                "player_name": p.player_name,
                "as_of": as_of,
                "stats": {
                    "espn_event_id": p.espn_event_id,
                    "position": p.position,
                    "starter": p.starter,
                    "did_not_play": p.did_not_play,
                    "minutes": p.minutes,
                    **dict(p.stats),
                },
            }
            for p in player_lines
            if p.sport is sport and game_ids.get(p.espn_event_id) is not None
        ]
        new_player += insert_ignore(
            session, table_of(PlayerStat), _unique(player_rows, ("game_id", "team_id", "player_key")),
            conflict=["game_id", "team_id", "player_key"],
        )  # fmt: skip
    return new_team, new_player


def current_injuries(*, session: Session, sport: Sport, as_of: datetime) -> list[dict[str, object]]:
    """Each player's newest report at or before ``as_of`` (within 30 days) for one sport's teams."""
    injury, teams = table_of(Injury), table_of(Team)
    newest = (
        sa.select(
            injury.c.team_id, injury.c.player_name, sa.func.max(injury.c.reported_at).label("reported_at")
        )
        .where(injury.c.reported_at <= as_of, injury.c.reported_at > as_of - timedelta(days=30))
        .group_by(injury.c.team_id, injury.c.player_name)
        .subquery()
    )
    rows = session.execute(
        sa.select(teams.c.name, injury.c.player_name, injury.c.status, injury.c.detail, injury.c.reported_at)
        .join(
            newest,
            sa.and_(
                injury.c.team_id == newest.c.team_id,
                injury.c.player_name == newest.c.player_name,
                injury.c.reported_at == newest.c.reported_at,
            ),
        )
        .join(teams, teams.c.id == injury.c.team_id)
        .where(teams.c.sport_key == sport.value)
        .order_by(teams.c.name, injury.c.player_name)
    )
    return [dict(r._mapping) for r in rows]


# An injury report older than this no longer says who is fit: the model then says nothing.
INJURY_REPORT_FRESH = timedelta(hours=36)


def injury_report(*, session: Session, sport: Sport, as_of: datetime) -> list[dict[str, object]] | None:
    """The sport's injury list as of ``as_of``, or None when no injury collection finished in the last 36 h.

    An empty list means a fresh report listed nobody: everyone is fit. None means Benny does not
    know, and the injury-aware model stays silent rather than guessing.
    """
    runs = table_of(CollectorRun)
    fresh = session.execute(
        sa.select(sa.func.count())
        .select_from(runs)
        .where(
            runs.c.kind == "injuries",
            runs.c.sport_key == sport.value,
            runs.c.status == "ok",
            runs.c.finished_at <= as_of,
            runs.c.finished_at > as_of - INJURY_REPORT_FRESH,
        )
    ).scalar_one()
    if not fresh:
        return None
    return current_injuries(session=session, sport=sport, as_of=as_of)
