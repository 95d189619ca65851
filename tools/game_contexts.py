"""Game contexts as the store knows them at a moment: what every model run reads, live or replayed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from core.form import TeamGame
from core.models.base import GameContext, InjuredPlayer, build_context
from core.quotes import GameInfo
from store.form import team_history
from store.odds import GameRow, snapshots_as_of
from store.stats import injury_report

HISTORY_GAMES = 20  # past games per team a context carries


def contexts_at(
    session: Session,
    *,
    now: datetime,
    rows: Sequence[GameRow],
    histories: dict[int, list[TeamGame]] | None = None,
    lines_cache: dict[str, tuple[dict[str, float], float | None]] | None = None,
) -> list[GameContext]:
    """Each game's context as the store knows it at ``now``: prices, and each team's recent results."""
    quotes = snapshots_as_of(session=session, games=[r.game for r in rows], as_of=now)
    histories = {} if histories is None else histories
    injuries = {
        sport: _injured(injury_report(session=session, sport=sport, as_of=now))
        for sport in {r.game.sport for r in rows}
    }
    contexts = []
    for row in rows:
        for team_id in (row.home_team_id, row.away_team_id):
            if team_id not in histories:
                histories[team_id] = team_history(
                    session=session, team_id=team_id, as_of=now, limit=HISTORY_GAMES, lines_cache=lines_cache
                )
        contexts.append(
            build_context(
                row.game,
                now,
                quotes[row.game.id],
                home_history=histories[row.home_team_id],
                away_history=histories[row.away_team_id],
                injuries=_for_game(injuries[row.game.sport], row.game),
            )
        )
    return contexts


def _injured(report: list[dict[str, object]] | None) -> list[InjuredPlayer] | None:
    if report is None:
        return None
    # A player's value (his share of the team's production) is not derived yet: left unknown.
    return [
        InjuredPlayer(team=str(r["name"]), player=str(r["player_name"]), status=str(r["status"]))
        for r in report
    ]


def _for_game(report: list[InjuredPlayer] | None, game: GameInfo) -> tuple[InjuredPlayer, ...] | None:
    """The players of the game's two teams on the sport's report; None when there is no fresh report."""
    if report is None:
        return None
    return tuple(p for p in report if p.team in (game.home_team, game.away_team))
