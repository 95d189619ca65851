"""Real league calendars for the simulated sportsbook, and local kick-off times in UTC.

A season is named by the year it starts (NBA 2025 is 2025-26). The dates follow each league's
own rules closely enough that a simulated week looks like the real one:

    NBA  regular season: the Tuesday on/after 21 Oct → the Sunday on/after 12 Apr (82 games a
         team, no games on Thanksgiving or Christmas Eve, an All-Star break around the third
         Sunday of February); playoffs from the Saturday after (16 teams, four best-of-7
         rounds), over by mid-to-late June.
    NFL  the Thursday after Labor Day (first Monday of September) → week 18, 17 games a team
         on Thursday/Sunday/Monday with one bye between weeks 5 and 14; playoffs from the
         following Saturday (wild card, divisional, conference), Super Bowl on the second
         Sunday of February.
    MLB  the last Thursday of March → the last Sunday of September, near-daily three-game
         series (162 games a team), All-Star break of four days from the Monday on/after 13
         July; postseason (12 teams) from the Tuesday after, over by the start of November.
    NHL  the Tuesday on/after 7 October → the Thursday on/after 16 April (82 games a team, no
         games 24-26 December, an All-Star break in early February); playoffs from the
         Saturday after, four best-of-7 rounds, over by mid-to-late June.
    EPL  the Friday on/after 15 August → the Sunday on/after 19 May: 38 rounds, mostly
         weekends (Saturday 12:30/15:00/17:30, Sunday 14:00/16:30 UK time, the odd Friday or
         Monday night), a few midweek rounds, no league games on international-break weekends
         or the FA Cup third-round weekend; all ten last-day games kick off together.

Out of season a league has no games. Times are chosen in the league's local time (US Eastern
or UK) and converted to UTC with each country's daylight-saving rules, so a 19:30 ET tip-off is
23:30Z in October and 00:30Z (next day) in January.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Final, Literal

from core.errors import InvalidInput
from core.sports import Sport

__all__ = [
    "FIRST_SEASON",
    "LAST_SEASON",
    "SeasonCalendar",
    "calendar_for",
    "last_weekday",
    "local_to_utc",
    "nth_weekday",
    "season_label",
    "seasons_between",
    "weekday_on_or_after",
]

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
Zone = Literal["ET", "UK"]

# Injuries start this many days before the first game, so opening night has a realistic list.
PRESEASON_DAYS: Final = 21


def weekday_on_or_after(day: date, weekday: int) -> date:
    """The first ``weekday`` (0 = Monday) on or after ``day``."""
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th (1-based) ``weekday`` of a month."""
    return weekday_on_or_after(date(year, month, 1), weekday) + timedelta(weeks=n - 1)


