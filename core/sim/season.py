"""One league-season of the simulated world, generated in one go and afterwards only read.

Order of generation (each step has its own seed-derived generator, see ``core.sim.seeding``):

1. team strengths: a franchise component that persists across seasons plus a season
   component, then a slow daily random walk; a tempo per team for totals;
2. the roster (persistent per seed) and the season's injuries;
3. the regular-season fixtures, with back-to-backs (NBA, NHL) and the starting-pitcher
   rotation (MLB);
4. every game's latent parameters, known (public) and true (with the players actually
   missing), its true outcome probabilities, and a result drawn from the score model;
5. the postseason, game by game from the regular-season standings;
6. the market's randomness (``core.sim.market``).

Everything is arrays indexed by game, sorted by start time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from types import MappingProxyType
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from core.odds import FloatArray
from core.sim.calendar import SeasonCalendar, calendar_for
from core.sim.injuries import DAY_S, InjuryLog, Roster, make_injuries, make_roster
from core.sim.league import LEAGUES, LeagueSpec, conference_of
from core.sim.market import MarketNoise, make_market_noise
from core.sim.playoffs import run_playoffs
from core.sim.schedule import regular_season
from core.sim.seeding import child_rng, game_id
from core.sports import Sport

__all__ = ["LeagueSeason", "build_season"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_ROTATION: Final = 5  # starting pitchers in a regular-season rotation
_PLAYOFF_ROTATION: Final = 4
_OVERTIME_MINUTES: Final = {Sport.NBA: 15, Sport.NFL: 20, Sport.MLB: 30, Sport.NHL: 12, Sport.EPL: 0}
_ET_OFFSET_S: Final = -5 * 3600  # good enough to tell evening games' local dates apart


@dataclass(frozen=True, slots=True)
class LeagueSeason:
    """Every game, result, injury and market path of one league-season."""

    seed: int
    spec: LeagueSpec
    calendar: SeasonCalendar
    teams: tuple[str, ...]
    ids: tuple[str, ...]
    index: Mapping[str, int]
    home: IntArray
    away: IntArray
    commence: IntArray  # epoch seconds
    announced: IntArray  # epoch seconds from which the game is known (playoff games: late)
    end: IntArray  # epoch seconds when the final score is in
    stage: IntArray  # 0 regular season, 1.. postseason round
    neutral: BoolArray
    side_known: FloatArray
    total_known: FloatArray
    side_true: FloatArray
    total_true: FloatArray
    p_home: FloatArray  # true probabilities
    p_draw: FloatArray
    home_score: IntArray
    away_score: IntArray
    overtime: BoolArray
    roster: Roster
    injuries: InjuryLog
    market: MarketNoise

    def __post_init__(self) -> None:
        # The season is cached and shared by every query: make its arrays read-only so no
        # caller can change what later answers see.
        for holder in (self, self.market, self.injuries, self.roster):
            for field in dataclasses.fields(holder):
                value = getattr(holder, field.name)
                if isinstance(value, np.ndarray):
                    value.setflags(write=False)

    @property
    def sport(self) -> Sport:
        return self.spec.sport

    @property
    def season(self) -> int:
        return self.calendar.season

    def __len__(self) -> int:
        return len(self.commence)

    def starting_between(self, first_s: float, last_s: float) -> IntArray:
        """Indices of games starting in [first_s, last_s)."""
        lo = int(np.searchsorted(self.commence, first_s, side="left"))
        hi = int(np.searchsorted(self.commence, last_s, side="left"))
        return np.arange(lo, hi, dtype=np.int64)

    def injury_effect(self, games: IntArray, info_time: FloatArray | None) -> tuple[FloatArray, FloatArray]:
        """(side, total) latent moved by injuries: the truth, or the market's view at ``info_time``."""
        impact = self.roster.impact
        game_time = self.commence[games].astype(np.float64)
        home = self.injuries.team_effect(impact, self.home[games], game_time, info_time)
        away = self.injuries.team_effect(impact, self.away[games], game_time, info_time)
        return away - home, -self.spec.injury_total_share * (home + away)


