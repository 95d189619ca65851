"""What every historical importer produces, and the rules they share.

An importer turns one history file (football-data, SBR, nflverse, Kaggle) into
``HistoricalGame`` values: the game, its odds quotes as ``OddsQuote`` snapshots, and the final
score. Importers are pure: text in, values out; the store decides what to keep.

Identity. ``historical_game_id`` hashes (sport, local date, home, away) with canonical team names,
so every source gives the same id for the same game and overlapping sources (Kaggle and SBR NBA,
nflverse and SBR NFL) are stored once. The local date is the date the source prints: the
calendar day where the game is played. The second game of an MLB doubleheader adds its number
to the hash (``game_number=2``); the first keeps the plain id.

Timing (the files give at most a kick-off, never when a price was seen):

- start: where a row has only a date, the game starts at 23:00 UTC that day. A time column wins
  where present: football-data ``Time`` is UK local time (Europe/London), nflverse ``gametime``
  is US Eastern (America/New_York); both are converted to UTC.
- opening snapshot: ``seen_at`` = start − 48 h.
- closing snapshot: ``seen_at`` = start − 5 min.
- result: ``FinalScore.completed_at`` = start + 3 h.

So for every game opening < closing < commence_time < completed_at, and a backtest that uses
only quotes seen before a moment never sees the closing line early.

Quote conventions:

- prices are decimal; American prices are converted with ``core.odds.american_to_decimal``.
- h2h sides are home/away, plus draw where the sport has one (EPL).
- spreads: ``point`` is that side's own handicap (home −4.5, away +4.5), so the two points of a
  market sum to 0; ``pk`` means a spread of 0.
- totals: over and under with the same point.
- where a source gives a line without its price (Kaggle spread/total, SBR NBA/NFL spread/total,
  nflverse lines before 2006), both sides are priced at −110 (decimal 1.909…), the standard
  price of a US line.

Bad data never stops an import. A blank, ``NL`` or ``-`` value means "no price" and the market is
simply absent. A corrupt value (``a100``, an American price between −100 and +100, a decimal
price ≤ 1), a market with a side missing, inconsistent points, or a market whose overround lies
outside [MIN_OVERROUND, MAX_OVERROUND] (−25 %, +25 %: stale or mistyped prices) drops that
market for that book and is recorded in ``ImportResult.skipped`` with its row number (the line
in the file, the header being line 1). A row that cannot be a game at all (no date, unpaired
SBR row) is skipped the same way. An unknown team is not skipped but raises ``InvalidInput``:
the fix is an alias in ``core.teams``, not silently missing games.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Final, ParamSpec, TypeVar

from core.devig import MAX_OVERROUND, MIN_OVERROUND
from core.errors import InvalidInput
from core.odds import american_to_decimal
from core.quotes import FinalScore, GameInfo, OddsQuote
from core.sports import Market, Side, Sport
from core.teams import canonical_team

__all__ = [
    "ASSUMED_PRICE_AMERICAN",
    "CLOSING_LEAD",
    "DEFAULT_START_UTC",
    "EXCHANGE_BOOKS",
    "OPENING_LEAD",
    "RESULT_DELAY",
    "BadValue",
    "GameRecorder",
    "HistoricalGame",
    "ImportResult",
    "Leg",
    "historical_game_id",
    "is_exchange",
    "make_game",
    "parse_american",
    "parse_decimal",
    "parse_number",
    "parse_score",
    "pauses_cyclic_gc",
    "require_columns",
    "start_at",
    "two_year_season",
]

DEFAULT_START_UTC: Final = time(23, 0)
OPENING_LEAD: Final = timedelta(hours=48)
CLOSING_LEAD: Final = timedelta(minutes=5)
RESULT_DELAY: Final = timedelta(hours=3)
ASSUMED_PRICE_AMERICAN: Final = -110.0

# Betting exchanges: their back prices carry commission, not a margin, so a consumer that treats
# "the books" as a consensus or measures margins needs to tell them apart.
EXCHANGE_BOOKS: Final = frozenset(
    {"betfair_ex_uk", "betfair_ex_eu", "betfair_ex_au", "matchbook", "smarkets", "betdaq"}
)

# Cells that mean "no price here" rather than a broken one.
_ABSENT: Final = frozenset({"", "NL", "nl", "-", "—", "N/A", "n/a", "NA"})
_PICK_EM: Final = frozenset({"pk", "PK", "Pk", "pick", "PICK"})


def is_exchange(book: str) -> bool:
    """True for a betting exchange's book key (``betfair_ex_uk``, ``matchbook``…)."""
    return book in EXCHANGE_BOOKS