def last_weekday(year: int, month: int, weekday: int) -> date:
    """The last ``weekday`` of a month."""
    first_next = date(year + month // 12, month % 12 + 1, 1)
    last_day = first_next - timedelta(days=1)
    return last_day - timedelta(days=(last_day.weekday() - weekday) % 7)


def _utc_offset_hours(day: date, zone: Zone) -> int:
    """Hours to add to UTC to get local time on ``day`` (DST switches treated as whole days)."""
    if zone == "ET":
        # US: second Sunday of March to first Sunday of November.
        dst = nth_weekday(day.year, 3, SUN, 2) <= day < nth_weekday(day.year, 11, SUN, 1)
        return -4 if dst else -5
    # UK: last Sunday of March to last Sunday of October.
    dst = last_weekday(day.year, 3, SUN) <= day < last_weekday(day.year, 10, SUN)
    return 1 if dst else 0


def local_to_utc(day: date, hour: int, minute: int, zone: Zone) -> datetime:
    """A local wall-clock time on ``day`` in US Eastern or UK time, as an aware UTC datetime."""
    local = datetime.combine(day, time(hour, minute), tzinfo=UTC)
    return local - timedelta(hours=_utc_offset_hours(day, zone))


@dataclass(frozen=True, slots=True)
class SeasonCalendar:
    """The dates of one league-season; ``end`` bounds the postseason (the real last game is earlier)."""

    sport: Sport
    season: int
    regular_start: date
    regular_end: date
    postseason_start: date | None
    end: date
    breaks: tuple[tuple[date, date], ...]

    def __post_init__(self) -> None:
        if not self.regular_start <= self.regular_end <= self.end:
            raise InvalidInput(f"calendar dates out of order for {self.sport} {self.season}")

    @property
    def label(self) -> str:
        """``2025-26`` for winter leagues, ``2025`` for MLB and the NFL (which name it that way)."""
        return season_label(self.sport, self.season)

    @property
    def activity_start(self) -> date:
        """First day the simulation models (pre-season injuries begin here)."""
        return self.regular_start - timedelta(days=PRESEASON_DAYS)

    def is_break(self, day: date) -> bool:
        return any(first <= day <= last for first, last in self.breaks)

    def regular_days(self) -> list[date]:
        """Every regular-season day that is not a break day."""
        days = (self.regular_end - self.regular_start).days + 1
        all_days = (self.regular_start + timedelta(days=i) for i in range(days))
        return [d for d in all_days if not self.is_break(d)]


def season_label(sport: Sport, season: int) -> str:
    if sport in (Sport.MLB, Sport.NFL):
        return str(season)
    return f"{season}-{(season + 1) % 100:02d}"


def _nba(season: int) -> SeasonCalendar:
    regular_end = weekday_on_or_after(date(season + 1, 4, 12), SUN)
    all_star = nth_weekday(season + 1, 2, SUN, 3)
    thanksgiving = nth_weekday(season, 11, THU, 4)
    return SeasonCalendar(
        sport=Sport.NBA,
        season=season,
        regular_start=weekday_on_or_after(date(season, 10, 21), TUE),
        regular_end=regular_end,
        postseason_start=regular_end + timedelta(days=6),
        end=date(season + 1, 6, 30),
        breaks=(
            (thanksgiving, thanksgiving),
            (date(season, 12, 24), date(season, 12, 24)),
            (all_star - timedelta(days=2), all_star + timedelta(days=3)),
        ),
    )


def _nhl(season: int) -> SeasonCalendar:
    regular_end = weekday_on_or_after(date(season + 1, 4, 16), THU)
    all_star = nth_weekday(season + 1, 2, FRI, 1)
    return SeasonCalendar(
        sport=Sport.NHL,
        season=season,
        regular_start=weekday_on_or_after(date(season, 10, 7), TUE),
        regular_end=regular_end,
        postseason_start=regular_end + timedelta(days=2),
        end=date(season + 1, 6, 30),
        breaks=(
            (date(season, 12, 24), date(season, 12, 26)),
            (all_star, all_star + timedelta(days=4)),
        ),
    )


def _nfl(season: int) -> SeasonCalendar:
    kickoff = nth_weekday(season, 9, MON, 1) + timedelta(days=3)  # Thursday after Labor Day
    week18_sunday = kickoff + timedelta(days=3 + 7 * 17)
    return SeasonCalendar(
        sport=Sport.NFL,
        season=season,
        regular_start=kickoff,
        regular_end=week18_sunday,
        postseason_start=week18_sunday + timedelta(days=6),
        end=nth_weekday(season + 1, 2, SUN, 2),  # the Super Bowl
        breaks=(),
    )


def _mlb(season: int) -> SeasonCalendar:
    regular_end = last_weekday(season, 9, SUN)
    all_star = weekday_on_or_after(date(season, 7, 13), MON)
    return SeasonCalendar(
        sport=Sport.MLB,
        season=season,
        regular_start=last_weekday(season, 3, THU),
        regular_end=regular_end,
        postseason_start=regular_end + timedelta(days=2),
        end=date(season, 11, 5),
        breaks=((all_star, all_star + timedelta(days=3)),),
    )


def _epl(season: int) -> SeasonCalendar:
    return SeasonCalendar(
        sport=Sport.EPL,
        season=season,
        regular_start=weekday_on_or_after(date(season, 8, 15), FRI),
        regular_end=weekday_on_or_after(date(season + 1, 5, 19), SUN),
        postseason_start=None,
        end=weekday_on_or_after(date(season + 1, 5, 19), SUN),
        breaks=(),  # the EPL's gaps are whole rounds, chosen in core.sim.schedule
    )


_BUILDERS = {Sport.NBA: _nba, Sport.NHL: _nhl, Sport.NFL: _nfl, Sport.MLB: _mlb, Sport.EPL: _epl}
# The simulation needs a Gregorian year with both neighbours representable; a generous range.
FIRST_SEASON, LAST_SEASON = 1990, 2100


def calendar_for(sport: Sport, season: int) -> SeasonCalendar:
    """The calendar of ``sport``'s season that starts in ``season``."""
    if not FIRST_SEASON <= season <= LAST_SEASON:
        raise InvalidInput(f"season must be between {FIRST_SEASON} and {LAST_SEASON}, got {season}")
    return _BUILDERS[sport](season)


def seasons_between(sport: Sport, first: date, last: date) -> list[int]:
    """Seasons whose modelled span (pre-season injuries to the last possible game) meets [first, last]."""
    found: list[int] = []
    for season in range(max(first.year - 1, FIRST_SEASON), min(last.year, LAST_SEASON) + 1):
        calendar = calendar_for(sport, season)
        if calendar.activity_start <= last and calendar.end >= first:
            found.append(season)
    return found
