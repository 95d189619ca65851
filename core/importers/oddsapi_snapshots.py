"""Flattened Odds API historical snapshots: one row per game, bookmaker and daily snapshot.

The layout (``date, sport, game_id, commence_time, home_team, away_team, bookmaker, ml_home,
ml_away, spread_home, spread_home_odds, spread_away, spread_away_odds, total_line,
total_over_odds, total_under_odds``, American prices) is what a daily script makes of The Odds
API's historical endpoint: each row is the book's lines at the snapshot taken on ``date`` at
17:00 UTC (noon US Eastern). There are no results, so these files add line history only.

Unlike the other history formats, the games keep The Odds API's own event ids (``game_id``),
which is what live collection stores too. Rows whose snapshot is not before the game's start
are in-play prices (``6000`` / ``-200000``) and are skipped, as are incomplete or impossible
markets (see ``base``). A row repeated across snapshot files is one snapshot.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time
from typing import Final

from core.clock import parse_instant
from core.devig import MAX_OVERROUND, MIN_OVERROUND
from core.errors import InvalidInput
from core.importers.base import (
    BadValue,
    HistoricalGame,
    ImportResult,
    parse_american,
    parse_number,
    pauses_cyclic_gc,
    require_columns,
)
from core.quotes import GameInfo, OddsQuote
from core.sports import Market, Side, parse_sport
from core.teams import canonical_team

__all__ = ["FORMAT", "SNAPSHOT_TIME_UTC", "parse"]

FORMAT: Final = "oddsapi_snapshots"
SNAPSHOT_TIME_UTC: Final = time(17, 0)
_REQUIRED: Final = (
    "date", "sport", "game_id", "commence_time", "home_team", "away_team", "bookmaker", "ml_home", "ml_away",
    "spread_home", "spread_home_odds", "spread_away", "spread_away_odds", "total_line", "total_over_odds",
    "total_under_odds",
)  # fmt: skip

Leg = tuple[Side, str, float | None]


def _market(
    game: GameInfo, book: str, market: Market, legs: list[Leg], seen_at: datetime
) -> tuple[list[OddsQuote], str | None]:
    """Quotes of one complete, sane market, or a reason it was left out."""
    prices: list[float] = []
    for _, cell, _ in legs:
        try:
            price = parse_american(cell)
        except BadValue as exc:
            return [], str(exc)
        if price is None:
            return [], "" if all(not c.strip() for _, c, _ in legs) else "a side has no price"
        prices.append(price)
    margin = sum(1.0 / p for p in prices) - 1.0
    if not MIN_OVERROUND <= margin <= MAX_OVERROUND:
        return [], f"overround {margin:+.1%} is impossible"
    made = [
        OddsQuote(game, book, market, side, price, seen_at, point)
        for (side, _, point), price in zip(legs, prices, strict=True)
    ]
    return made, None


@pauses_cyclic_gc
def parse(text: str) -> ImportResult:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        raise InvalidInput(f"{FORMAT} file is empty")
    col = require_columns(header, _REQUIRED, FORMAT)
    games: dict[str, GameInfo] = {}
    quotes: dict[str, dict[tuple[str, str, str, datetime], OddsQuote]] = {}
    skipped: list[tuple[int, str]] = []
    for line, row in enumerate(reader, start=2):
        if not row or not any(cell.strip() for cell in row):
            continue
        try:
            sport = parse_sport(row[col["sport"]])
            game_id = row[col["game_id"]].strip()
            start = parse_instant(row[col["commence_time"]])
            seen_at = datetime.combine(
                date.fromisoformat(row[col["date"]].strip()), SNAPSHOT_TIME_UTC, tzinfo=UTC
            )
        except (InvalidInput, ValueError) as exc:
            skipped.append((line, f"not a game row: {exc}"))
            continue
        if seen_at >= start:
            skipped.append((line, "snapshot taken after the start (in-play prices)"))
            continue
        game = games.get(game_id)
        if game is None:
            try:
                home = canonical_team(sport, row[col["home_team"]])
                away = canonical_team(sport, row[col["away_team"]])
            except InvalidInput as exc:
                raise InvalidInput(f"{exc} at line {line}") from exc
            game = games[game_id] = GameInfo(game_id, sport, start, home, away)
            quotes[game_id] = {}
        book = row[col["bookmaker"]].strip()
        try:
            spread_home = parse_number(row[col["spread_home"]])
            spread_away = parse_number(row[col["spread_away"]])
            total = parse_number(row[col["total_line"]])
        except BadValue as exc:
            skipped.append((line, f"{book}: {exc}"))
            continue
        markets: list[tuple[Market, list[Leg]]] = [
            (Market.H2H, [(Side.HOME, row[col["ml_home"]], None), (Side.AWAY, row[col["ml_away"]], None)])
        ]
        if spread_home is not None and spread_away is not None and spread_home + spread_away == 0.0:
            home_leg: Leg = (Side.HOME, row[col["spread_home_odds"]], spread_home)
            away_leg: Leg = (Side.AWAY, row[col["spread_away_odds"]], spread_away)
            markets.append((Market.SPREADS, [home_leg, away_leg]))
        if total is not None and total > 0:
            over_leg: Leg = (Side.OVER, row[col["total_over_odds"]], total)
            under_leg: Leg = (Side.UNDER, row[col["total_under_odds"]], total)
            markets.append((Market.TOTALS, [over_leg, under_leg]))
        for market, legs in markets:
            made, reason = _market(game, book, market, legs, seen_at)
            if reason:
                skipped.append((line, f"{book} {market}: {reason}"))
            for q in made:
                quotes[game_id][(q.book, q.market.value, q.side.value, q.seen_at)] = q
    result = [
        HistoricalGame(game, tuple(quotes[gid].values()), None, FORMAT, None) for gid, game in games.items()
    ]
    return ImportResult(FORMAT, result, skipped)