def _midnight_s(day: date) -> float:
    """Epoch seconds of 00:00 UTC on ``day``."""
    return datetime.combine(day, time(0), tzinfo=UTC).timestamp()


@dataclass(frozen=True, slots=True)
class _Latents:
    """What makes the side and total latents of any game: strengths, tempo, pitchers, injuries."""

    spec: LeagueSpec
    day0_s: float
    strength: FloatArray  # (teams, days)
    tempo: FloatArray
    pitchers: FloatArray  # (teams, rotation)
    injuries: InjuryLog
    impact: FloatArray

    def known(
        self,
        home: IntArray,
        away: IntArray,
        commence: IntArray,
        neutral: BoolArray,
        rest_home: BoolArray,
        rest_away: BoolArray,
        starter_home: IntArray,
        starter_away: IntArray,
    ) -> tuple[FloatArray, FloatArray]:
        spec = self.spec
        day = np.clip((commence - self.day0_s) // DAY_S, 0, self.strength.shape[1] - 1).astype(np.int64)
        side = self.strength[home, day] - self.strength[away, day]
        side = side + np.where(neutral, 0.0, spec.home_advantage)
        side = side - spec.rest_penalty * rest_home + spec.rest_penalty * rest_away
        side = side + self.pitchers[home, starter_home] - self.pitchers[away, starter_away]
        total = spec.base_total + self.tempo[home] + self.tempo[away]
        return np.asarray(side, dtype=np.float64), np.asarray(total, dtype=np.float64)

    def truth(
        self, home: IntArray, away: IntArray, commence: IntArray, side: FloatArray, total: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        game_time = commence.astype(np.float64)
        lost_home = self.injuries.team_effect(self.impact, home, game_time, None)
        lost_away = self.injuries.team_effect(self.impact, away, game_time, None)
        share = self.spec.injury_total_share
        return side - lost_home + lost_away, total - share * (lost_home + lost_away)


def _back_to_back(home: IntArray, away: IntArray, commence: IntArray) -> tuple[BoolArray, BoolArray]:
    """Whether each side also played the (US Eastern) day before."""
    n = len(home)
    day = (commence + _ET_OFFSET_S) // int(DAY_S)
    teams = np.concatenate([home, away])
    days = np.concatenate([day, day])
    order = np.lexsort((days, teams))
    same_team = teams[order][1:] == teams[order][:-1]
    next_day = days[order][1:] - days[order][:-1] == 1
    flag_sorted = np.zeros(2 * n, dtype=np.bool_)
    flag_sorted[1:] = same_team & next_day
    flags = np.zeros(2 * n, dtype=np.bool_)
    flags[order] = flag_sorted
    return flags[:n], flags[n:]


def _game_numbers(
    home: IntArray, away: IntArray, commence: IntArray, n_teams: int
) -> tuple[IntArray, IntArray]:
    """How many games each side had played before this one (for the pitching rotation)."""
    n = len(home)
    teams = np.concatenate([home, away])
    when = np.concatenate([commence, commence])
    order = np.lexsort((when, teams))
    sorted_teams = teams[order]
    first_of_team = np.searchsorted(sorted_teams, np.arange(n_teams))
    rank_sorted = np.arange(2 * n) - first_of_team[sorted_teams]
    rank = np.empty(2 * n, dtype=np.int64)
    rank[order] = rank_sorted
    return rank[:n], rank[n:]


def _end_times(
    spec: LeagueSpec, commence: IntArray, overtime: BoolArray, rng: np.random.Generator
) -> IntArray:
    minutes = (
        spec.game_minutes + _OVERTIME_MINUTES[spec.sport] * overtime + rng.normal(0.0, 8.0, len(commence))
    )
    return (commence + np.maximum(minutes, 60.0) * 60.0).astype(np.int64)


def build_season(seed: int, sport: Sport, season: int) -> LeagueSeason:
    """Generate one league-season (about 0.1-0.3 s; the world caches it)."""
    spec = LEAGUES[sport]
    calendar = calendar_for(sport, season)
    teams = spec.teams
    n_teams = len(teams)
    key = sport.value
    day0_s = _midnight_s(calendar.activity_start)
    end_s = _midnight_s(calendar.end) + DAY_S
    n_days = int((end_s - day0_s) // DAY_S) + 1

    # 1. strengths and tempo
    franchise = child_rng(seed, key, "franchise")
    base_strength, base_tempo = franchise.standard_normal(n_teams), franchise.standard_normal(n_teams)
    rng = child_rng(seed, key, season, "strength")
    carry = spec.season_carryover
    start = spec.strength_sd * (
        np.sqrt(carry) * base_strength + np.sqrt(1 - carry) * rng.standard_normal(n_teams)
    )
    season_days = max((calendar.regular_end - calendar.regular_start).days, 1)
    steps = rng.normal(0.0, spec.drift_sd_season / np.sqrt(season_days), (n_teams, n_days))
    steps[:, 0] = 0.0
    strength = start[:, None] + np.cumsum(steps, axis=1)
    tempo = spec.tempo_sd * (np.sqrt(0.5) * base_tempo + np.sqrt(0.5) * rng.standard_normal(n_teams))
    pitchers = np.zeros((n_teams, _ROTATION))
    pitcher_start = np.zeros(n_teams, dtype=np.int64)
    if spec.pitcher_sd > 0:
        # Aces first: the rotation's best arm starts game 1 and the playoffs lean on the top four.
        pitchers = -np.sort(-rng.normal(0.0, spec.pitcher_sd, (n_teams, _ROTATION)), axis=1)
        pitcher_start = rng.integers(0, _ROTATION, n_teams).astype(np.int64)

    # 2. players and injuries
    roster = make_roster(spec.injuries, n_teams, child_rng(seed, key, "roster"))
    injuries = make_injuries(
        spec.injuries, roster, n_teams, day0_s, end_s, child_rng(seed, key, season, "injuries")
    )
    latents = _Latents(spec, day0_s, strength, tempo, pitchers, injuries, roster.impact)

    # 3-4. the regular season
    fixtures = regular_season(
        sport, calendar, n_teams, spec.games_per_team, child_rng(seed, key, season, "schedule")
    )
    home, away, commence = fixtures.home, fixtures.away, fixtures.commence
    n_regular = len(home)
    if sport in (Sport.NBA, Sport.NHL):
        rest_home, rest_away = _back_to_back(home, away, commence)
    else:
        rest_home = rest_away = np.zeros(n_regular, dtype=np.bool_)
    number_home, number_away = _game_numbers(home, away, commence, n_teams)
    starter_home = (number_home + pitcher_start[home]) % _ROTATION
    starter_away = (number_away + pitcher_start[away]) % _ROTATION
    neutral = np.zeros(n_regular, dtype=np.bool_)
    side_known, total_known = latents.known(
        home, away, commence, neutral, rest_home, rest_away, starter_home, starter_away
    )
    side_true, total_true = latents.truth(home, away, commence, side_known, total_known)
    results = child_rng(seed, key, season, "results")
    home_score, away_score, overtime = spec.model.sample(side_true, total_true, results)
    end = _end_times(spec, commence, overtime, results)

    # 5. the postseason, one batch of games at a time
    batches: list[tuple[npt.NDArray[Any], ...]] = []
    played = np.bincount(home, minlength=n_teams) + np.bincount(away, minlength=n_teams)
    playoff_rng = child_rng(seed, key, season, "playoffs")

    def play(
        p_home: IntArray, p_away: IntArray, p_commence: IntArray, p_neutral: BoolArray
    ) -> tuple[BoolArray, IntArray]:
        no_rest = np.zeros(len(p_home), dtype=np.bool_)
        s_home = (played[p_home] + pitcher_start[p_home]) % _PLAYOFF_ROTATION
        s_away = (played[p_away] + pitcher_start[p_away]) % _PLAYOFF_ROTATION
        known = latents.known(p_home, p_away, p_commence, p_neutral, no_rest, no_rest, s_home, s_away)
        true = latents.truth(p_home, p_away, p_commence, *known)
        scores_home, scores_away, went_over = spec.model.sample(*true, playoff_rng)
        finish = _end_times(spec, p_commence, went_over, playoff_rng)
        played[p_home] += 1
        played[p_away] += 1
        batches.append((*known, *true, scores_home, scores_away, went_over, finish))
        return scores_home > scores_away, finish

    wins = np.bincount(home, weights=home_score > away_score, minlength=n_teams)
    wins += np.bincount(away, weights=away_score > home_score, minlength=n_teams)
    record = wins / np.maximum(played, 1)
    conference = np.array([conference_of(sport, t) for t in teams], dtype=np.int64)
    playoff_games = run_playoffs(
        sport, calendar, conference, record, play, child_rng(seed, key, season, "seeding"), int(end.max())
    )

    def column(i: int, regular: npt.NDArray[Any]) -> npt.NDArray[Any]:
        return np.concatenate([regular, *[b[i] for b in batches]]) if batches else regular

    all_home = np.concatenate([home, np.array([g.home for g in playoff_games], dtype=np.int64)])
    all_away = np.concatenate([away, np.array([g.away for g in playoff_games], dtype=np.int64)])
    all_commence = np.concatenate([commence, np.array([g.commence for g in playoff_games], dtype=np.int64)])
    announced = np.concatenate(
        [
            np.full(n_regular, int(day0_s), dtype=np.int64),
            np.array([g.announced for g in playoff_games], dtype=np.int64),
        ]
    )
    stage = np.concatenate(
        [np.zeros(n_regular, dtype=np.int64), np.array([g.stage for g in playoff_games], dtype=np.int64)]
    )
    all_neutral = np.concatenate([neutral, np.array([g.neutral for g in playoff_games], dtype=np.bool_)])
    ids_created = [game_id(seed, key, season, i) for i in range(len(all_home))]
    order = np.argsort(all_commence, kind="stable")

    side_true_all = np.asarray(column(2, side_true), dtype=np.float64)[order]
    total_true_all = np.asarray(column(3, total_true), dtype=np.float64)[order]
    p_home, p_draw = spec.model.outcome_probabilities(side_true_all, total_true_all)
    commence_sorted = all_commence[order]
    announced_sorted = announced[order]
    ids = tuple(ids_created[i] for i in order.tolist())
    return LeagueSeason(
        seed=seed,
        spec=spec,
        calendar=calendar,
        teams=teams,
        ids=ids,
        index=MappingProxyType({game: i for i, game in enumerate(ids)}),
        home=all_home[order],
        away=all_away[order],
        commence=commence_sorted,
        announced=announced_sorted,
        end=np.asarray(column(7, end), dtype=np.int64)[order],
        stage=stage[order],
        neutral=all_neutral[order],
        side_known=np.asarray(column(0, side_known), dtype=np.float64)[order],
        total_known=np.asarray(column(1, total_known), dtype=np.float64)[order],
        side_true=side_true_all,
        total_true=total_true_all,
        p_home=p_home,
        p_draw=p_draw,
        home_score=np.asarray(column(4, home_score), dtype=np.int64)[order],
        away_score=np.asarray(column(5, away_score), dtype=np.int64)[order],
        overtime=np.asarray(column(6, overtime), dtype=np.bool_)[order],
        roster=roster,
        injuries=injuries,
        market=make_market_noise(
            spec, commence_sorted, announced_sorted, child_rng(seed, key, season, "market")
        ),
    )
