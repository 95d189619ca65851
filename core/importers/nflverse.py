"""nflverse's ``games.csv`` (``nflverse_games.csv``): every NFL game since 1999, one row each.

Columns used: ``season`` (the year the season starts), ``gameday`` (ISO, US date), ``gametime``
(``HH:MM`` US Eastern, converted to UTC with America/New_York; blank → 23:00 UTC),
``home_team``/``away_team`` (abbreviations that change with relocations: ``OAK``→``LV``,
``SD``→``LAC``, ``STL``→``LA``), ``home_score``/``away_score`` and ``result``, then the
consensus lines: ``home_moneyline``/``away_moneyline``, ``spread_line`` (positive = home
favoured by that many points, so the home point is −spread_line) with
``home_spread_odds``/``away_spread_odds``, ``total_line`` with ``over_odds``/``under_odds``.

These are single closing consensus lines (book ``nflverse``), stamped at the closing snapshot.
Before 2006 the file has spreads and totals without prices: both sides are priced at −110.
A blank ``result`` means the game is not played yet (no FinalScore); a tie (result 0) is a
real result. Neutral-site games keep the home team nflverse designates. Seasons are labelled
by their first year (``2021``).
"""

from __future__ import annotations

import csv
import io
from datetime import date, time
from typing import Final
from zoneinfo import ZoneInfo

from core.importers.base import (
    ASSUMED_PRICE_AMERICAN,
    BadValue,
    GameRecorder,
    HistoricalGame,
    ImportResult,
    Leg,
    make_game,
    parse_american,
    parse_number,
    parse_score,
    pauses_cyclic_gc,
    require_columns,
    start_at,
)
from core.odds import american_to_decimal
from core.sports import Market, Side, Sport

__all__ = ["BOOK", "FORMAT", "parse"]

FORMAT: Final = "nflverse"
BOOK: Final = "nflverse"
US_EASTERN: Final = ZoneInfo("America/New_York")
_ASSUMED_PRICE: Final = american_to_decimal(ASSUMED_PRICE_AMERICAN)
_REQUIRED: Final = (
    "season",
    "gameday",
    "gametime",
    "away_team",
    "away_score",
    "home_team",
    "home_score",
    "result",
    "away_moneyline",
    "home_moneyline",
    "spread_line",
    "away_spread_odds",
    "home_spread_odds",
    "total_line",
    "under_odds",
    "over_odds",
)


def _prices(first_cell: str, second_cell: str) -> tuple[float | None, float | None]:
    """Both prices of a line; a line with neither price gets the assumed −110 on both sides."""
    first, second = parse_american(first_cell), parse_american(second_cell)
    if first is None and second is None:
        return _ASSUMED_PRICE, _ASSUMED_PRICE
    return first, second


def _parse_time(text: str) -> time | None:
    cell = text.strip()
    if not cell:
        return None
    hours, minutes = cell.split(":")[:2]
    return time(int(hours), int(minutes))


def _add_quotes(recorder: GameRecorder, row: list[str], columns: dict[str, int]) -> None:
    try:
        moneyline: tuple[Leg, ...] = (
            (Side.HOME, parse_american(row[columns["home_moneyline"]]), None),
            (Side.AWAY, parse_american(row[columns["away_moneyline"]]), None),
        )
        recorder.add(BOOK, Market.H2H, True, moneyline)
    except BadValue as exc:
        recorder.skip(f"{BOOK} h2h close: {exc}")
    try:
        spread_line = parse_number(row[columns["spread_line"]])
        if spread_line is not None:
            home_price, away_price = _prices(
                row[columns["home_spread_odds"]], row[columns["away_spread_odds"]]
            )
            home_point = -spread_line + 0.0
            spreads: tuple[Leg, ...] = (
                (Side.HOME, home_price, home_point),
                (Side.AWAY, away_price, spread_line + 0.0),
            )
            recorder.add(BOOK, Market.SPREADS, True, spreads)
    except BadValue as exc:
        recorder.skip(f"{BOOK} spreads close: {exc}")
    try:
        total = parse_number(row[columns["total_line"]])
        if total is not None:
            over_price, under_price = _prices(row[columns["over_odds"]], row[columns["under_odds"]])
            recorder.add(
                BOOK, Market.TOTALS, True, ((Side.OVER, over_price, total), (Side.UNDER, under_price, total))
            )
    except BadValue as exc:
        recorder.skip(f"{BOOK} totals close: {exc}")


@pauses_cyclic_gc
def parse(text: str, *, source: str = FORMAT) -> ImportResult:
    """Parse nflverse games.csv (already decoded to text)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, [])
    columns = require_columns(header, _REQUIRED, FORMAT)
    season_col, day_col, time_col = columns["season"], columns["gameday"], columns["gametime"]
    home_col, away_col = columns["home_team"], columns["away_team"]
    home_score_col, away_score_col, result_col = (
        columns["home_score"],
        columns["away_score"],
        columns["result"],
    )
    width = len(header)

    games: list[HistoricalGame] = []
    skipped: list[tuple[int, str]] = []
    for row in reader:
        line = reader.line_num
        if not any(row):
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        try:
            local_date = date.fromisoformat(row[day_col].strip())
            kickoff = _parse_time(row[time_col])
            season = str(int(row[season_col]))
        except ValueError:
            skipped.append((line, f"gameday {row[day_col]!r}, gametime or season is unreadable"))
            continue
        start = start_at(local_date, kickoff, US_EASTERN)
        game = make_game(Sport.NFL, local_date, row[home_col], row[away_col], start, line=line)
        recorder = GameRecorder(game, line, skipped)
        _add_quotes(recorder, row, columns)
        home_score = away_score = None
        if row[result_col].strip():  # blank result: not played yet
            try:
                home_score, away_score = parse_score(row[home_score_col]), parse_score(row[away_score_col])
            except BadValue as exc:
                recorder.skip(str(exc))
        games.append(recorder.finish(home_score, away_score, source=source, season=season))
    return ImportResult(FORMAT, games, skipped)
