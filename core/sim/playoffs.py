"""Postseason brackets, played one game at a time so each game is known only once it is set.

    NBA, NHL  8 teams a conference by record, 1v8 4v5 3v6 2v7, no reseeding, four best-of-7
              rounds (2-2-1-1-1, the better record at home in games 1, 2, 5 and 7), the
              conference winners meet in the final.
    MLB       6 teams a league: seeds 3-6 play best-of-3 wild-card series at the better seed;
              best-of-5 division series (2-2-1), best-of-7 championship series and World
              Series (2-3-2).
    NFL       7 teams a conference: the top seed has a bye; single games hosted by the better
              seed; the Super Bowl is on a neutral field two weeks after the conference games.

A game exists (is "announced") from the moment both teams and the need for it are known: the
end of the game that decided the last of its two teams for a series opener or single game, the
end of the previous game for the rest of a series. The market opens no earlier than that, so
the bracket never leaks a result ahead of time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Final

import numpy as np
import numpy.typing as npt

from core.sim.calendar import SUN, SeasonCalendar, local_to_utc, nth_weekday
from core.sports import Sport

__all__ = ["PlayFn", "PlayoffGame", "run_playoffs"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
# (home, away, commence epoch s, neutral) → (home won, end epoch s), one batch of games at a time.
PlayFn = Callable[[IntArray, IntArray, IntArray, BoolArray], tuple[BoolArray, IntArray]]


@dataclass(frozen=True, slots=True)
class PlayoffGame:
    home: int
    away: int
    commence: int
    announced: int
    neutral: bool
    stage: int  # 1 = first round … 4 = final


@dataclass(slots=True)
class _Series:
    high: int  # the better seed: home first
    low: int
    announced: int
    wins_high: int = 0
    wins_low: int = 0
    last_end: int = 0
    games: list[int] = field(default_factory=list)


_BEST_OF_7_HOME: Final = (True, True, False, False, True, False, True)  # 2-2-1-1-1
_BEST_OF_7_232: Final = (True, True, False, False, False, True, True)  # 2-3-2
_BEST_OF_5_HOME: Final = (True, True, False, False, True)
_EVENING_SLOTS: Final = ((19, 0), (20, 0), (21, 30), (22, 0), (19, 30), (20, 30), (21, 0), (22, 30))


def _seeds(
    conference: IntArray, record: npt.NDArray[np.float64], rng: np.random.Generator, n: int
) -> list[IntArray]:
    """The top ``n`` of each conference by record (random tie-break), best first."""
    tiebreak = rng.random(len(record)) * 1e-6
    out: list[IntArray] = []
    for conf in (0, 1):
        members = np.flatnonzero(conference == conf)
        ranked = members[np.argsort(-(record[members] + tiebreak[members]), kind="stable")]
        out.append(ranked[:n].astype(np.int64))
    return out


def _series_round(
    series: list[_Series],
    start: date,
    day_offsets: tuple[int, ...],
    home_pattern: tuple[bool, ...],
    play: PlayFn,
    stage: int,
    games: list[PlayoffGame],
) -> list[int]:
    """Play every series of a round to its end; returns the winners in series order."""
    need = len(home_pattern) // 2 + 1
    for g, (offset, high_home) in enumerate(zip(day_offsets, home_pattern, strict=True)):
        live = [(i, s) for i, s in enumerate(series) if s.wins_high < need and s.wins_low < need]
        if not live:
            break
        home = np.array([s.high if high_home else s.low for _, s in live], dtype=np.int64)
        away = np.array([s.low if high_home else s.high for _, s in live], dtype=np.int64)
        # Half the series play a day later, so a busy round has three or four games a night.
        commence = np.array(
            [
                _epoch(start + timedelta(days=offset + i % 2), _EVENING_SLOTS[(i // 2) % len(_EVENING_SLOTS)])
                for i, _ in live
            ],
            dtype=np.int64,
        )
        home_won, end = play(home, away, commence, np.zeros(len(live), dtype=np.bool_))
        for i, (_, s) in enumerate(live):
            announced = s.announced if g == 0 else s.last_end
            games.append(PlayoffGame(int(home[i]), int(away[i]), int(commence[i]), announced, False, stage))
            high_won = bool(home_won[i]) == high_home
            s.wins_high += high_won
            s.wins_low += not high_won
            s.last_end = int(end[i])
    return [s.high if s.wins_high >= need else s.low for s in series]


def _epoch(day: date, slot: tuple[int, int]) -> int:
    return int(local_to_utc(day, slot[0], slot[1], "ET").timestamp())


def _round_start(series: list[_Series], gap_days: int) -> date:
    """``gap_days`` after the (US Eastern) day the round's last game ended."""
    last_end = max(s.last_end for s in series)
    return datetime.fromtimestamp(last_end - 5 * 3600, UTC).date() + timedelta(days=gap_days)


