"""Benny's bets and the bankroll ledger: placed once per game and market, settled exactly once.

The uniqueness rules do the guarding: a bet is one row per (game, market) and a ledger entry
one per (bet, kind), so a rerun, a crash and restart, or two overlapping settlement runs can
never double a bet or a settlement. Settling flips ``pending`` with a conditional UPDATE: of
two runs racing on one bet, only the one whose UPDATE matched writes the ledger entry. The week's
budget and the day's limit are sums, which no unique rule holds: ``lock_book`` makes trading runs
decide and write each bet one at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from store.tables import BankrollEntry, Bet, Game, OddsSnapshot, Outcome, Team, table_of
from store.upsert import insert_ignore, insert_ignore_returning

# "BET" in ASCII: the advisory lock a trading run holds while it decides and writes one bet.
BOOK_KEY = 0x424554


def lock_book(*, session: Session) -> None:
    """Hold the bets still until this transaction ends, so a bet decided on them is written first.

    PostgreSQL: a transaction-level advisory lock, which another run's ``lock_book`` waits for.
    SQLite: a write that changes nothing takes the database's one write lock now, rather than at
    the bet's insert, and reading after it sees every bet committed before it.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": BOOK_KEY})
    else:
        bets = table_of(Bet)
        session.execute(sa.update(bets).where(sa.false()).values(id=bets.c.id))


@dataclass(frozen=True, slots=True)
class Placed:
    """What has been bet so far: the week's stakes, today's bets, and the games and markets taken."""

    staked_this_week_usd: float
    bets_today: int
    taken: frozenset[tuple[str, str]]


def placed_so_far(
    *, session: Session, week: str, day_start: datetime, day_end: datetime, game_ids: Sequence[str]
) -> Placed:
    bets = table_of(Bet)
    staked = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(bets.c.stake_usd), 0.0)).where(bets.c.week == week)
    ).scalar_one()
    today = session.execute(
        sa.select(sa.func.count())
        .select_from(bets)
        .where(bets.c.placed_at >= day_start, bets.c.placed_at < day_end)
    ).scalar_one()
    taken = session.execute(
        sa.select(bets.c.game_id, bets.c.market).where(bets.c.game_id.in_(list(game_ids)))
    ).all()
    return Placed(float(staked), int(today), frozenset((g, m) for g, m in taken))


def insert_bet(*, session: Session, row: dict[str, Any]) -> int | None:
    """Store a bet and its stake entry; None when the game and market already has one (nothing written)."""
    ids = insert_ignore_returning(session, table_of(Bet), [row], conflict=["game_id", "market"])
    if not ids:
        return None
    bet_id = int(ids[0])
    insert_ignore(
        session,
        table_of(BankrollEntry),
        [
            {
                "bet_id": bet_id,
                "kind": "stake",
                "amount_usd": row["stake_usd"],
                "week": row["week"],
                "at": row["placed_at"],
            }
        ],
        conflict=["bet_id", "kind"],
    )
    return bet_id


def link_prediction(*, session: Session, bet_id: int, prediction_id: int) -> None:
    bets = table_of(Bet)
    session.execute(sa.update(bets).where(bets.c.id == bet_id).values(prediction_id=prediction_id))


def snapshot_id(
    *, session: Session, game_id: str, book: str, market: str, side: str, seen_at: datetime
) -> int | None:
    """The stored snapshot a price was read from."""
    snap = table_of(OddsSnapshot)
    return session.execute(
        sa.select(snap.c.id)
        .where(
            snap.c.game_id == game_id,
            snap.c.book == book,
            snap.c.market == market,
            snap.c.side == side,
            snap.c.seen_at == seen_at,
        )
        .limit(1)
    ).scalar_one_or_none()


@dataclass(frozen=True, slots=True)
class Settleable:
    """A pending bet whose game has a result."""

    id: int
    game_id: str
    sport_key: str
    home_team: str
    away_team: str
    market: str
    side: str
    point: float | None
    odds_american: int
    stake_usd: float
    probability: float
    week: str
    reasons: dict[str, Any] | None
    home_score: int
    away_score: int


