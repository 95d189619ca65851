"""Reading a team's past games as of a moment, for the form statistics in ``core.form``.

A game counts only once its result was known at ``as_of`` (the outcome's ``completed_at``),
which is what keeps backtests and replays free of look-ahead.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from core.form import TeamGame
from store.tables import ClosingLine, Outcome, TeamOutcome, table_of


def team_history(
    *,
    session: Session,
    team_id: int,
    as_of: datetime,
    limit: int = 82,
    lines_cache: dict[str, tuple[dict[str, float], float | None]] | None = None,
) -> list[TeamGame]:
    """The team's newest ``limit`` games whose results were known at ``as_of``, with closing lines.

    ``lines_cache`` (game id -> closing lines) spares re-reading a finished game's closing lines
    when many histories are built in one go: they never change once the game has started.
    """
    to, out = table_of(TeamOutcome), table_of(Outcome)
    rows = session.execute(
        sa.select(
            to.c.game_id,
            to.c.commence_time,
            to.c.opponent_id,
            to.c.is_home,
            to.c.points_for,
            to.c.points_against,
        )
        .join(out, out.c.game_id == to.c.game_id)
        .where(to.c.team_id == team_id, out.c.completed_at <= as_of)
        .order_by(to.c.commence_time.desc(), to.c.game_id.desc())
        .limit(limit)
    ).all()
    if lines_cache is None:
        lines = closing_consensus_lines(session=session, game_ids=[r.game_id for r in rows])
    else:
        missing = [r.game_id for r in rows if r.game_id not in lines_cache]
        lines_cache.update(closing_consensus_lines(session=session, game_ids=missing))
        lines = lines_cache
    return [
        with_closing(
            TeamGame(r.game_id, r.commence_time, r.opponent_id, r.is_home, r.points_for, r.points_against),
            lines,
        )
        for r in rows
    ]


def with_closing(game: TeamGame, lines: dict[str, tuple[dict[str, float], float | None]]) -> TeamGame:
    """The game with the team's own closing spread and the closing total, when the books had them."""
    spreads, total = lines.get(game.game_id, ({}, None))
    return replace(game, spread_close=spreads.get("home" if game.is_home else "away"), total_close=total)


def closing_consensus_lines(
    *, session: Session, game_ids: list[str]
) -> dict[str, tuple[dict[str, float], float | None]]:
    """Per game: the median closing spread point per side across books, and the median closing total."""
    if not game_ids:
        return {}
    closing = table_of(ClosingLine)
    points: dict[tuple[str, str, str], list[float]] = defaultdict(list)
    for start in range(0, len(game_ids), 500):
        chunk = game_ids[start : start + 500]
        for game_id, market, side, point in session.execute(
            sa.select(closing.c.game_id, closing.c.market, closing.c.side, closing.c.point).where(
                closing.c.game_id.in_(chunk),
                closing.c.market.in_(["spreads", "totals"]),
                closing.c.point.is_not(None),
            )
        ):
            points[(game_id, market, side)].append(float(point))
    result: dict[str, tuple[dict[str, float], float | None]] = {}
    for game_id in game_ids:
        spreads = {
            side: statistics.median(points[(game_id, "spreads", side)])
            for side in ("home", "away")
            if points.get((game_id, "spreads", side))
        }
        totals = points.get((game_id, "totals", "over"))
        result[game_id] = (spreads, statistics.median(totals) if totals else None)
    return result


class HistoryIndex:
    """Every team's results in memory, for building many histories at many moments in one go.

    ``as_of(team_id, moment, limit)`` returns exactly what ``team_history`` would: the team's
    newest ``limit`` games whose results were known at ``moment``, with closing lines.
    """

    def __init__(
        self,
        rows: dict[int, list[tuple[datetime, datetime, TeamGame]]],
        lines: dict[str, tuple[dict[str, float], float | None]],
    ) -> None:
        self._rows = rows  # team -> (commence, completed, game) newest first
        self._lines = lines

    def as_of(self, team_id: int, moment: datetime, limit: int) -> list[TeamGame]:
        out: list[TeamGame] = []
        for _, completed_at, game in self._rows.get(team_id, ()):
            if completed_at <= moment:
                out.append(with_closing(game, self._lines))
                if len(out) == limit:
                    break
        return out


def history_index(*, session: Session, team_ids: Sequence[int], before: datetime) -> HistoryIndex:
    """The teams' results known before ``before``, with every game's closing lines, in memory."""
    to, out = table_of(TeamOutcome), table_of(Outcome)
    rows: dict[int, list[tuple[datetime, datetime, TeamGame]]] = defaultdict(list)
    ids = sorted(set(team_ids))
    for start in range(0, len(ids), 500):
        result = session.execute(
            sa.select(
                to.c.team_id, to.c.game_id, to.c.commence_time, to.c.opponent_id, to.c.is_home,
                to.c.points_for, to.c.points_against, out.c.completed_at,
            )
            .join(out, out.c.game_id == to.c.game_id)
            .where(to.c.team_id.in_(ids[start : start + 500]), out.c.completed_at < before)
        )  # fmt: skip
        for team_id, game_id, commence, opponent, is_home, pf, pa, completed in result:
            rows[team_id].append(
                (commence, completed, TeamGame(game_id, commence, opponent, is_home, pf, pa))
            )
    for team_rows in rows.values():
        # The same order as team_history's ORDER BY commence_time DESC (game id breaks ties).
        team_rows.sort(key=lambda r: (r[0], r[2].game_id), reverse=True)
    games = sorted({r[2].game_id for team_rows in rows.values() for r in team_rows})
    return HistoryIndex(dict(rows), closing_consensus_lines(session=session, game_ids=games))
