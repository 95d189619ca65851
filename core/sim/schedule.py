"""Regular-season fixtures: who plays whom, at home or away, and when (UTC epoch seconds).

    NBA, NHL  a day-by-day scheduler: each day picks the teams furthest behind their pace of
              82 games, playing twice in a row only reluctantly (about 15 back-to-backs a team
              for the NBA, as in the real league) and never three days running.
    MLB       three-game series in three-day blocks; each team sits out a few blocks, which are
              its off-days; 162 games a team (54 series).
    NFL       18 weeks, one bye per team between weeks 5 and 14, 17 games a team: one Thursday
              night game (three on Thanksgiving), Sunday at 13:00, 16:05/16:25 and 20:20 ET, one
              Monday night game; week 18 has two Saturday games.
    EPL       a double round robin (circle method, second half mirrored) in 38 rounds on
              weekends outside the international breaks, plus midweek rounds when the
              calendar needs them; the last round kicks off all at once on a Sunday.

Opponents are drawn at random (no divisions), homes are balanced as the schedule is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

import numpy as np
import numpy.typing as npt

from core.sim.calendar import (
    SAT,
    SUN,
    THU,
    TUE,
    SeasonCalendar,
    Zone,
    last_weekday,
    local_to_utc,
    nth_weekday,
    weekday_on_or_after,
)
from core.sports import Sport

__all__ = ["Fixtures", "regular_season"]

IntArray = npt.NDArray[np.int64]
Slot = tuple[int, int]  # local (hour, minute)


@dataclass(frozen=True, slots=True)
class Fixtures:
    """Games in start order: UTC start (epoch seconds) and team indices."""

    commence: IntArray
    home: IntArray
    away: IntArray

    def __len__(self) -> int:
        return len(self.commence)


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _fixtures(rows: list[tuple[int, int, int]]) -> Fixtures:
    rows.sort()
    table = np.array(rows, dtype=np.int64).reshape(-1, 3)
    return Fixtures(commence=table[:, 0].copy(), home=table[:, 1].copy(), away=table[:, 2].copy())


def _pick_slot(rng: np.random.Generator, slots: Sequence[Slot], weights: Sequence[float]) -> Slot:
    probabilities = np.asarray(weights, dtype=np.float64)
    return slots[int(rng.choice(len(slots), p=probabilities / probabilities.sum()))]


def _pair(rng: np.random.Generator, chosen: IntArray, home_games: IntArray) -> list[tuple[int, int]]:
    """Random pairs from ``chosen``; the team with fewer home games so far hosts."""
    order = rng.permutation(chosen)
    pairs: list[tuple[int, int]] = []
    for a, b in zip(order[0::2].tolist(), order[1::2].tolist(), strict=True):
        if home_games[a] > home_games[b] or (home_games[a] == home_games[b] and rng.random() < 0.5):
            a, b = b, a
        home_games[a] += 1
        pairs.append((a, b))
    return pairs


# --- NBA and NHL ---------------------------------------------------------------------------------

# Relative number of games by weekday (Monday first): the NBA and NHL load Wednesdays, Fridays
# and Saturdays and go light on Thursdays and Sundays.
_DAILY_WEEKDAY_LOAD: Final = (0.9, 1.15, 1.05, 0.85, 1.1, 1.15, 0.8)
_EVENING: Final[tuple[Slot, ...]] = ((19, 0), (19, 30), (20, 0), (21, 0), (22, 0), (22, 30))
_EVENING_WEIGHTS: Final = (0.3, 0.25, 0.15, 0.12, 0.1, 0.08)
_MATINEE: Final[tuple[Slot, ...]] = ((13, 0), (15, 30), (17, 0))
# How much less likely a team that played yesterday is to be picked today: tuned so a team has
# about 14 back-to-backs in the NBA and 13 in the NHL, as in recent real seasons.
_BACK_TO_BACK_WEIGHT: Final = {Sport.NBA: 0.6, Sport.NHL: 0.68}


def _daily(
    rng: np.random.Generator,
    calendar: SeasonCalendar,
    n_teams: int,
    games_per_team: int,
    zone: Zone,
    back_to_back_weight: float,
) -> Fixtures:
    days = calendar.regular_days()
    load = np.array([_DAILY_WEEKDAY_LOAD[d.weekday()] for d in days])
    load_left = np.cumsum(load[::-1])[::-1]  # load of today and every later day
    remaining = np.full(n_teams, games_per_team, dtype=np.int64)
    home_games = np.zeros(n_teams, dtype=np.int64)
    yesterday = np.zeros(n_teams, dtype=np.bool_)
    two_days_ago = np.zeros(n_teams, dtype=np.bool_)
    rows: list[tuple[int, int, int]] = []
    for i, day in enumerate(days):
        slots_today = remaining.sum() * load[i] / load_left[i]
        n_games = int(slots_today // 2)
        if rng.random() < slots_today / 2 - n_games:
            n_games += 1
        eligible = (remaining > 0) & ~(yesterday & two_days_ago)
        pace = remaining / load_left[i]
        # A back-to-back is allowed but disfavoured, which leaves the real leagues' 12-15 a team.
        score = (
            pace * np.exp(0.3 * rng.standard_normal(n_teams)) * np.where(yesterday, back_to_back_weight, 1.0)
        )
        score[~eligible] = -1.0
        order = np.argsort(-score, kind="stable")
        chosen = order[: 2 * n_games]
        chosen = chosen[score[chosen] > 0]
        chosen = chosen[: len(chosen) - len(chosen) % 2]
        played = np.zeros(n_teams, dtype=np.bool_)
        weekend = day.weekday() in (SAT, SUN)
        for home, away in _pair(rng, chosen, home_games):
            if weekend and rng.random() < 0.2:
                hour, minute = _MATINEE[int(rng.integers(len(_MATINEE)))]
            else:
                hour, minute = _pick_slot(rng, _EVENING, _EVENING_WEIGHTS)
            rows.append((_epoch(local_to_utc(day, hour, minute, zone)), home, away))
            played[home] = played[away] = True
        remaining -= played
        two_days_ago, yesterday = yesterday, played
    # A team left a game short makes it up the day after, as postponed games are.
    leftovers = np.flatnonzero(remaining > 0).astype(np.int64)
    make_up_day = days[-1] + timedelta(days=1)
    for home, away in _pair(rng, leftovers[: len(leftovers) - len(leftovers) % 2], home_games):
        rows.append((_epoch(local_to_utc(make_up_day, 20, 0, zone)), home, away))
    return _fixtures(rows)


# --- MLB -----------------------------------------------------------------------------------------

_MLB_NIGHT: Final[tuple[Slot, ...]] = ((18, 40), (19, 5), (19, 10), (19, 40), (20, 10), (21, 40), (22, 10))
_MLB_NIGHT_WEIGHTS: Final = (0.2, 0.25, 0.15, 0.1, 0.12, 0.1, 0.08)
_MLB_DAY: Final[tuple[Slot, ...]] = ((13, 5), (13, 35), (16, 5))
_SERIES_LENGTH: Final = 3


def _mlb(rng: np.random.Generator, calendar: SeasonCalendar, n_teams: int, games_per_team: int) -> Fixtures:
    days = calendar.regular_days()
    blocks = [days[b : b + _SERIES_LENGTH] for b in range(0, len(days) - _SERIES_LENGTH + 1, _SERIES_LENGTH)]
    series_left = np.full(n_teams, games_per_team // _SERIES_LENGTH, dtype=np.int64)
    home_games = np.zeros(n_teams, dtype=np.int64)
    rows: list[tuple[int, int, int]] = []
    for b, block in enumerate(blocks):
        blocks_left = len(blocks) - b
        n_series = min(round(series_left.sum() / 2 / blocks_left), n_teams // 2)
        must_play = series_left >= blocks_left
        score = series_left / blocks_left * np.exp(0.3 * rng.standard_normal(n_teams)) + 10.0 * must_play
        score[series_left <= 0] = -1.0
        order = np.argsort(-score, kind="stable")
        chosen = order[: 2 * n_series]
        chosen = chosen[score[chosen] > 0]
        chosen = chosen[: len(chosen) - len(chosen) % 2]
        for home, away in _pair(rng, chosen, home_games):
            night = _pick_slot(rng, _MLB_NIGHT, _MLB_NIGHT_WEIGHTS)
            for day in block:
                hour, minute = night
                if day.weekday() == SUN or (day is block[-1] and rng.random() < 0.3):
                    hour, minute = _MLB_DAY[int(rng.integers(len(_MLB_DAY)))]  # Sundays and getaway days
                rows.append((_epoch(local_to_utc(day, hour, minute, "ET")), home, away))
            series_left[home] -= 1
            series_left[away] -= 1
    return _fixtures(rows)


# --- NFL -----------------------------------------------------------------------------------------

_NFL_WEEKS: Final = 18
_BYE_WEEKS: Final = tuple(range(5, 15))


def _nfl(rng: np.random.Generator, calendar: SeasonCalendar, n_teams: int) -> Fixtures:
    byes = rng.permutation(n_teams)
    bye_week = np.zeros(n_teams, dtype=np.int64)
    week_order = rng.permutation(len(_BYE_WEEKS))
    for p in range(n_teams // 2):
        week = _BYE_WEEKS[int(week_order[p % len(_BYE_WEEKS)])]
        bye_week[byes[2 * p]] = bye_week[byes[2 * p + 1]] = week
    home_games = np.zeros(n_teams, dtype=np.int64)
    thanksgiving = nth_weekday(calendar.season, 11, THU, 4)
    rows: list[tuple[int, int, int]] = []
    for week in range(1, _NFL_WEEKS + 1):
        thursday = calendar.regular_start + timedelta(weeks=week - 1)
        sunday = thursday + timedelta(days=3)
        playing = np.flatnonzero(bye_week != week).astype(np.int64)
        pairs = _pair(rng, playing, home_games)
        for (home, away), (day, (hour, minute)) in zip(
            pairs, _nfl_slots(rng, thursday, sunday, len(pairs), week, thanksgiving), strict=True
        ):
            rows.append((_epoch(local_to_utc(day, hour, minute, "ET")), home, away))
    return _fixtures(rows)


def _nfl_slots(
    rng: np.random.Generator, thursday: date, sunday: date, n_games: int, week: int, thanksgiving: date
) -> list[tuple[date, Slot]]:
    """Kick-off days and local times for one week's games."""
    slots: list[tuple[date, Slot]] = []
    if week == _NFL_WEEKS:  # the last week: two Saturday games, the rest on Sunday
        slots += [(sunday - timedelta(days=1), (16, 30)), (sunday - timedelta(days=1), (20, 0))]
        slots.append((sunday, (20, 20)))
    else:
        if thursday == thanksgiving:
            slots += [(thursday, (12, 30)), (thursday, (16, 30))]
        slots += [(thursday, (20, 15)), (sunday, (20, 20)), (sunday + timedelta(days=1), (20, 15))]
    n_late = min(4, n_games - len(slots))
    slots += [(sunday, (16, 5) if i < 2 else (16, 25)) for i in range(max(n_late, 0))]
    slots += [(sunday, (13, 0))] * (n_games - len(slots))
    order = rng.permutation(len(slots))
    return [slots[i] for i in order.tolist()]


