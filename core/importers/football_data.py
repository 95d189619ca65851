"""football-data.co.uk season files (``E0_<season>.csv``, the English Premier League).

One row per match: ``Div,Date,[Time,]HomeTeam,AwayTeam,FTHG,FTAG,FTR,…`` then odds columns named
``<book><outcome>``. The header changes across seasons, so every column is found by name:

- 1X2 opening ``B365H/B365D/B365A``, closing ``B365CH/B365CD/B365CA`` (closing for Pinnacle in
  every season, for the other books from 2019-20).
- Over/under 2.5 goals, opening ``B365>2.5``/``B365<2.5``, closing ``B365C>2.5``/``B365C<2.5``;
  Pinnacle's O/U and Asian handicap prefix is ``P`` (``P>2.5``, ``PC>2.5``, ``PAHH``, ``PCAHH``).
- Asian handicap: the home line ``AHh`` (opening) or ``AHCh`` (closing) with the prices
  ``B365AHH/B365AHA`` or ``B365CAHH/B365CAHA``, stored as spreads (home point = AHh, away = −AHh).
- ``Max*``, ``Avg*`` and ``Bb*`` columns are aggregates across books, never a book: not stored.

Eras handled: 2015-16 … 2018-19 (no ``Time``, no closing prices but Pinnacle's, ``LB`` until
2017-18), 2019-20 … 2022-23 (a copy whose uploader renamed ``>2.5`` to ``_2_5`` and ``<2.5`` to
``_2_5_1``; both spellings are read), 2023-24 (pristine) and 2024-25 (adds ``BF``, ``BFE`` and
``1XB``, drops ``IW`` and ``VC``). Dates are ``dd/mm/yy`` or ``dd/mm/yyyy``; ``Time`` is UK local
time (Europe/London), converted to UTC; without it a match starts at 23:00 UTC (see base).

Book keys follow The Odds API's where it lists the book: B365 ``bet365``, BW ``bwin``
(Bet&Win), IW ``interwetten``, PS/P ``pinnacle``, WH ``williamhill``, VC ``betvictor``,
LB ``ladbrokes_uk``, 1XB ``onexbet``, BF ``betfair_sb_uk`` (Betfair's sportsbook) and
BFE ``betfair_ex_uk`` (Betfair Exchange, see ``base.EXCHANGE_BOOKS``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, time
from typing import Final
from zoneinfo import ZoneInfo

from core.importers.base import (
    BadValue,
    GameRecorder,
    HistoricalGame,
    ImportResult,
    Leg,
    make_game,
    parse_decimal,
    parse_number,
    parse_score,
    pauses_cyclic_gc,
    require_columns,
    start_at,
    two_year_season,
)
from core.sports import Market, Side, Sport

__all__ = ["FORMAT", "parse"]

FORMAT: Final = "football_data"
UK: Final = ZoneInfo("Europe/London")


@dataclass(frozen=True, slots=True)
class _Book:
    key: str
    prefix_1x2: str  # B365 → B365H, B365CH
    prefix_lines: str  # B365 → B365>2.5, B365AHH; Pinnacle uses P here but PS for 1X2


_BOOKS: Final = (
    _Book("bet365", "B365", "B365"),
    _Book("bwin", "BW", "BW"),
    _Book("interwetten", "IW", "IW"),
    _Book("pinnacle", "PS", "P"),
    _Book("williamhill", "WH", "WH"),
    _Book("betvictor", "VC", "VC"),
    _Book("ladbrokes_uk", "LB", "LB"),
    _Book("onexbet", "1XB", "1XB"),
    _Book("betfair_sb_uk", "BF", "BF"),
    _Book("betfair_ex_uk", "BFE", "BFE"),
)

_REQUIRED: Final = ("Date", "HomeTeam", "AwayTeam", "FTHG", "FTAG")


def _normalise_header(name: str) -> str:
    """Undo the uploader's renaming of the O/U columns: ``_2_5_1`` → ``<2.5``, ``_2_5`` → ``>2.5``."""
    name = name.strip()
    if name.endswith("_2_5_1"):
        return name[: -len("_2_5_1")] + "<2.5"
    if name.endswith("_2_5"):
        return name[: -len("_2_5")] + ">2.5"
    return name


def _parse_date(text: str) -> date:
    day, month, year = text.strip().split("/")
    full_year = int(year)
    if len(year) == 2:  # football-data's 2-digit years are all 20xx
        full_year += 2000
    return date(full_year, int(month), int(day))


def _parse_time(text: str) -> time | None:
    cell = text.strip()
    if not cell:
        return None
    hours, minutes = cell.split(":")[:2]
    return time(int(hours), int(minutes))


