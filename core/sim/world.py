"""``SimWorld``: the simulated five-league sportsbook, queried as of a moment.

    world = SimWorld(seed=7)
    world.events(Sport.NBA, as_of)                   # announced games, upcoming or in play
    world.odds(Sport.NBA, as_of, markets=(Market.H2H, Market.SPREADS, Market.TOTALS))
    world.scores(Sport.NBA, as_of, days_from=3)      # finals only once over; live games partial
    world.injuries(Sport.NBA, as_of)                 # the injury report as published by as_of
    world.truth(game_id)                             # for tests: true probabilities and result

A league-season is generated the first time a query touches it and is cached, so a month of
collection across five leagues generates at most ten league-seasons (about a second) and then
only reads arrays. Every answer depends only on the seed and ``as_of``: prices are those in
force at the hourly grid point at or before ``as_of``, scores exist once a game has ended,
reports once published, and postseason games once both teams are known. The records it answers
with are in ``core.sim.records``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Final

import numpy as np
import numpy.typing as npt

from core.clock import ensure_utc
from core.errors import InvalidInput, NotFound
from core.sim.calendar import calendar_for, seasons_between
from core.sim.injuries import DAY_S, ReportStatus
from core.sim.market import BOOKS
from core.sim.names import INJURY_TYPES
from core.sim.quoting import book_views, grid_index, market_quotes
from core.sim.records import (
    GameTruth,
    PriceSlate,
    SimEvent,
    SimInjury,
    SimOdds,
    SimScore,
    SportStatus,
)
from core.sim.season import LeagueSeason, build_season
from core.sports import Market, Sport

__all__ = ["EVENTS_HORIZON", "SCORES_UPCOMING_HORIZON", "SimWorld", "season_of"]

IntArray = npt.NDArray[np.int64]

EVENTS_HORIZON: Final = timedelta(days=14)  # /events and /odds look this far ahead at most
SCORES_UPCOMING_HORIZON: Final = timedelta(days=2)  # /scores also lists games starting this soon
_ACTIVE_BEFORE_OPENER: Final = timedelta(days=14)
_LIVE_SCORE_REFRESH_S: Final = 30


def _utc(epoch_s: float) -> datetime:
    return datetime.fromtimestamp(epoch_s, UTC)


def _as_of(moment: datetime) -> float:
    if moment.tzinfo is None:
        raise InvalidInput(f"as_of must be timezone-aware, got {moment!r}")
    return ensure_utc(moment).timestamp()


class SimWorld:
    """The simulated sportsbook for one seed; see the module docstring."""

    def __init__(self, seed: int) -> None:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise InvalidInput(f"seed must be a non-negative integer, got {seed!r}")
        self.seed = seed
        self._seasons: dict[tuple[Sport, int], LeagueSeason] = {}
        self._by_id: dict[str, tuple[LeagueSeason, int]] = {}

    def __repr__(self) -> str:
        return f"SimWorld(seed={self.seed}, seasons cached={len(self._seasons)})"

    # --- seasons ---------------------------------------------------------------------------

    def season(self, sport: Sport, season: int) -> LeagueSeason:
        """One league-season, generated on first use and cached."""
        key = (sport, season)
        found = self._seasons.get(key)
        if found is None:
            found = build_season(self.seed, sport, season)
            self._seasons[key] = found
            self._by_id.update({game: (found, i) for i, game in enumerate(found.ids)})
        return found

    def _seasons_between(self, sport: Sport, first_s: float, last_s: float) -> list[LeagueSeason]:
        first, last = _utc(first_s).date(), _utc(last_s).date()
        return [self.season(sport, year) for year in seasons_between(sport, first, last)]

    def _event(self, league: LeagueSeason, i: int) -> SimEvent:
        return SimEvent(
            id=league.ids[i],
            sport=league.sport,
            commence_time=_utc(int(league.commence[i])),
            home_team=league.teams[int(league.home[i])],
            away_team=league.teams[int(league.away[i])],
        )

    # --- queries -------------------------------------------------------------------------------

    def sports(self, as_of: datetime) -> list[SportStatus]:
        """Every league with whether it is in season at ``as_of`` (from two weeks before its opener
        to the end of its last game)."""
        moment = _as_of(as_of)
        out = []
        for sport in Sport:
            active = False
            for league in self._seasons_between(sport, moment - 30 * DAY_S, moment + 30 * DAY_S):
                opener = league.commence[0] - _ACTIVE_BEFORE_OPENER.total_seconds()
                active = active or opener <= moment < league.end.max()
            out.append(SportStatus(sport, bool(active)))
        return out

    def events(
        self,
        sport: Sport,
        as_of: datetime,
        *,
        commence_from: datetime | None = None,
        commence_to: datetime | None = None,
    ) -> list[SimEvent]:
        """Announced games in play or starting within ``EVENTS_HORIZON``, by start time."""
        return [
            self._event(league, i) for league, i in self._upcoming(sport, as_of, commence_from, commence_to)
        ]

    def _upcoming(
        self,
        sport: Sport,
        as_of: datetime,
        commence_from: datetime | None,
        commence_to: datetime | None,
    ) -> list[tuple[LeagueSeason, int]]:
        moment = _as_of(as_of)
        first = moment - DAY_S  # no game lasts a day: this window holds every game still in play
        last = moment + EVENTS_HORIZON.total_seconds()
        if commence_from is not None:
            first = max(first, _as_of(commence_from))
        if commence_to is not None:
            last = min(last, _as_of(commence_to) + 1)
        out: list[tuple[LeagueSeason, int]] = []
        for league in self._seasons_between(sport, first, last):
            games = league.starting_between(first, last)
            keep = (league.announced[games] <= moment) & (league.end[games] > moment)
            out.extend((league, int(i)) for i in games[keep])
        return out

    def odds(
        self,
        sport: Sport,
        as_of: datetime,
        *,
        markets: Sequence[Market] = (Market.H2H,),
        bookmakers: Iterable[str] | None = None,
        commence_from: datetime | None = None,
        commence_to: datetime | None = None,
    ) -> list[SimOdds]:
        """Each book's prices at ``as_of`` for games not yet started whose lines are open."""
        out: list[SimOdds] = []
        for slate in self.price_slates(
            sport,
            as_of,
            markets=markets,
            bookmakers=bookmakers,
            commence_from=commence_from,
            commence_to=commence_to,
        ):
            out.extend(slate.to_odds())
        return out

    def price_slates(
        self,
        sport: Sport,
        as_of: datetime,
        *,
        markets: Sequence[Market] = (Market.H2H,),
        bookmakers: Iterable[str] | None = None,
        commence_from: datetime | None = None,
        commence_to: datetime | None = None,
    ) -> list[PriceSlate]:
        """``odds`` as plain nested lists, one slate per league-season: the fast path for serving."""
        moment = _as_of(as_of)
        wanted = set(bookmakers) if bookmakers is not None else None
        book_index = tuple(i for i, b in enumerate(BOOKS) if wanted is None or b.key in wanted)
        market_list = tuple(dict.fromkeys(Market(m) for m in markets))
        slates: list[PriceSlate] = []
        for league, games in self._priced(sport, moment, commence_from, commence_to):
            events = tuple(self._event(league, int(i)) for i in games)
            if not book_index:
                slates.append(PriceSlate(events, (), (), [[] for _ in events], market_list, [], [], []))
                continue
            k = grid_index(league, games, moment)
            views = book_views(league, games, k, book_index)
            quoted = market_quotes(league, views, market_list)
            slates.append(
                PriceSlate(
                    events=events,
                    book_keys=tuple(b.key for b in views.books),
                    book_titles=tuple(b.title for b in views.books),
                    quoted_at=views.quoted_at.tolist(),
                    markets=market_list,
                    decimal=[q.decimal.tolist() for q in quoted],
                    american=[q.american.tolist() for q in quoted],
                    points=[q.point.tolist() if q.point is not None else None for q in quoted],
                )
            )
        return slates

    def _priced(
        self, sport: Sport, moment: float, commence_from: datetime | None, commence_to: datetime | None
    ) -> list[tuple[LeagueSeason, IntArray]]:
        first = moment
        last = moment + EVENTS_HORIZON.total_seconds()
        if commence_from is not None:
            first = max(first, _as_of(commence_from))
        if commence_to is not None:
            last = min(last, _as_of(commence_to) + 1)
        found = []
        for league in self._seasons_between(sport, first, last):
            games = league.starting_between(first, last)
            games = games[league.commence[games] > moment]
            k = grid_index(league, games, moment)
            open_now = (k >= league.market.k_open[games]) & (league.announced[games] <= moment)
            if open_now.any():
                found.append((league, games[open_now]))
        return found

    def scores(self, sport: Sport, as_of: datetime, days_from: int | None = None) -> list[SimScore]:
        """Live games, games starting within ``SCORES_UPCOMING_HORIZON`` and, with ``days_from``
        (1-3), games started in the last ``days_from`` days, completed or not."""
        if days_from is not None and (isinstance(days_from, bool) or not 1 <= days_from <= 3):
            raise InvalidInput(f"days_from must be 1, 2 or 3 (or None), got {days_from!r}")
        moment = _as_of(as_of)
        first = moment - (days_from if days_from is not None else 1) * DAY_S
        last = moment + SCORES_UPCOMING_HORIZON.total_seconds()
        out: list[SimScore] = []
        for league in self._seasons_between(sport, first, last):
            games = league.starting_between(first, last)
            games = games[league.announced[games] <= moment]
            for i in games.tolist():
                start, end = int(league.commence[i]), int(league.end[i])
                event = self._event(league, i)
                if days_from is None and end <= moment:
                    continue  # without daysFrom only live and upcoming games come back
                if moment < start:
                    out.append(SimScore(event, False, None, None, None))
                elif moment < end:
                    share = (moment - start) / (end - start)
                    home = int(league.home_score[i] * share)
                    away = int(league.away_score[i] * share)
                    stamp = _utc(int(moment) - int(moment) % _LIVE_SCORE_REFRESH_S)
                    out.append(SimScore(event, False, home, away, stamp))
                else:
                    home, away = int(league.home_score[i]), int(league.away_score[i])
                    out.append(SimScore(event, True, home, away, _utc(end)))
        return out

    def injuries(self, sport: Sport, as_of: datetime) -> list[SimInjury]:
        """The league's injury report at ``as_of``: published entries of players not yet back."""
        moment = _as_of(as_of)
        out: list[SimInjury] = []
        for league in self._seasons_between(sport, moment, moment):
            if not league.calendar.activity_start <= _utc(moment).date() <= league.calendar.end:
                continue
            log, roster, spec = league.injuries, league.roster, league.spec
            listed = log.listed_at(moment)
            statuses, changed = log.status_at(listed, moment)
            for j, status, stamp in zip(listed.tolist(), statuses, changed.tolist(), strict=True):
                player = int(log.player[j])
                team_index = int(log.team[j])
                word = spec.injuries.day_to_day_word if status is ReportStatus.DAY_TO_DAY else status.value
                part, location = INJURY_TYPES[int(log.kind[j])]
                expected = _utc(float(log.expected_return[j])).date()
                first, last = roster.first_name[player], roster.last_name[player]
                abbreviation, position = roster.position[player]
                out.append(
                    SimInjury(
                        sport=sport,
                        team=league.teams[team_index],
                        team_index=team_index,
                        injury_id=-(j + 1 + 100_000 * (league.season % 100)),
                        athlete_id=int(roster.athlete_id[player]),
                        first_name=first,
                        last_name=last,
                        position_abbreviation=abbreviation,
                        position_name=position,
                        status=word,
                        updated_at=_utc(stamp),
                        reported_at=_utc(float(log.reported_at[j])),
                        expected_return=expected,
                        body_part=part,
                        location=location,
                        detail=log.detail[j],
                        side=log.side[j],
                        short_comment=_short_comment(last, part, word, expected),
                        long_comment=_long_comment(
                            first,
                            last,
                            part,
                            log.detail[j],
                            log.side[j],
                            _utc(float(log.hurt_at[j])).date(),
                            expected,
                        ),
                    )
                )
        out.sort(key=lambda entry: (entry.team, entry.updated_at))
        return out

    def truth(self, game_id: str) -> GameTruth:
        """The simulated truth of a game in a generated season (any query touching it generates it)."""
        found = self._by_id.get(game_id)
        if found is None:
            raise NotFound(
                f"no simulated game {game_id!r} in the seasons generated so far (seed {self.seed})"
            )
        league, i = found
        p_home, p_draw = float(league.p_home[i]), float(league.p_draw[i])
        return GameTruth(
            game_id=game_id,
            sport=league.sport,
            season=league.season,
            commence_time=_utc(int(league.commence[i])),
            end_time=_utc(int(league.end[i])),
            home_team=league.teams[int(league.home[i])],
            away_team=league.teams[int(league.away[i])],
            p_home=p_home,
            p_draw=p_draw,
            p_away=max(0.0, 1.0 - p_home - p_draw),
            side_latent=float(league.side_true[i]),
            total_latent=float(league.total_true[i]),
            home_score=int(league.home_score[i]),
            away_score=int(league.away_score[i]),
            overtime=bool(league.overtime[i]),
            postseason_round=int(league.stage[i]),
        )

    def season_games(self, sport: Sport, season: int) -> list[SimEvent]:
        """Every game of a league-season (for replays and tests; includes games not yet announced)."""
        league = self.season(sport, season)
        return [self._event(league, i) for i in range(len(league))]