def settleable(*, session: Session, as_of: datetime) -> list[Settleable]:
    """Pending bets whose results were known by ``as_of``, oldest first."""
    bets, outcome, game = table_of(Bet), table_of(Outcome), table_of(Game)
    home, away = table_of(Team).alias("home"), table_of(Team).alias("away")
    rows = session.execute(
        sa.select(
            bets.c.id, bets.c.game_id, game.c.sport_key, home.c.name, away.c.name, bets.c.market, bets.c.side,
            bets.c.point, bets.c.odds_american, bets.c.stake_usd, bets.c.probability, bets.c.week,
            bets.c.reasons, outcome.c.home_score, outcome.c.away_score,
        )
        .join(outcome, outcome.c.game_id == bets.c.game_id)
        .join(game, game.c.id == bets.c.game_id)
        .join(home, home.c.id == game.c.home_team_id)
        .join(away, away.c.id == game.c.away_team_id)
        .where(bets.c.status == "pending", outcome.c.completed_at <= as_of)
        .order_by(bets.c.id)
    )  # fmt: skip
    return [Settleable(*row) for row in rows]


def mark_settled(
    *,
    session: Session,
    bet: Settleable,
    status: str,
    profit_usd: float,
    clv: float | None,
    post_mortem: str,
    reasons: dict[str, Any] | None,
    at: datetime,
) -> bool:
    """Settle one bet and write its ledger entry; False when another run settled it first."""
    bets = table_of(Bet)
    done = session.execute(
        sa.update(bets)
        .where(bets.c.id == bet.id, bets.c.status == "pending")
        .returning(bets.c.id)
        .values(
            status=status,
            profit_usd=profit_usd,
            clv=clv,
            post_mortem=post_mortem,
            reasons=reasons,
            settled_at=at,
        )
    )
    if done.first() is None:
        return False
    new = insert_ignore(
        session,
        table_of(BankrollEntry),
        [{"bet_id": bet.id, "kind": "settle", "amount_usd": profit_usd, "week": bet.week, "at": at}],
        conflict=["bet_id", "kind"],
    )
    return new == 1


@dataclass(frozen=True, slots=True)
class BetRow:
    id: int
    game_id: str
    sport_key: str
    home_team: str
    away_team: str
    commence_time: datetime
    market: str
    side: str
    point: float | None
    book: str
    odds_american: int
    stake_usd: float
    probability: float
    week: str
    status: str
    profit_usd: float | None
    placed_at: datetime
    settled_at: datetime | None
    clv: float | None
    analyst: str
    post_mortem: str | None
    reasons: dict[str, Any] | None


def list_bets(*, session: Session, bet_id: int | None = None, status: str | None = None) -> list[BetRow]:
    """Bets, oldest first (one by id, or those of a status)."""
    bets, game = table_of(Bet), table_of(Game)
    home, away = table_of(Team).alias("home"), table_of(Team).alias("away")
    query = (
        sa.select(
            bets.c.id, bets.c.game_id, game.c.sport_key, home.c.name, away.c.name, bets.c.commence_time,
            bets.c.market, bets.c.side, bets.c.point, bets.c.book, bets.c.odds_american, bets.c.stake_usd,
            bets.c.probability, bets.c.week, bets.c.status, bets.c.profit_usd, bets.c.placed_at,
            bets.c.settled_at, bets.c.clv, bets.c.analyst, bets.c.post_mortem, bets.c.reasons,
        )
        .join(game, game.c.id == bets.c.game_id)
        .join(home, home.c.id == game.c.home_team_id)
        .join(away, away.c.id == game.c.away_team_id)
        .order_by(bets.c.placed_at, bets.c.id)
    )  # fmt: skip
    if bet_id is not None:
        query = query.where(bets.c.id == bet_id)
    if status is not None:
        query = query.where(bets.c.status == status)
    return [BetRow(*row) for row in session.execute(query)]


def ledger_total(*, session: Session, kind: str) -> float:
    ledger = table_of(BankrollEntry)
    total = session.execute(
        sa.select(sa.func.coalesce(sa.func.sum(ledger.c.amount_usd), 0.0)).where(ledger.c.kind == kind)
    ).scalar_one()
    return float(total)


def ledger_entries(*, session: Session) -> list[tuple[int | None, str, float]]:
    """Every ledger entry as (bet id, kind, amount), in no particular order."""
    ledger = table_of(BankrollEntry)
    rows = session.execute(sa.select(ledger.c.bet_id, ledger.c.kind, ledger.c.amount_usd))
    return [(bet_id, kind, float(amount)) for bet_id, kind, amount in rows]


def pending_with_results(*, session: Session, as_of: datetime) -> int:
    """How many bets are still pending though their game's result was known by ``as_of``."""
    bets, outcome = table_of(Bet), table_of(Outcome)
    count = session.execute(
        sa.select(sa.func.count())
        .select_from(bets)
        .join(outcome, outcome.c.game_id == bets.c.game_id)
        .where(bets.c.status == "pending", outcome.c.completed_at <= as_of)
    ).scalar_one()
    return int(count)
