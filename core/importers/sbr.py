"""sportsbookreviewsonline.com archive files (``sbr_<sport>_odds_<season>.csv``): NBA, NFL, NHL, MLB.

Two rows per game: the visitor (``VH`` = ``V``) and the home team (``H``), or two ``N`` rows for
a neutral site, where the first row of the pair is the visitor. A pair is two consecutive rows
with the same date, consecutive ``Rot`` numbers and a V/H (either order) or N/N marking; a row
that does not pair is skipped and the next one tried. ``Date`` is ``MMDD`` without a year:

- where the uploader added a ``Year`` column (NBA 2014-15 … 2019-20), it gives the year;
- otherwise the season (from the file name or the caller) does: a two-year season ``2019-20``
  starts in 2019 unless its first game falls in January-June (NHL 2020-21 began in January
  2021), a one-year season ``2021`` starts in 2021, and the year goes up by one each time the
  month goes back (December → January; also right for the 2019-20 bubble, whose summer games
  follow March, and for the December-July 2020-21 NBA season).

Layouts, found by column name:

- NBA and NFL: ``Open``/``Close`` hold the opening and closing spread on the favourite's row
  and the total on the other row (``pk`` = spread 0; ``NL`` = no line; a leading minus on a
  spread is dropped). Which is which is decided by range (spread 0-30, total 150-300 for the
  NBA; spread 0-25, total 28-80 for the NFL); a pair that does not give one of each is
  dropped for that snapshot. ``ML`` is the closing moneyline. No prices exist for the spread
  and total, so both sides are priced at −110. ``2H`` (second half) is ignored.
- NHL and MLB: ``Open``/``Close`` are the opening and closing moneylines; ``PuckLine`` or
  ``RunLine`` is the closing handicap with its price in the unnamed column after it;
  ``OpenOU``/``CloseOU`` are the opening and closing totals, price in the unnamed column after
  them: the visitor's row holds the over price, the home row the under price.

Files start with a UTF-8 BOM, some have trailing empty columns, and some cells are corrupt
(``a100``, O/U prices such as ``-35`` or ``-1105``, a ``1955.5`` total, an ``F`` score, a puck
line of +1.5 on both sides): those markets (or that score) are dropped and listed as skipped.
The book key is ``sbr`` (SBR's consensus line). Seasons are labelled ``2019-20`` for the NBA
and NHL and by the starting year (``2021``) for the NFL and MLB, as nflverse does.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from core.errors import InvalidInput
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
from core.sports import Market, Side, Sport, parse_sport

__all__ = ["BOOK", "FORMAT", "parse", "sport_and_season_from_name"]

FORMAT: Final = "sbr"
BOOK: Final = "sbr"
_ASSUMED_PRICE: Final = american_to_decimal(ASSUMED_PRICE_AMERICAN)
_NAME: Final = re.compile(r"(?P<sport>nba|nfl|nhl|mlb)\D*?(?P<season>(?:19|20)\d\d(?:-\d\d(?:\d\d)?)?)", re.I)
_SEASON: Final = re.compile(r"^((?:19|20)\d\d)(?:-(\d\d(?:\d\d)?))?$")


@dataclass(frozen=True, slots=True)
class _LineRanges:
    """Where a spread ends and a total begins, for the sports whose Open/Close mix the two."""

    spread_max: float
    total_min: float
    total_max: float


_RANGES: Final = {
    Sport.NBA: _LineRanges(spread_max=30.0, total_min=150.0, total_max=300.0),
    Sport.NFL: _LineRanges(spread_max=25.0, total_min=28.0, total_max=80.0),
}
_HANDICAP_COLUMN: Final = {Sport.NHL: "PuckLine", Sport.MLB: "RunLine"}
# The VH marks two consecutive rows may carry to be one game (an H row before its V row happens).
_PAIRINGS: Final = frozenset({("V", "H"), ("H", "V"), ("N", "N")})


def sport_and_season_from_name(name: str) -> tuple[Sport | None, str | None]:
    """``sbr_nba_odds_2019-20.csv`` → (NBA, ``2019-20``); parts the name lacks are None."""
    match = _NAME.search(name)
    if match is None:
        return None, None
    return parse_sport(match.group("sport")), match.group("season")


def _season_label(sport: Sport, first_year: int) -> str:
    if sport in (Sport.NFL, Sport.MLB):
        return str(first_year)
    return f"{first_year}-{(first_year + 1) % 100:02d}"


def _first_year(season: str) -> int:
    match = _SEASON.match(season.strip())
    if match is None:
        raise InvalidInput(f"season must look like 2019-20 or 2021, got {season!r}")
    return int(match.group(1))


class _Calendar:
    """Turns MMDD into dates, from a Year column or from the season and the order of the rows."""

    def __init__(self, season: str | None) -> None:
        self._start_year: int | None = None
        self._two_year = False
        if season is not None:
            self._start_year = _first_year(season)
            self._two_year = "-" in season
        self._year: int | None = None
        self._last_month = 0

    def date(self, mmdd: str, year_cell: str | None) -> date:
        number = int(mmdd)
        month, day = divmod(number, 100)
        if year_cell:
            year = int(year_cell)
        else:
            if self._start_year is None:
                raise InvalidInput("this SBR file has no Year column: pass its season (e.g. 2019-20)")
            if self._year is None:
                # A two-year season whose first game is in January-June started late (NHL 2020-21).
                late_start = self._two_year and month < 7
                self._year = self._start_year + 1 if late_start else self._start_year
            elif month < self._last_month:
                self._year += 1
            year = self._year
        self._last_month = month
        return date(year, month, day)


def _spread_and_total(
    visitor_cell: str, home_cell: str, ranges: _LineRanges
) -> tuple[float | None, float | None, str | None]:
    """(home handicap, total, None) from one Open/Close column pair, or a reason it cannot be read."""
    spread: float | None = None
    favourite_is_home = False
    total: float | None = None
    for cell, is_home in ((visitor_cell, False), (home_cell, True)):
        value = parse_number(cell)
        if value is None:
            continue
        size = abs(value)
        if size <= ranges.spread_max and spread is None:
            spread, favourite_is_home = size, is_home
        elif ranges.total_min <= size <= ranges.total_max and total is None:
            total = size
        else:
            return None, None, f"lines {visitor_cell!r}/{home_cell!r} are not one spread and one total"
    if spread is None:
        return None, total, None
    home_point = -spread if favourite_is_home else spread
    return home_point + 0.0, total, None


def _assumed(side: Side, point: float) -> Leg:
    return (side, _ASSUMED_PRICE, point)


def _parse_pair_spread_total(
    recorder: GameRecorder, visitor: list[str], home: list[str], columns: dict[str, int], ranges: _LineRanges
) -> None:
    for name, closing in (("Open", False), ("Close", True)):
        column = columns[name]
        try:
            home_point, total, problem = _spread_and_total(visitor[column], home[column], ranges)
        except BadValue as exc:
            recorder.skip(f"{BOOK} {name.lower()} lines: {exc}")
            continue
        if problem is not None:
            recorder.skip(f"{BOOK} {name.lower()}: {problem}")
            continue
        if home_point is not None:
            legs = (_assumed(Side.HOME, home_point), _assumed(Side.AWAY, -home_point + 0.0))
            recorder.add(BOOK, Market.SPREADS, closing, legs)
        if total is not None:
            recorder.add(
                BOOK, Market.TOTALS, closing, (_assumed(Side.OVER, total), _assumed(Side.UNDER, total))
            )
    _add_moneyline(recorder, visitor, home, columns["ML"], closing=True)


def _add_moneyline(
    recorder: GameRecorder, visitor: list[str], home: list[str], column: int, *, closing: bool
) -> None:
    try:
        legs = (
            (Side.HOME, parse_american(home[column]), None),
            (Side.AWAY, parse_american(visitor[column]), None),
        )
    except BadValue as exc:
        recorder.skip(f"{BOOK} h2h {'close' if closing else 'open'}: {exc}")
        return
    recorder.add(BOOK, Market.H2H, closing, legs)


def _parse_pair_moneyline(
    recorder: GameRecorder, visitor: list[str], home: list[str], columns: dict[str, int], handicap: str
) -> None:
    _add_moneyline(recorder, visitor, home, columns["Open"], closing=False)
    _add_moneyline(recorder, visitor, home, columns["Close"], closing=True)
    line = columns[handicap]
    try:
        legs: tuple[Leg, ...] = (
            (Side.HOME, parse_american(home[line + 1]), parse_number(home[line])),
            (Side.AWAY, parse_american(visitor[line + 1]), parse_number(visitor[line])),
        )
        recorder.add(BOOK, Market.SPREADS, True, legs)
    except BadValue as exc:
        recorder.skip(f"{BOOK} spreads close: {exc}")
    for name, closing in (("OpenOU", False), ("CloseOU", True)):
        column = columns[name]
        try:
            legs = (
                (Side.OVER, parse_american(visitor[column + 1]), parse_number(visitor[column])),
                (Side.UNDER, parse_american(home[column + 1]), parse_number(home[column])),
            )
        except BadValue as exc:
            recorder.skip(f"{BOOK} totals {'close' if closing else 'open'}: {exc}")
            continue
        recorder.add(BOOK, Market.TOTALS, closing, legs)


def _rot(cell: str) -> int | None:
    cell = cell.strip()
    return int(cell) if cell.isdigit() else None


@pauses_cyclic_gc
def parse(text: str, *, sport: Sport, season: str | None = None, source: str = FORMAT) -> ImportResult:
    """Parse one SBR archive file (already decoded) for ``sport``; ``season`` e.g. ``2019-20``.

    ``season`` is needed only when the file has no ``Year`` column; it also labels the games
    (otherwise the label comes from the first game's date).
    """
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [name.strip() for name in next(reader, [])]
    handicap = _HANDICAP_COLUMN.get(sport)
    if handicap is None:
        ranges = _RANGES.get(sport)
        if ranges is None:
            raise InvalidInput(f"SBR files exist for NBA, NFL, NHL and MLB, not {sport.title}")
        needed: tuple[str, ...] = ("Date", "Rot", "VH", "Team", "Final", "Open", "Close", "ML")
    else:
        ranges = None
        needed = ("Date", "Rot", "VH", "Team", "Final", "Open", "Close", handicap, "OpenOU", "CloseOU")
    columns = require_columns(header, needed, f"SBR {sport.title}")
    if handicap is not None and max(columns[handicap], columns["OpenOU"], columns["CloseOU"]) + 1 >= len(
        header
    ):
        raise InvalidInput(f"SBR {sport.title} file has no price column after {handicap}/OpenOU/CloseOU")
    date_col, rot_col, vh_col, team_col, final_col = (
        columns[n] for n in ("Date", "Rot", "VH", "Team", "Final")
    )
    year_col = columns.get("Year")
    if year_col is None and season is None:
        raise InvalidInput(f"this SBR {sport.title} file has no Year column: pass its season (e.g. 2019-20)")
    width = len(header)
    calendar = _Calendar(season)

    rows: list[tuple[int, list[str]]] = []
    for row in reader:
        if not any(row):
            continue
        if len(row) < width:
            row = row + [""] * (width - len(row))
        rows.append((reader.line_num, row))

    games: list[HistoricalGame] = []
    skipped: list[tuple[int, str]] = []
    played: dict[tuple[date, str, str], int] = {}
    label = None if season is None else _season_label(sport, _first_year(season))
    index = 0
    while index < len(rows):
        line, first = rows[index]
        if index + 1 == len(rows):
            skipped.append((line, "last row has no partner"))
            break
        _, second = rows[index + 1]
        marks = (first[vh_col].strip().upper(), second[vh_col].strip().upper())
        first_rot, second_rot = _rot(first[rot_col]), _rot(second[rot_col])
        consecutive = first_rot is None or second_rot is None or second_rot == first_rot + 1
        if first[date_col].strip() != second[date_col].strip() or not consecutive or marks not in _PAIRINGS:
            skipped.append((line, f"row does not pair with the next one ({marks[0]}/{marks[1]})"))
            index += 1
            continue
        index += 2
        visitor, home = (second, first) if marks == ("H", "V") else (first, second)
        try:
            local_date = calendar.date(
                first[date_col], first[year_col].strip() if year_col is not None else None
            )
        except ValueError:
            skipped.append((line, f"date {first[date_col]!r} is not MMDD"))
            continue
        # Doubleheaders (MLB): the same teams twice on one day are games 1 and 2, in file order.
        matchup = (local_date, home[team_col].strip(), visitor[team_col].strip())
        game_number = played.get(matchup, 0) + 1
        played[matchup] = game_number
        start = start_at(local_date)
        game = make_game(sport, local_date, matchup[1], matchup[2], start, game_number=game_number, line=line)
        recorder = GameRecorder(game, line, skipped)
        if ranges is not None:
            _parse_pair_spread_total(recorder, visitor, home, columns, ranges)
        elif handicap is not None:
            _parse_pair_moneyline(recorder, visitor, home, columns, handicap)
        try:
            home_score, away_score = parse_score(home[final_col]), parse_score(visitor[final_col])
        except BadValue as exc:
            recorder.skip(str(exc))
            home_score = away_score = None
        if label is None:
            first_year = (
                local_date.year if local_date.month >= 7 or sport is Sport.MLB else local_date.year - 1
            )
            label = _season_label(sport, first_year)
        games.append(recorder.finish(home_score, away_score, source=source, season=label))
    return ImportResult(FORMAT, games, skipped)