def _month_day(day: date) -> str:
    return f"{day.strftime('%B')} {day.day}"


def _short_comment(last: str, part: str, status: str, expected: date) -> str:
    injury = part.lower()
    if status == ReportStatus.OUT:
        return f"{last} ({injury}) has been ruled out and is expected back around {_month_day(expected)}."
    if status == ReportStatus.DAY_TO_DAY:
        return f"{last} ({injury}) is considered day-to-day."
    return f"{last} ({injury}) is {status.lower()} for his team's next game."


def _long_comment(
    first: str, last: str, part: str, detail: str, side: str, hurt: date, expected: date
) -> str:
    if part == "Illness":
        what = f"{first} {last} fell ill on {_month_day(hurt)}."
    elif part == detail:
        what = f"{first} {last} entered the {part.lower()} protocol on {_month_day(hurt)}."
    else:
        where = "" if side == "Not Specified" else f"{side.lower()} "
        injury = f"{where}{part.lower()} {detail.lower()}"
        what = f"{first} {last} was diagnosed with a {injury} on {_month_day(hurt)}."
    return (
        f"{what} The team's estimate has him returning around {_month_day(expected)}, though that could "
        f"change as he progresses."
    )


def season_of(sport: Sport, day: date) -> int | None:
    """The season whose modelled span contains ``day``, if any."""
    for season in seasons_between(sport, day, day):
        calendar = calendar_for(sport, season)
        if calendar.activity_start <= day <= calendar.end:
            return season
    return None
