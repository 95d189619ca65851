"""Results: each completed game stored once, with two team-outcome rows, and the closing lines.

``save_scores`` returns the games whose result is new, so the caller can run the new-result
hook (verification and settlement) in the same transaction, exactly once per game.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from core.quotes import FinalScore
from store.odds import save_games
from store.tables import ClosingLine, Game, OddsSnapshot, Outcome, TeamOutcome, table_of
from store.upsert import insert_ignore, insert_ignore_returning, upsert_from_select

_CHUNK = 2_000  # rows per statement: below every driver's bound-parameter limit


def _result(points_for: int, points_against: int) -> str:
    if points_for > points_against:
        return "W"
    return "L" if points_for < points_against else "D"


def save_scores(
    *, session: Session, scores: Sequence[FinalScore], source: str = "", games_saved: bool = False
) -> list[FinalScore]:
    """Store each final score once (later copies change nothing); returns the scores that were new.

    ``games_saved`` skips storing the games themselves when the caller has just done so.
    """
    unique = {s.game.id: s for s in scores}
    if not unique:
        return []
    if not games_saved:
        save_games(session=session, games=[s.game for s in unique.values()], source=source)
    new_ids = set(
        insert_ignore_returning(
            session,
            table_of(Outcome),
            [
                {
                    "game_id": s.game.id,
                    "home_score": s.home_score,
                    "away_score": s.away_score,
                    "completed_at": s.completed_at,
                    "source": source,
                }
                for s in unique.values()
            ],
            conflict=["game_id"],
        )
    )
    if not new_ids:
        return []
    game = table_of(Game)
    ordered = sorted(new_ids)
    teams: dict[str, tuple[int, int, datetime]] = {}
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        for row in session.execute(
            sa.select(game.c.id, game.c.home_team_id, game.c.away_team_id, game.c.commence_time).where(
                game.c.id.in_(chunk)
            )
        ):
            teams[row.id] = (row.home_team_id, row.away_team_id, row.commence_time)
    rows = []
    for game_id in sorted(new_ids):
        score = unique[game_id]
        home_id, away_id, kickoff = teams[game_id]
        rows.append(_team_row(game_id, home_id, away_id, True, kickoff, score.home_score, score.away_score))
        rows.append(_team_row(game_id, away_id, home_id, False, kickoff, score.away_score, score.home_score))
    for offset in range(0, len(rows), _CHUNK):
        insert_ignore(
            session, table_of(TeamOutcome), rows[offset : offset + _CHUNK], conflict=["game_id", "team_id"]
        )
    for start in range(0, len(ordered), _CHUNK):
        session.execute(
            sa.update(game).where(game.c.id.in_(ordered[start : start + _CHUNK])).values(completed=True)
        )
    return [unique[g] for g in sorted(new_ids)]


def _team_row(
    game_id: str, team_id: int, opponent_id: int, is_home: bool, start: datetime, pf: int, pa: int
) -> dict[str, object]:
    return {
        "game_id": game_id,
        "team_id": team_id,
        "opponent_id": opponent_id,
        "is_home": is_home,
        "commence_time": start,
        "points_for": pf,
        "points_against": pa,
        "result": _result(pf, pa),
    }


def capture_closing_lines(
    *,
    session: Session,
    as_of: datetime,
    game_ids: Sequence[str] | None = None,
    since: datetime | None = None,
    sport_key: str | None = None,
    unclosed_only: bool = False,
) -> int:
    """Record the last snapshot before the start of every started game as its closing line.

    Only games that have started by ``as_of`` are closed (a line can still move before then).
    A closing line already recorded is replaced only by a later pre-start snapshot, so running
    this again, or after a late-arriving snapshot, converges to the true close. ``since`` limits
    the work to games that started after it (the collectors pass a few days back), and
    ``unclosed_only`` to games without any closing line yet (the live sweep's case). Returns the
    closing lines written or improved; runs in the database as one INSERT ... SELECT.
    """
    game, snap, closing = table_of(Game), table_of(OddsSnapshot), table_of(ClosingLine)
    started = sa.select(game.c.id).where(game.c.commence_time <= as_of)
    if since is not None:
        started = started.where(game.c.commence_time > since)
    if sport_key is not None:
        started = started.where(game.c.sport_key == sport_key)
    if unclosed_only:
        started = started.where(~sa.exists().where(closing.c.game_id == game.c.id))
    if game_ids is not None:
        if not game_ids:
            return 0
        started = started.where(game.c.id.in_(list(game_ids)))
    last = (
        sa.select(
            snap.c.game_id,
            snap.c.book,
            snap.c.market,
            snap.c.side,
            sa.func.max(snap.c.seen_at).label("seen_at"),
        )
        .join(game, game.c.id == snap.c.game_id)
        .where(snap.c.game_id.in_(started), snap.c.seen_at < game.c.commence_time)
        .group_by(snap.c.game_id, snap.c.book, snap.c.market, snap.c.side)
        .subquery()
    )
    closing_rows = sa.select(
        snap.c.game_id, snap.c.book, snap.c.market, snap.c.side, snap.c.point, snap.c.price_decimal,
        snap.c.id, snap.c.seen_at,
    ).join(
        last,
        sa.and_(
            snap.c.game_id == last.c.game_id,
            snap.c.book == last.c.book,
            snap.c.market == last.c.market,
            snap.c.side == last.c.side,
            snap.c.seen_at == last.c.seen_at,
        ),
    )  # fmt: skip
    return upsert_from_select(
        session,
        closing,
        ["game_id", "book", "market", "side", "point", "price_decimal", "snapshot_id", "seen_at"],
        closing_rows,
        conflict=["game_id", "book", "market", "side"],
        update=["point", "price_decimal", "snapshot_id", "seen_at"],
        newer="seen_at",
    )
