"""Games and odds snapshots: saving what a feed saw, and reading the latest board.

Every snapshot is kept. Saving the same quotes twice adds nothing (the uniqueness rule on game,
book, market, side and time), and after each save the newest snapshot per game, book and
market carries the ``latest`` flag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from core.quotes import GameInfo, OddsQuote
from core.sports import Market, Side, Sport
from store.tables import Bet, Game, OddsSnapshot, Prediction, Team, table_of
from store.teams import ensure_sports, resolve_teams
from store.upsert import insert_ignore, upsert


@dataclass(frozen=True, slots=True)
class SaveCounts:
    games: int
    snapshots: int


def save_games(*, session: Session, games: Iterable[GameInfo], source: str = "") -> int:
    """Insert new games and keep known ones' start times current; returns how many were new."""
    by_id = {g.id: g for g in games}
    if not by_id:
        return 0
    ensure_sports(session=session, sports={g.sport for g in by_id.values()})
    team_ids: dict[tuple[Sport, str], int] = {}
    for sport in {g.sport for g in by_id.values()}:
        names = {n for g in by_id.values() if g.sport is sport for n in (g.home_team, g.away_team)}
        for name, team_id in resolve_teams(session=session, sport=sport, names=names).items():
            team_ids[(sport, name)] = team_id
    known = set(session.exec(select(Game.id).where(Game.id.in_(by_id))))  # type: ignore[attr-defined]
    rows = [
        {
            "id": g.id,
            "sport_key": g.sport.value,
            "commence_time": g.commence_time,
            "home_team_id": team_ids[(g.sport, g.home_team)],
            "away_team_id": team_ids[(g.sport, g.away_team)],
            "neutral_site": False,
            "completed": False,
            "source": source,
        }
        for g in by_id.values()
    ]
    upsert(session, table_of(Game), rows, conflict=["id"], update=["commence_time"])
    return len(by_id.keys() - known)


def save_quotes(*, session: Session, quotes: Sequence[OddsQuote], source: str = "") -> SaveCounts:
    """Store games and snapshots in the caller's transaction, then refresh the latest flags."""
    if not quotes:
        return SaveCounts(games=0, snapshots=0)
    new_games = save_games(session=session, games=[q.game for q in quotes], source=source)
    rows = [
        {
            "game_id": q.game.id,
            "book": q.book,
            "market": q.market.value,
            "side": q.side.value,
            "point": q.point,
            "price_decimal": q.price_decimal,
            "seen_at": q.seen_at,
            "latest": False,
        }
        for q in quotes
    ]
    new_snapshots = insert_ignore(
        session,
        table_of(OddsSnapshot),
        rows,
        conflict=["game_id", "book", "market", "side", "seen_at"],
    )
    since = min(q.seen_at for q in quotes)
    refresh_latest(session=session, game_ids={q.game.id for q in quotes}, since=since)
    return SaveCounts(games=new_games, snapshots=new_snapshots)


def refresh_latest(*, session: Session, game_ids: Iterable[str], since: datetime | None = None) -> None:
    """Flag the newest snapshot of each game, book and market as latest, and only those.

    ``since`` (the earliest time among the snapshots just saved) limits the work to rows whose
    flag can change: the rows flagged now and the rows from ``since`` on. An older row that is
    not flagged cannot become the newest when newer rows arrive.
    """
    ids = sorted(set(game_ids))
    if not ids:
        return
    snap = table_of(OddsSnapshot)
    newer = snap.alias("newer")
    newest = (
        sa.select(sa.func.max(newer.c.seen_at))
        .where(
            newer.c.game_id == snap.c.game_id,
            newer.c.book == snap.c.book,
            newer.c.market == snap.c.market,
        )
        .scalar_subquery()
    )
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        where: list[sa.ColumnElement[bool]] = [snap.c.game_id.in_(chunk)]
        if since is not None:
            where.append(sa.or_(snap.c.latest.is_(True), snap.c.seen_at >= since))
        session.execute(sa.update(snap).where(*where).values(latest=snap.c.seen_at == newest))


@dataclass(frozen=True, slots=True)
class BoardRow:
    """One latest snapshot with its game's facts, as the odds board reads it."""

    game_id: str
    sport_key: str
    commence_time: datetime
    home_team: str
    away_team: str
    book: str
    market: str
    side: str
    point: float | None
    price_decimal: float
    seen_at: datetime
    snapshot_id: int


def latest_board(
    *, session: Session, sport: Sport, start: datetime, end: datetime, game_id: str | None = None
) -> list[BoardRow]:
    """The latest snapshots of every game of ``sport`` starting in [start, end), soonest first.

    Snapshots stamped after ``end``'s as-of are not the caller's concern here: the latest flag is
    the newest stored, so as-of readers (models, backtests) use their own queries.
    """
    home, away = table_of(Team).alias("home"), table_of(Team).alias("away")
    game, snap = table_of(Game), table_of(OddsSnapshot)
    query = (
        sa.select(
            game.c.id,
            game.c.sport_key,
            game.c.commence_time,
            home.c.name,
            away.c.name,
            snap.c.book,
            snap.c.market,
            snap.c.side,
            snap.c.point,
            snap.c.price_decimal,
            snap.c.seen_at,
            snap.c.id,
        )
        .join(snap, snap.c.game_id == game.c.id)
        .join(home, home.c.id == game.c.home_team_id)
        .join(away, away.c.id == game.c.away_team_id)
        .where(
            game.c.sport_key == sport.value,
            game.c.commence_time >= start,
            game.c.commence_time < end,
            snap.c.latest.is_(True),
        )
        .order_by(game.c.commence_time, game.c.id, snap.c.market, snap.c.book)
    )
    if game_id is not None:
        query = query.where(game.c.id == game_id)
    return [BoardRow(*row) for row in session.execute(query).all()]