# --- EPL -----------------------------------------------------------------------------------------

_EPL_ROUNDS: Final = 38
_WEEKEND_SLOTS: Final[tuple[tuple[int, Slot], ...]] = (
    (1, (12, 30)),
    (1, (15, 0)),
    (1, (15, 0)),
    (1, (15, 0)),
    (1, (15, 0)),
    (1, (17, 30)),
    (2, (14, 0)),
    (2, (14, 0)),
    (2, (16, 30)),
)  # fmt: skip  (days after Friday: 1 Saturday, 2 Sunday)
_EXTRA_SLOTS: Final[tuple[tuple[int, Slot], ...]] = ((0, (20, 0)), (3, (20, 0)), (1, (15, 0)))
_MIDWEEK_SLOTS: Final[tuple[tuple[int, Slot], ...]] = (
    (0, (19, 30)),
    (0, (19, 30)),
    (0, (19, 30)),
    (0, (20, 0)),
    (0, (20, 0)),
    (1, (19, 30)),
    (1, (19, 30)),
    (1, (19, 30)),
    (1, (20, 0)),
    (1, (20, 0)),
)  # fmt: skip  (days after Tuesday)


def _epl_round_dates(calendar: SeasonCalendar) -> list[tuple[date, bool]]:
    """The first day of each round and whether it is a midweek round."""
    season = calendar.season
    breaks = {
        nth_weekday(season, 9, SAT, 1),
        nth_weekday(season, 10, SAT, 2),
        nth_weekday(season, 11, SAT, 3),
        nth_weekday(season + 1, 1, SAT, 2),  # FA Cup third round
        nth_weekday(season + 1, 3, SAT, 4),
    }
    fridays: list[date] = []
    friday = calendar.regular_start
    last_friday = calendar.regular_end - timedelta(days=2)
    while friday <= last_friday:
        if friday + timedelta(days=1) not in breaks:
            fridays.append(friday)
        friday += timedelta(weeks=1)
    # Too many weekends: drop the FA Cup fourth- and fifth-round weekends, then others mid-season.
    droppable = [last_weekday(season + 1, 1, SAT), nth_weekday(season + 1, 2, SAT, 3)]
    while len(fridays) > _EPL_ROUNDS:
        target = droppable.pop(0) - timedelta(days=1) if droppable else fridays[len(fridays) // 2]
        if target in fridays:
            fridays.remove(target)
    midweek_candidates = [
        weekday_on_or_after(nth_weekday(season, 12, SUN, 1), TUE),
        weekday_on_or_after(nth_weekday(season + 1, 1, SUN, 1), TUE),
        weekday_on_or_after(nth_weekday(season + 1, 2, SUN, 2), TUE),
        weekday_on_or_after(nth_weekday(season, 10, SUN, 4), TUE),
        weekday_on_or_after(nth_weekday(season + 1, 4, SUN, 3), TUE),
        weekday_on_or_after(nth_weekday(season, 12, SUN, 3), TUE),
    ]
    midweeks = midweek_candidates[: max(_EPL_ROUNDS - len(fridays), 0)]
    rounds = [(d, False) for d in fridays] + [(d, True) for d in midweeks]
    return sorted(rounds)


def _round_robin(rng: np.random.Generator, n_teams: int) -> list[list[tuple[int, int]]]:
    """A double round robin by the circle method: the second half mirrors the first, home swapped."""
    teams = rng.permutation(n_teams).tolist()
    first_half: list[list[tuple[int, int]]] = []
    for r in range(n_teams - 1):
        matches = []
        for i in range(n_teams // 2):
            a, b = teams[i], teams[n_teams - 1 - i]
            # Alternate hosts by round (and by board) so no club has long home or away runs.
            matches.append((a, b) if (r + i) % 2 == 0 else (b, a))
        first_half.append(matches)
        teams = [teams[0], teams[-1], *teams[1:-1]]
    second_half = [[(b, a) for a, b in matches] for matches in first_half]
    order_first = rng.permutation(len(first_half)).tolist()
    order_second = rng.permutation(len(second_half)).tolist()
    return [first_half[i] for i in order_first] + [second_half[i] for i in order_second]


def _epl(rng: np.random.Generator, calendar: SeasonCalendar, n_teams: int) -> Fixtures:
    rounds = _round_robin(rng, n_teams)
    dates = _epl_round_dates(calendar)
    rows: list[tuple[int, int, int]] = []
    for index, (matches, (start, midweek)) in enumerate(zip(rounds, dates, strict=True)):
        if index == len(rounds) - 1:
            sunday = start + timedelta(days=2)
            slots = [(sunday, (16, 0))] * len(matches)
        elif midweek:
            slots = [(start + timedelta(days=k), slot) for k, slot in _MIDWEEK_SLOTS]
        else:
            extra = _EXTRA_SLOTS[0] if index == 0 else _EXTRA_SLOTS[int(rng.integers(len(_EXTRA_SLOTS)))]
            slots = [(start + timedelta(days=k), slot) for k, slot in (*_WEEKEND_SLOTS, extra)]
        order = rng.permutation(len(slots)).tolist()
        for (home, away), slot_index in zip(matches, order, strict=True):
            day, (hour, minute) = slots[slot_index]
            rows.append((_epoch(local_to_utc(day, hour, minute, "UK")), home, away))
    return _fixtures(rows)


def regular_season(
    sport: Sport, calendar: SeasonCalendar, n_teams: int, games_per_team: int, rng: np.random.Generator
) -> Fixtures:
    """The regular-season fixtures of one league-season."""
    if sport in _BACK_TO_BACK_WEIGHT:
        return _daily(rng, calendar, n_teams, games_per_team, "ET", _BACK_TO_BACK_WEIGHT[sport])
    if sport is Sport.MLB:
        return _mlb(rng, calendar, n_teams, games_per_team)
    if sport is Sport.NFL:
        return _nfl(rng, calendar, n_teams)
    return _epl(rng, calendar, n_teams)