@dataclass(frozen=True, slots=True)
class HistoricalGame:
    """One game from a history file: the game, its quotes (all snapshots), and the result if played."""

    game: GameInfo
    quotes: tuple[OddsQuote, ...]
    score: FinalScore | None
    source: str
    season: str | None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The games a file gave, and (row number, reason) for every row or market left out."""

    format: str
    games: list[HistoricalGame]
    skipped: list[tuple[int, str]]


def historical_game_id(sport: Sport, local_date: date, home: str, away: str, *, game_number: int = 1) -> str:
    """32 lowercase hex characters from sha256(sport|date|home|away), on canonical team names.

    ``game_number`` tells apart the games of an MLB doubleheader (same day, same teams): the
    first game keeps the plain four-part id, game n > 1 hashes ``|n`` on the end.
    """
    if game_number < 1:
        raise InvalidInput(f"game_number must be >= 1, got {game_number}")
    return _game_id(sport, local_date, canonical_team(sport, home), canonical_team(sport, away), game_number)


def _game_id(sport: Sport, local_date: date, home: str, away: str, game_number: int) -> str:
    key = f"{sport.value}|{local_date.isoformat()}|{home}|{away}"
    if game_number != 1:
        key = f"{key}|{game_number}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def start_at(local_date: date, kickoff: time | None = None, zone: tzinfo | None = None) -> datetime:
    """The start in UTC: ``kickoff`` in ``zone`` when the source has a time, else 23:00 UTC that day."""
    if kickoff is None or zone is None:
        return datetime.combine(local_date, DEFAULT_START_UTC, tzinfo=UTC)
    return datetime.combine(local_date, kickoff, tzinfo=zone).astimezone(UTC)


def make_game(
    sport: Sport,
    local_date: date,
    home: str,
    away: str,
    start: datetime,
    *,
    game_number: int = 1,
    line: int | None = None,
) -> GameInfo:
    """A GameInfo with canonical names and the shared historical id.

    An unknown team raises InvalidInput naming it (and the file's ``line`` when given).
    """
    try:
        home_name = canonical_team(sport, home)
        away_name = canonical_team(sport, away)
    except InvalidInput as exc:
        if line is None:
            raise
        raise InvalidInput(f"{exc} at line {line}") from exc
    return GameInfo(
        id=_game_id(sport, local_date, home_name, away_name, game_number),
        sport=sport,
        commence_time=start,
        home_team=home_name,
        away_team=away_name,
    )


# --- bulk building ----------------------------------------------------------------------------

_P = ParamSpec("_P")
_R = TypeVar("_R")


def pauses_cyclic_gc(parse: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``parse`` with Python's cyclic garbage collector paused, then restore it.

    An import builds hundreds of thousands of small objects (quotes, games) and no reference
    cycles. Each full collection the allocations trigger walks every object built so far, which
    costs about a third of the import time, and can free nothing. Reference counting still frees
    everything as usual; the collector is only paused, and only if it was running.
    """

    @functools.wraps(parse)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return parse(*args, **kwargs)
        finally:
            if was_enabled:
                gc.enable()

    return paused


# --- cell parsing -----------------------------------------------------------------------------


class BadValue(Exception):
    """A cell that is present but cannot be what its column says (caught inside the importers)."""


# Distinct American prices in a file number in the hundreds, so each is converted once.
_AMERICAN_CACHE: dict[str, float] = {}


def parse_american(text: str) -> float | None:
    """Decimal odds from an American price cell; None when absent, BadValue when corrupt."""
    cached = _AMERICAN_CACHE.get(text)
    if cached is not None:
        return cached
    cell = text.strip()
    if cell in _ABSENT:
        return None
    try:
        american = float(cell)
    except ValueError:
        raise BadValue(f"American price {text!r} is not a number") from None
    if not math.isfinite(american) or abs(american) < 100.0:
        raise BadValue(f"American price {text!r} is impossible (must be <= -100 or >= +100)")
    decimal = american_to_decimal(american)
    _AMERICAN_CACHE[text] = decimal
    return decimal


def parse_decimal(text: str) -> float | None:
    """Decimal odds from a cell; None when absent, BadValue when corrupt or not above 1."""
    cell = text.strip()
    if cell in _ABSENT:
        return None
    try:
        price = float(cell)
    except ValueError:
        raise BadValue(f"decimal price {text!r} is not a number") from None
    if not math.isfinite(price) or price <= 1.0:
        raise BadValue(f"decimal price {text!r} is impossible (must be > 1)")
    return price


def parse_number(text: str) -> float | None:
    """A line (spread, total, handicap) from a cell: ``pk`` is 0; None when absent."""
    cell = text.strip()
    if cell in _ABSENT:
        return None
    if cell in _PICK_EM:
        return 0.0
    try:
        value = float(cell)
    except ValueError:
        raise BadValue(f"line {text!r} is not a number") from None
    if not math.isfinite(value):
        raise BadValue(f"line {text!r} is not finite")
    return value


def parse_score(text: str) -> int | None:
    """A final score cell; None when absent, BadValue when it is not a whole number >= 0."""
    cell = text.strip()
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        raise BadValue(f"score {text!r} is not a number") from None
    if not value.is_integer() or value < 0:
        raise BadValue(f"score {text!r} is not a whole number >= 0")
    return int(value)


# --- assembling one game ----------------------------------------------------------------------

# Enum members looked up once: attribute access on an Enum class costs ~10x a global in 3.11.
_SPREADS: Final = Market.SPREADS
_TOTALS: Final = Market.TOTALS

# One side of a market: the side, its decimal price (None = absent), its point (None for h2h).
Leg = tuple[Side, float | None, float | None]


class GameRecorder:
    """Collects one game's quotes market by market, dropping (and recording) the impossible ones."""

    __slots__ = ("_closing", "_opening", "_quotes", "_row", "_skipped", "game")

    def __init__(self, game: GameInfo, row: int, skipped: list[tuple[int, str]]) -> None:
        self.game = game
        self._row = row
        self._skipped = skipped
        self._quotes: list[OddsQuote] = []
        self._opening = game.commence_time - OPENING_LEAD
        self._closing = game.commence_time - CLOSING_LEAD

    def skip(self, reason: str) -> None:
        self._skipped.append((self._row, reason))

    def add(self, book: str, market: Market, closing: bool, legs: Sequence[Leg]) -> None:
        """Add one book's market at the opening or closing snapshot if it is complete and sane.

        ``legs`` come home/away(/draw) for h2h and spreads, over/under for totals.
        """
        # The hot loop of every import: one pass over the legs, messages built only on failure.
        booksum = 0.0
        missing = 0
        for leg in legs:
            price = leg[1]
            if price is None:
                missing += 1
            else:
                booksum += 1.0 / price
        if missing:
            if missing < len(legs):
                self._reject(book, market, closing, f"only {len(legs) - missing} of {len(legs)} prices")
            return
        if market is _SPREADS:
            home_point, away_point = legs[0][2], legs[1][2]
            if home_point is None or away_point is None or home_point + away_point != 0.0:
                self._reject(
                    book, market, closing, f"handicaps {home_point}, {away_point} do not mirror each other"
                )
                return
        elif market is _TOTALS:
            over_point, under_point = legs[0][2], legs[1][2]
            if over_point is None or over_point != under_point or over_point <= 0.0:
                self._reject(
                    book, market, closing, f"totals {over_point}, {under_point} are not one positive line"
                )
                return
        margin = booksum - 1.0
        if not MIN_OVERROUND <= margin <= MAX_OVERROUND:
            shown = ", ".join(f"{leg[1]:.3f}" for leg in legs)
            bounds = f"[{MIN_OVERROUND:+.0%}, {MAX_OVERROUND:+.0%}]"
            self._reject(book, market, closing, f"overround {margin:+.1%} outside {bounds} ({shown})")
            return
        seen_at = self._closing if closing else self._opening
        game = self.game
        append = self._quotes.append
        for side, price, point in legs:
            append(OddsQuote(game, book, market, side, price, seen_at, point))  # type: ignore[arg-type]  # no None left

    def _reject(self, book: str, market: Market, closing: bool, reason: str) -> None:
        self.skip(f"{book} {market} {'close' if closing else 'open'}: {reason}")

    def finish(
        self, home_score: int | None, away_score: int | None, *, source: str, season: str | None
    ) -> HistoricalGame:
        score = None
        if home_score is not None and away_score is not None:
            score = FinalScore(self.game, home_score, away_score, self.game.commence_time + RESULT_DELAY)
        return HistoricalGame(self.game, tuple(self._quotes), score, source, season)


def two_year_season(start_year: int) -> str:
    """``2014-15`` for a season that starts in 2014 (NBA, NHL, EPL)."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def require_columns(header: Sequence[str], needed: Sequence[str], fmt: str) -> dict[str, int]:
    """Column name → index; a missing required column raises InvalidInput naming it."""
    index: dict[str, int] = {}
    for position, name in enumerate(header):
        index.setdefault(name.strip(), position)
    missing = [name for name in needed if name not in index]
    if missing:
        raise InvalidInput(
            f"{fmt} file lacks column(s) {', '.join(missing)}; header starts {list(header[:8])}"
        )
    return index