def count_rows(*, session: Session) -> dict[str, int]:
    """Row counts of the odds tables (for summaries and idempotence checks)."""
    return {
        "games": session.exec(select(sa.func.count()).select_from(Game)).one(),
        "snapshots": session.exec(select(sa.func.count()).select_from(OddsSnapshot)).one(),
        "teams": session.exec(select(sa.func.count()).select_from(Team)).one(),
    }


def games_awaiting_close(*, session: Session, start: datetime, end: datetime) -> dict[str, list[str]]:
    """Games starting in [start, end) that have predictions or bets, by sport: their close matters."""
    game = table_of(Game)
    prediction, bet = table_of(Prediction), table_of(Bet)
    watched = sa.or_(
        sa.exists().where(prediction.c.game_id == game.c.id),
        sa.exists().where(bet.c.game_id == game.c.id),
    )
    rows = session.execute(
        sa.select(game.c.sport_key, game.c.id)
        .where(game.c.commence_time >= start, game.c.commence_time < end, watched)
        .order_by(game.c.sport_key, game.c.commence_time)
    )
    by_sport: dict[str, list[str]] = {}
    for sport_key, game_id in rows:
        by_sport.setdefault(sport_key, []).append(game_id)
    return by_sport


@dataclass(frozen=True, slots=True)
class GameRow:
    game: GameInfo
    home_team_id: int
    away_team_id: int


def games_between(
    *, session: Session, start: datetime, end: datetime, sport: Sport | None = None
) -> list[GameRow]:
    """Games starting in [start, end), soonest first, with their teams' ids."""
    game = table_of(Game)
    home, away = table_of(Team).alias("home"), table_of(Team).alias("away")
    query = (
        sa.select(
            game.c.id, game.c.sport_key, game.c.commence_time, home.c.name, away.c.name, home.c.id, away.c.id
        )
        .join(home, home.c.id == game.c.home_team_id)
        .join(away, away.c.id == game.c.away_team_id)
        .where(game.c.commence_time >= start, game.c.commence_time < end)
        .order_by(game.c.commence_time, game.c.id)
    )
    if sport is not None:
        query = query.where(game.c.sport_key == sport.value)
    return [
        GameRow(GameInfo(gid, Sport(key), start_, home_name, away_name), home_id, away_id)
        for gid, key, start_, home_name, away_name, home_id, away_id in session.execute(query)
    ]


def snapshots_as_of(
    *, session: Session, games: Sequence[GameInfo], as_of: datetime
) -> dict[str, list[OddsQuote]]:
    """Every snapshot of each game stamped at or before ``as_of``, as domain quotes."""
    return _quotes(session, games, lambda snap, _game: snap.c.seen_at <= as_of)


def snapshots_before_start(*, session: Session, games: Sequence[GameInfo]) -> dict[str, list[OddsQuote]]:
    """Every snapshot of each game stamped before its start: what it was known by at its closing moment."""
    return _quotes(session, games, lambda snap, game: snap.c.seen_at < game.c.commence_time)


def _quotes(
    session: Session, games: Sequence[GameInfo], when: Callable[[sa.Table, sa.Table], Any]
) -> dict[str, list[OddsQuote]]:
    snap, game = table_of(OddsSnapshot), table_of(Game)
    by_id = {g.id: g for g in games}
    found: dict[str, list[OddsQuote]] = {g.id: [] for g in games}
    ids = list(by_id)
    for start in range(0, len(ids), 500):
        rows = session.execute(
            sa.select(
                snap.c.game_id, snap.c.book, snap.c.market, snap.c.side, snap.c.price_decimal, snap.c.seen_at,
                snap.c.point,
            )
            .join(game, game.c.id == snap.c.game_id)
            .where(snap.c.game_id.in_(ids[start : start + 500]), when(snap, game))
        )  # fmt: skip
        for game_id, book, market, side, price, seen_at, point in rows:
            found[game_id].append(
                OddsQuote(by_id[game_id], book, Market(market), Side(side), price, seen_at, point)
            )
    return found


def games_with_ids(*, session: Session, game_ids: Sequence[str]) -> list[GameRow]:
    """The named games, soonest first, with their teams' ids."""
    game = table_of(Game)
    home, away = table_of(Team).alias("home"), table_of(Team).alias("away")
    query = (
        sa.select(
            game.c.id, game.c.sport_key, game.c.commence_time, home.c.name, away.c.name, home.c.id, away.c.id
        )
        .join(home, home.c.id == game.c.home_team_id)
        .join(away, away.c.id == game.c.away_team_id)
        .where(game.c.id.in_(list(game_ids)))
        .order_by(game.c.commence_time, game.c.id)
    )
    return [
        GameRow(GameInfo(gid, Sport(key), start_, home_name, away_name), home_id, away_id)
        for gid, key, start_, home_name, away_name, home_id, away_id in session.execute(query)
    ]


def team_ids(*, session: Session) -> list[int]:
    """Every stored team's id."""
    return [row[0] for row in session.execute(sa.select(table_of(Team).c.id))]