def _better(a: int, b: int, record: npt.NDArray[np.float64]) -> tuple[int, int]:
    return (a, b) if record[a] >= record[b] else (b, a)


def _best_of_seven_bracket(
    calendar: SeasonCalendar,
    conference: IntArray,
    record: npt.NDArray[np.float64],
    play: PlayFn,
    rng: np.random.Generator,
    announced: int,
    day_offsets: tuple[int, ...],
) -> list[PlayoffGame]:
    games: list[PlayoffGame] = []
    assert calendar.postseason_start is not None
    start = calendar.postseason_start
    brackets = []
    for seeds in _seeds(conference, record, rng, 8):
        order = [(0, 7), (3, 4), (2, 5), (1, 6)]
        brackets.append([_Series(int(seeds[a]), int(seeds[b]), announced) for a, b in order])
    first_round = brackets[0] + brackets[1]
    winners = _series_round(first_round, start, day_offsets, _BEST_OF_7_HOME, play, 1, games)
    stage_series = first_round
    for stage in (2, 3, 4):
        decided = max(s.last_end for s in stage_series)
        pairs = [(winners[i], winners[i + 1]) for i in range(0, len(winners), 2)]
        next_series = [_Series(*_better(a, b, record), decided) for a, b in pairs]
        start = _round_start(stage_series, 2)
        winners = _series_round(next_series, start, day_offsets, _BEST_OF_7_HOME, play, stage, games)
        stage_series = next_series
    return games


def _mlb(
    calendar: SeasonCalendar,
    conference: IntArray,
    record: npt.NDArray[np.float64],
    play: PlayFn,
    rng: np.random.Generator,
    announced: int,
) -> list[PlayoffGame]:
    games: list[PlayoffGame] = []
    assert calendar.postseason_start is not None
    leagues = _seeds(conference, record, rng, 6)
    wild_card = [_Series(int(s[a]), int(s[b]), announced) for s in leagues for a, b in ((2, 5), (3, 4))]
    wc_winners = _series_round(wild_card, calendar.postseason_start, (0, 1, 2), (True,) * 3, play, 1, games)
    decided = max(s.last_end for s in wild_card)
    division = []
    for league, seeds in enumerate(leagues):
        # The top seed meets the 4/5 winner, the second seed the 3/6 winner.
        division.append(_Series(int(seeds[0]), wc_winners[2 * league + 1], decided))
        division.append(_Series(int(seeds[1]), wc_winners[2 * league], decided))
    start = _round_start(wild_card, 2)
    ds_winners = _series_round(division, start, (0, 1, 3, 4, 6), _BEST_OF_5_HOME, play, 2, games)
    decided = max(s.last_end for s in division)
    championship = [
        _Series(*_better(ds_winners[0], ds_winners[1], record), decided),
        _Series(*_better(ds_winners[2], ds_winners[3], record), decided),
    ]
    start = _round_start(division, 2)
    offsets = (0, 1, 3, 4, 5, 7, 8)
    lcs_winners = _series_round(championship, start, offsets, _BEST_OF_7_232, play, 3, games)
    decided = max(s.last_end for s in championship)
    world_series = [_Series(*_better(lcs_winners[0], lcs_winners[1], record), decided)]
    _series_round(world_series, _round_start(championship, 3), offsets, _BEST_OF_7_232, play, 4, games)
    return games


