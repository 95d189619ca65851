"""The Kaggle "NBA Betting Data" file (``kaggle_nba_2008-2024_lines.csv``), one row per game.

Columns used: ``season`` (the year the season ends: 2008 is 2007-08), ``date`` (ISO, the US
game day), ``away``/``home`` (lowercase ESPN codes: ``gs``, ``ny``, ``sa``, ``utah``, ``wsh``…),
``score_away``/``score_home``, ``whos_favored`` (``home``/``away``), ``spread`` (unsigned:
its sign comes from ``whos_favored``), ``total``, ``moneyline_away``/``moneyline_home``
(American). Quarter scores and the second-half lines are ignored.

All lines are closing lines (checked against SBR: the moneylines equal SBR's closing ML), so
every quote is stamped at the closing snapshot. The book key is ``kaggle``. The file prices
neither the spread nor the total, so both sides of each are priced at −110. Moneylines are
missing for 2023-24 and half of 2022-23: those games simply have no h2h quotes. There is no time
column, so a game starts at 23:00 UTC on its date (see base).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Final

from core.importers.base import (
    ASSUMED_PRICE_AMERICAN,
    BadValue,
    GameRecorder,
    HistoricalGame,
    ImportResult,
    make_game,
    parse_american,
    parse_number,
    parse_score,
    pauses_cyclic_gc,
    require_columns,
    start_at,
    two_year_season,
)
from core.odds import american_to_decimal
from core.sports import Market, Side, Sport

__all__ = ["BOOK", "FORMAT", "parse"]

FORMAT: Final = "kaggle_nba"
BOOK: Final = "kaggle"
_ASSUMED_PRICE: Final = american_to_decimal(ASSUMED_PRICE_AMERICAN)
_REQUIRED: Final = (
    "season",
    "date",
    "away",
    "home",
    "score_away",
    "score_home",
    "whos_favored",
    "spread",
    "total",
    "moneyline_away",
    "moneyline_home",
)


def _add_lines(recorder: GameRecorder, favoured: str, spread_cell: str, total_cell: str) -> None:
    try:
        spread = parse_number(spread_cell)
    except BadValue as exc:
        recorder.skip(f"{BOOK} spreads close: {exc}")
        spread = None
    if spread is not None:
        size = abs(spread)
        if favoured == "home" or size == 0.0:
            home_point = -size + 0.0
        elif favoured == "away":
            home_point = size
        else:
            recorder.skip(f"{BOOK} spreads close: whos_favored {favoured!r} is neither home nor away")
            home_point = None
        if home_point is not None:
            legs = ((Side.HOME, _ASSUMED_PRICE, home_point), (Side.AWAY, _ASSUMED_PRICE, -home_point + 0.0))
            recorder.add(BOOK, Market.SPREADS, True, legs)
    try:
        total = parse_number(total_cell)
    except BadValue as exc:
        recorder.skip(f"{BOOK} totals close: {exc}")
        total = None
    if total is not None:
        recorder.add(
            BOOK,
            Market.TOTALS,
            True,
            ((Side.OVER, _ASSUMED_PRICE, total), (Side.UNDER, _ASSUMED_PRICE, total)),
        )


@pauses_cyclic_gc
def parse(text: str, *, source: str = FORMAT) -> ImportResult:
    """Parse the Kaggle NBA lines file (already decoded to text)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, [])
    columns = require_columns(header, _REQUIRED, FORMAT)
    season_col, date_col, away_col, home_col = (columns[n] for n in ("season", "date", "away", "home"))
    away_score_col, home_score_col = columns["score_away"], columns["score_home"]
    favoured_col, spread_col, total_col = columns["whos_favored"], columns["spread"], columns["total"]
    ml_away_col, ml_home_col = columns["moneyline_away"], columns["moneyline_home"]
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
            local_date = date.fromisoformat(row[date_col].strip())
            season_end = int(row[season_col])
        except ValueError:
            skipped.append((line, f"date {row[date_col]!r} or season {row[season_col]!r} is unreadable"))
            continue
        game = make_game(Sport.NBA, local_date, row[home_col], row[away_col], start_at(local_date), line=line)
        recorder = GameRecorder(game, line, skipped)
        try:
            legs = (
                (Side.HOME, parse_american(row[ml_home_col]), None),
                (Side.AWAY, parse_american(row[ml_away_col]), None),
            )
            recorder.add(BOOK, Market.H2H, True, legs)
        except BadValue as exc:
            recorder.skip(f"{BOOK} h2h close: {exc}")
        _add_lines(recorder, row[favoured_col].strip().lower(), row[spread_col], row[total_col])
        try:
            home_score, away_score = parse_score(row[home_score_col]), parse_score(row[away_score_col])
        except BadValue as exc:
            recorder.skip(str(exc))
            home_score = away_score = None
        games.append(
            recorder.finish(home_score, away_score, source=source, season=two_year_season(season_end - 1))
        )
    return ImportResult(FORMAT, games, skipped)
