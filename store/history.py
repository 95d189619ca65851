"""Bulk storage of imported history: games, every snapshot, closing lines and results.

Built for throughput (whole seasons at a time) and for order independence: two sources may
describe the same game (same id) with different start times, one from a time column and one
from a date alone. The stored start is the earliest any source gives, and every snapshot and
result of the game, stored or incoming, keeps its distance from the start, so the opening,
closing and result stamps stay in their order whichever file is imported first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from core.importers.base import HistoricalGame
from core.quotes import FinalScore
from core.sports import Sport
from store.bulk import DriverValues, insert_ignore_fast
from store.odds import refresh_latest
from store.outcomes import capture_closing_lines, save_scores
from store.tables import ClosingLine, Game, OddsSnapshot, Outcome, TeamOutcome, table_of
from store.teams import ensure_sports, resolve_teams

_CHUNK = 2_000


@dataclass(frozen=True, slots=True)
class HistoryCounts:
    games: int
    snapshots: int
    new_results: list[FinalScore]

    @property
    def outcomes(self) -> int:
        return len(self.new_results)


def save_history(*, session: Session, games: Sequence[HistoricalGame]) -> HistoryCounts:
    """Store a batch of imported games in the caller's transaction; repeats add nothing.

    Games new to the database (nearly all of an import) take the bulk path: their rows cannot
    collide, so flags, closing lines and team rows are computed here and handed to the driver.
    Games already stored take the general path, which merges with what is there.
    """
    by_id: dict[str, HistoricalGame] = {}
    for item in games:
        # A source listing one game twice keeps its first row (the files' own duplicates are rare).
        by_id.setdefault(item.game.id, item)
    if not by_id:
        return HistoryCounts(0, 0, [])
    ensure_sports(session=session, sports={g.game.sport for g in by_id.values()})
    starts = _stored_starts(session, list(by_id))
    fresh = [g for gid, g in by_id.items() if gid not in starts]
    team_ids = _insert_games(session, fresh)
    snapshots = _insert_snapshots(session, fresh, pre_existing=set(), with_closing=True)
    new_results = _insert_fresh_results(session, fresh, team_ids)
    known = {gid: g for gid, g in by_id.items() if gid in starts}
    if known:
        aligned = _align_starts(session, known, starts)
        snapshots += _insert_snapshots(session, aligned, pre_existing=set(known))
        _save_closing_lines(session, aligned)
        scores = [g.score for g in aligned if g.score is not None]
        new_results += save_scores(session=session, scores=scores, source="import", games_saved=True)
    return HistoryCounts(games=len(fresh), snapshots=snapshots, new_results=new_results)


def _stored_starts(session: Session, ids: list[str]) -> dict[str, datetime]:
    game = table_of(Game)
    found: dict[str, datetime] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found.update(
            session.execute(sa.select(game.c.id, game.c.commence_time).where(game.c.id.in_(chunk))).all()
        )
    return found


def _insert_games(session: Session, items: list[HistoricalGame]) -> dict[tuple[Sport, str], int]:
    """Insert games new to the database; returns the team ids by (sport, name)."""
    team_ids: dict[tuple[Sport, str], int] = {}
    for sport in {g.game.sport for g in items}:
        names = {n for g in items if g.game.sport is sport for n in (g.game.home_team, g.game.away_team)}
        for name, team_id in resolve_teams(session=session, sport=sport, names=names).items():
            team_ids[(sport, name)] = team_id
    rows = [
        (g.game.id, g.game.sport.value, g.game.commence_time, team_ids[(g.game.sport, g.game.home_team)],
         team_ids[(g.game.sport, g.game.away_team)], False, g.score is not None, g.source)
        for g in items
    ]  # fmt: skip
    columns = (
        "id",
        "sport_key",
        "commence_time",
        "home_team_id",
        "away_team_id",
        "neutral_site",
        "completed",
        "source",
    )
    insert_ignore_fast(session, table_of(Game), columns, rows, conflict=("id",))
    return team_ids


def _shift(item: HistoricalGame, delta: timedelta) -> HistoricalGame:
    game = replace(item.game, commence_time=item.game.commence_time + delta)
    quotes = tuple(replace(q, game=game, seen_at=q.seen_at + delta) for q in item.quotes)
    score = (
        None
        if item.score is None
        else FinalScore(game, item.score.home_score, item.score.away_score, item.score.completed_at + delta)
    )
    return replace(item, game=game, quotes=quotes, score=score)


def _align_starts(
    session: Session, by_id: dict[str, HistoricalGame], starts: dict[str, datetime]
) -> list[HistoricalGame]:
    """Make every game of the batch and of the store agree on the earliest known start."""
    aligned: list[HistoricalGame] = []
    for game_id, item in by_id.items():
        stored = starts.get(game_id)
        incoming = item.game.commence_time
        if stored is None or stored == incoming:
            aligned.append(item)
        elif stored < incoming:
            aligned.append(_shift(item, stored - incoming))
        else:
            _move_stored_game(session, game_id, incoming - stored)
            aligned.append(item)
    return aligned


def _move_stored_game(session: Session, game_id: str, delta: timedelta) -> None:
    """Shift a stored game's start and every stamp measured from it (a rare, per-game path)."""
    game, snap, closing = table_of(Game), table_of(OddsSnapshot), table_of(ClosingLine)
    outcome, team_outcome = table_of(Outcome), table_of(TeamOutcome)
    stamps: list[tuple[sa.Table, str]] = [
        (game, "commence_time"),
        (snap, "seen_at"),
        (closing, "seen_at"),
        (outcome, "completed_at"),
        (team_outcome, "commence_time"),
    ]
    for table, column in stamps:
        key = table.c.id if table is game else table.c.game_id
        rows = session.execute(
            sa.select(table.c[table.primary_key.columns.keys()[0]], table.c[column]).where(key == game_id)
        )
        updates = [{"pk": pk, "value": value + delta} for pk, value in rows]
        if updates:
            pk_col = table.primary_key.columns.values()[0]
            session.execute(
                sa.update(table).where(pk_col == sa.bindparam("pk")).values({column: sa.bindparam("value")}),
                updates,
            )