def _single_games(
    pairs: list[tuple[int, int]],
    slots: list[tuple[date, tuple[int, int]]],
    announced: int,
    stage: int,
    play: PlayFn,
    games: list[PlayoffGame],
    neutral: bool = False,
) -> tuple[list[int], int]:
    """Play one game per pair (home first); returns the winners and the last game's end."""
    home = np.array([p[0] for p in pairs], dtype=np.int64)
    away = np.array([p[1] for p in pairs], dtype=np.int64)
    commence = np.array([_epoch(day, slot) for day, slot in slots], dtype=np.int64)
    home_won, end = play(home, away, commence, np.full(len(pairs), neutral, dtype=np.bool_))
    for i in range(len(pairs)):
        games.append(PlayoffGame(int(home[i]), int(away[i]), int(commence[i]), announced, neutral, stage))
    winners = [int(home[i]) if home_won[i] else int(away[i]) for i in range(len(pairs))]
    return winners, int(end.max())


def _nfl(
    calendar: SeasonCalendar,
    conference: IntArray,
    record: npt.NDArray[np.float64],
    play: PlayFn,
    rng: np.random.Generator,
    announced: int,
) -> list[PlayoffGame]:
    games: list[PlayoffGame] = []
    assert calendar.postseason_start is not None
    saturday = calendar.postseason_start
    sunday, monday = saturday + timedelta(days=1), saturday + timedelta(days=2)
    seeds = [list(map(int, s)) for s in _seeds(conference, record, rng, 7)]
    rank = {team: i for conf in seeds for i, team in enumerate(conf)}
    wild_pairs = [(conf[a], conf[b]) for conf in seeds for a, b in ((1, 6), (2, 5), (3, 4))]
    wild_slots = [
        (saturday, (16, 30)),
        (saturday, (20, 0)),
        (sunday, (13, 0)),
        (sunday, (16, 30)),
        (sunday, (20, 0)),
        (monday, (20, 15)),
    ]
    order = rng.permutation(len(wild_pairs)).tolist()
    winners, decided = _single_games([wild_pairs[i] for i in order], wild_slots, announced, 1, play, games)
    by_conf: list[list[int]] = [[], []]
    for team in winners:
        by_conf[int(conference[team])].append(team)
    div_pairs = []
    for conf in (0, 1):
        alive = sorted([seeds[conf][0], *by_conf[conf]], key=rank.__getitem__)
        div_pairs += [(alive[0], alive[3]), (alive[1], alive[2])]
    div_sat, div_sun = saturday + timedelta(days=7), sunday + timedelta(days=7)
    div_slots = [(div_sat, (16, 30)), (div_sat, (20, 15)), (div_sun, (15, 0)), (div_sun, (18, 30))]
    winners, decided = _single_games(div_pairs, div_slots, decided, 2, play, games)
    conf_pairs = []
    for first, second in (winners[0:2], winners[2:4]):
        conf_pairs.append((first, second) if rank[first] < rank[second] else (second, first))
    conf_day = sunday + timedelta(days=14)
    winners, decided = _single_games(
        conf_pairs, [(conf_day, (15, 0)), (conf_day, (18, 30))], decided, 3, play, games
    )
    super_bowl = nth_weekday(calendar.season + 1, 2, SUN, 2)
    # The designated home team alternates between conferences by season; the field is neutral.
    afc, nfc = sorted(winners, key=lambda t: int(conference[t]))
    pair = (afc, nfc) if calendar.season % 2 == 0 else (nfc, afc)
    _single_games([pair], [(super_bowl, (18, 30))], decided, 4, play, games, neutral=True)
    return games


def run_playoffs(
    sport: Sport,
    calendar: SeasonCalendar,
    conference: IntArray,
    record: npt.NDArray[np.float64],
    play: PlayFn,
    rng: np.random.Generator,
    announced: int,
) -> list[PlayoffGame]:
    """The postseason games of a league-season (none for the EPL), in the order played.

    ``record`` is each team's regular-season win share, ``announced`` the end of the regular
    season's last game (epoch seconds): the first round is known from then on.
    """
    if sport in (Sport.NBA, Sport.NHL):
        return _best_of_seven_bracket(
            calendar, conference, record, play, rng, announced, (0, 2, 4, 6, 8, 10, 12)
        )
    if sport is Sport.MLB:
        return _mlb(calendar, conference, record, play, rng, announced)
    if sport is Sport.NFL:
        return _nfl(calendar, conference, record, play, rng, announced)
    return []