@dataclass(frozen=True, slots=True)
class _Leg:
    side: Side
    price_col: int
    line_col: int | None = None  # the column holding the handicap (AHh, AHCh)
    sign: float = 1.0  # the away side takes the home handicap with the opposite sign
    fixed_point: float | None = None  # the O/U columns are all for 2.5 goals


@dataclass(frozen=True, slots=True)
class _MarketColumns:
    book: str
    market: Market
    closing: bool
    legs: tuple[_Leg, ...]


def _market_columns(columns: dict[str, int]) -> list[_MarketColumns]:
    """Every (book, market, snapshot) whose columns all exist in this file."""
    found: list[_MarketColumns] = []
    for book in _BOOKS:
        for closing, tag in ((False, ""), (True, "C")):
            home, away, draw = (columns.get(f"{book.prefix_1x2}{tag}{outcome}") for outcome in "HAD")
            if home is not None and away is not None and draw is not None:
                legs: tuple[_Leg, ...] = (_Leg(Side.HOME, home), _Leg(Side.AWAY, away), _Leg(Side.DRAW, draw))
                found.append(_MarketColumns(book.key, Market.H2H, closing, legs))
            over = columns.get(f"{book.prefix_lines}{tag}>2.5")
            under = columns.get(f"{book.prefix_lines}{tag}<2.5")
            if over is not None and under is not None:
                legs = (_Leg(Side.OVER, over, fixed_point=2.5), _Leg(Side.UNDER, under, fixed_point=2.5))
                found.append(_MarketColumns(book.key, Market.TOTALS, closing, legs))
            line = columns.get("AHCh" if closing else "AHh")
            ah_home = columns.get(f"{book.prefix_lines}{tag}AHH")
            ah_away = columns.get(f"{book.prefix_lines}{tag}AHA")
            if line is not None and ah_home is not None and ah_away is not None:
                legs = (_Leg(Side.HOME, ah_home, line), _Leg(Side.AWAY, ah_away, line, sign=-1.0))
                found.append(_MarketColumns(book.key, Market.SPREADS, closing, legs))
    return found


def _add_quotes(recorder: GameRecorder, row: list[str], markets: list[_MarketColumns]) -> None:
    for spec in markets:
        parsed: list[Leg] = []
        try:
            for leg in spec.legs:
                point = leg.fixed_point
                if leg.line_col is not None:
                    line = parse_number(row[leg.line_col])
                    # Adding 0.0 turns the away side's -0.0 on a level line into a plain 0.
                    point = None if line is None else leg.sign * line + 0.0
                parsed.append((leg.side, parse_decimal(row[leg.price_col]), point))
        except BadValue as exc:
            recorder.skip(f"{spec.book} {spec.market} {'close' if spec.closing else 'open'}: {exc}")
            continue
        recorder.add(spec.book, spec.market, spec.closing, parsed)


@pauses_cyclic_gc
def parse(text: str, *, source: str = FORMAT) -> ImportResult:
    """Parse one football-data.co.uk season file (already decoded to text)."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [_normalise_header(name) for name in next(reader, [])]
    columns = require_columns(header, _REQUIRED, FORMAT)
    markets = _market_columns(columns)
    date_col, home_col, away_col = columns["Date"], columns["HomeTeam"], columns["AwayTeam"]
    hg_col, ag_col = columns["FTHG"], columns["FTAG"]
    time_col = columns.get("Time")
    width = len(header)

    games: list[HistoricalGame] = []
    skipped: list[tuple[int, str]] = []
    for row in reader:
        line = reader.line_num
        if not any(row):
            continue  # blank trailing lines
        if len(row) < width:
            row = row + [""] * (width - len(row))
        home, away = row[home_col].strip(), row[away_col].strip()
        if not home or not away:
            skipped.append((line, "row has no teams"))
            continue
        try:
            local_date = _parse_date(row[date_col])
            kickoff = _parse_time(row[time_col]) if time_col is not None else None
        except ValueError:
            skipped.append((line, f"date {row[date_col]!r} or time is not dd/mm/yy[yy] hh:mm"))
            continue
        game = make_game(Sport.EPL, local_date, home, away, start_at(local_date, kickoff, UK), line=line)
        recorder = GameRecorder(game, line, skipped)
        _add_quotes(recorder, row, markets)
        try:
            home_goals, away_goals = parse_score(row[hg_col]), parse_score(row[ag_col])
        except BadValue as exc:
            recorder.skip(str(exc))
            home_goals = away_goals = None
        # A season runs August to May: its first year is the calendar year of an autumn match.
        season_start = local_date.year if local_date.month >= 7 else local_date.year - 1
        games.append(
            recorder.finish(home_goals, away_goals, source=source, season=two_year_season(season_start))
        )
    return ImportResult(FORMAT, games, skipped)
