"""Game contexts as the store knows them at a moment: what every model run reads, live or replayed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.form import TeamGame
from core.models.base import GameContext, InjuredPlayer, build_context
from core.quotes import GameInfo
from core.sports import Sport
from store.db import Session
from store.form import HistoryIndex, history_index, team_history
from store.odds import GameRow, snapshots_as_of, snapshots_before_start
from store.stats import injury_report

HISTORY_GAMES = 20  # past games per team a context carries


def contexts_at(
    session: Session,
    *,
    now: datetime,
    rows: Sequence[GameRow],
    histories: dict[int, list[TeamGame]] | None = None,
    lines_cache: dict[str, tuple[dict[str, float], float | None]] | None = None,
    index: HistoryIndex | None = None,
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
            if index is not None:
                histories[team_id] = index.as_of(team_id, now, HISTORY_GAMES)
            elif team_id not in histories:
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


def closing_contexts(
    session: Session, *, items: Sequence[tuple[GameRow, datetime]], before: datetime
) -> list[GameContext]:
    """Finished games' contexts at their closing moments (each its last snapshot before the start).

    The same contexts ``contexts_at`` gives at each moment, built from one pass over the store:
    every team's results and every game's pre-start snapshots are read once, not per moment.
    ``before`` bounds the results read (none known after it is needed).
    """
    if not items:
        return []
    rows = [row for row, _ in items]
    index = history_index(
        session=session,
        team_ids=[t for r in rows for t in (r.home_team_id, r.away_team_id)],
        before=before,
    )
    quotes = snapshots_before_start(session=session, games=[r.game for r in rows])
    reports: dict[tuple[Sport, datetime], list[InjuredPlayer] | None] = {}
    contexts = []
    for row, moment in items:
        key = (row.game.sport, moment)
        if key not in reports:
            reports[key] = _injured(injury_report(session=session, sport=row.game.sport, as_of=moment))
        contexts.append(
            build_context(
                row.game,
                moment,
                quotes[row.game.id],
                home_history=index.as_of(row.home_team_id, moment, HISTORY_GAMES),
                away_history=index.as_of(row.away_team_id, moment, HISTORY_GAMES),
                injuries=_for_game(reports[key], row.game),
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