_SNAPSHOT_COLUMNS = ("game_id", "book", "market", "side", "point", "price_decimal", "seen_at", "latest")


_CLOSING_COLUMNS = ("game_id", "book", "market", "side", "point", "price_decimal", "seen_at")
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def _insert_snapshots(
    session: Session, items: list[HistoricalGame], *, pre_existing: set[str], with_closing: bool = False
) -> int:
    """Store every quote as a snapshot, the newest per game, book and market flagged latest.

    ``with_closing`` (games new to the store) also writes each side's last pre-start quote as its
    closing line, from the same pass.
    """
    newest: dict[tuple[str, str, str], datetime] = {}
    closes: dict[tuple[str, str, str, str], datetime] = {}
    for item in items:
        start = item.game.commence_time
        for q in item.quotes:
            key = (q.game.id, q.book, q.market.value)
            if q.seen_at > newest.get(key, _EARLIEST):
                newest[key] = q.seen_at
            if q.seen_at < start:
                side_key = (*key, q.side.value)
                if q.seen_at > closes.get(side_key, _EARLIEST):
                    closes[side_key] = q.seen_at
    driver = DriverValues(session)
    rows = []
    closing_rows = []
    for item in items:
        for q in item.quotes:
            game_id, market, side = q.game.id, q.market.value, q.side.value
            moment = driver.moment(q.seen_at)
            rows.append((game_id, q.book, market, side, q.point, q.price_decimal, moment,
                         driver.flag(newest[(game_id, q.book, market)] == q.seen_at)))  # fmt: skip
            if with_closing and closes.get((game_id, q.book, market, side)) == q.seen_at:
                closing_rows.append((game_id, q.book, market, side, q.point, q.price_decimal, moment))
    # Index order: each B-tree page is then written once per batch instead of at random.
    rows.sort(key=lambda r: (r[0], r[1], r[2], r[3], r[6]))
    inserted = insert_ignore_fast(
        session,
        table_of(OddsSnapshot),
        _SNAPSHOT_COLUMNS,
        rows,
        conflict=("game_id", "book", "market", "side", "seen_at"),
        prepared=True,
    )
    if closing_rows:
        closing_rows.sort()
        conflict = ("game_id", "book", "market", "side")
        insert_ignore_fast(
            session, table_of(ClosingLine), _CLOSING_COLUMNS, closing_rows, conflict=conflict, prepared=True
        )
    # Games seen before may hold older snapshots of the same books: fix their flags in SQL.
    refresh_latest(session=session, game_ids=pre_existing)
    return inserted


def _insert_fresh_results(
    session: Session, items: list[HistoricalGame], team_ids: dict[tuple[Sport, str], int]
) -> list[FinalScore]:
    """Outcomes and the two team rows of each played game new to the store."""
    played = [g for g in items if g.score is not None]
    outcomes, team_rows = [], []
    for item in played:
        score, game = item.score, item.game
        assert score is not None
        home, away = team_ids[(game.sport, game.home_team)], team_ids[(game.sport, game.away_team)]
        hs, as_ = score.home_score, score.away_score
        outcomes.append((game.id, hs, as_, score.completed_at, "import"))
        team_rows.append((game.id, home, away, True, game.commence_time, hs, as_, _letter(hs, as_)))
        team_rows.append((game.id, away, home, False, game.commence_time, as_, hs, _letter(as_, hs)))
    insert_ignore_fast(
        session,
        table_of(Outcome),
        ("game_id", "home_score", "away_score", "completed_at", "source"),
        outcomes,
        conflict=("game_id",),
    )
    insert_ignore_fast(
        session,
        table_of(TeamOutcome),
        (
            "game_id",
            "team_id",
            "opponent_id",
            "is_home",
            "commence_time",
            "points_for",
            "points_against",
            "result",
        ),
        team_rows,
        conflict=("game_id", "team_id"),
    )
    return [g.score for g in played if g.score is not None]


def _letter(points_for: int, points_against: int) -> str:
    return "W" if points_for > points_against else ("L" if points_for < points_against else "D")


def _save_closing_lines(session: Session, items: list[HistoricalGame]) -> None:
    """Close every game of the batch at its last pre-start snapshot (the files' closing prices)."""
    if not items:
        return
    latest_start = max(g.game.commence_time for g in items)
    ids = [g.game.id for g in items]
    for start in range(0, len(ids), _CHUNK):
        capture_closing_lines(session=session, as_of=latest_start, game_ids=ids[start : start + _CHUNK])
