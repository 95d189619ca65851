"""Rosters, injuries, injury reports, and what each does to a team's strength.

Each team has a roster of notable players whose impact falls off with rank (a star is worth
several points in the NBA, the starting quarterback about five and a half in the NFL). A player
gets hurt at a constant daily hazard, stays out for a log-normal number of days, and is back
from ``returns_at``. The injury is first reported ``report lag`` hours after it happens, with an
expected return date that is the truth plus noise growing with the length of the absence.

The report's status follows that expected return: ``Out`` while more than three days remain,
then ``Doubtful`` (one to three days), then ``Questionable`` (the last day); an injury of three
days or less is listed as ``Day-To-Day`` (``Questionable`` in the NFL and the EPL) throughout.

Truth: a player misses a game when hurt before it and not yet back at its start.
Market: at information time t it knows the reports published by t. For each it takes
P(still out at the game) = S((T − E)/σ) / S((t − E)/σ), where E is the expected return, σ its
uncertainty and S the normal survival function: the chance the return comes after the game,
given that it has not come by t. A player back by t counts zero. Unreported injuries count
zero, which is how late news moves a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from core.odds import FloatArray
from core.sim.league import InjurySpec
from core.sim.names import FIRST_NAMES, INJURY_TYPES, LAST_NAMES, MAJOR_DETAILS, MINOR_DETAILS, SIDES
from core.sim.scores import norm_cdf

__all__ = ["InjuryLog", "ReportStatus", "Roster", "make_injuries", "make_roster"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DAY_S: Final = 86_400.0
HOUR_S: Final = 3_600.0
_SHORT_DAYS: Final = 3.0  # an absence this short is reported as day-to-day
_DOUBTFUL_DAYS: Final = 3.0
_QUESTIONABLE_DAYS: Final = 1.0
_MAJOR_DAYS: Final = 45.0  # longer absences come from surgery, fractures and tears


class ReportStatus(StrEnum):
    """A reported status as ESPN words it."""

    OUT = "Out"
    DOUBTFUL = "Doubtful"
    QUESTIONABLE = "Questionable"
    DAY_TO_DAY = "Day-To-Day"


@dataclass(frozen=True, slots=True)
class Roster:
    """Notable players of every team of a league (stable across seasons for a seed)."""

    team: IntArray
    first_name: tuple[str, ...]
    last_name: tuple[str, ...]
    position: tuple[tuple[str, str], ...]
    impact: FloatArray  # side latent lost while the player is out
    athlete_id: IntArray  # an ESPN-style numeric id

    def __len__(self) -> int:
        return len(self.team)


def make_roster(spec: InjurySpec, n_teams: int, rng: np.random.Generator) -> Roster:
    """Players with fake but fixed names, positions by rank and impacts falling with rank."""
    size = spec.roster_size
    rank = np.tile(np.arange(size), n_teams)
    team = np.repeat(np.arange(n_teams), size).astype(np.int64)
    impact = spec.impact_scale * np.exp(-rank / spec.impact_decay) * rng.lognormal(0.0, 0.3, len(rank))
    if spec.star_impact is not None:
        star = rank == 0
        impact[star] = spec.star_impact * rng.lognormal(0.0, 0.2, int(star.sum()))
    first = rng.integers(len(FIRST_NAMES), size=len(rank))
    last = rng.integers(len(LAST_NAMES), size=len(rank))
    ids = 3_000_000 + rng.choice(2_000_000, size=len(rank), replace=False)
    return Roster(
        team=team,
        first_name=tuple(FIRST_NAMES[i] for i in first.tolist()),
        last_name=tuple(LAST_NAMES[i] for i in last.tolist()),
        position=tuple(spec.positions[r % len(spec.positions)] for r in rank.tolist()),
        impact=impact,
        athlete_id=ids.astype(np.int64),
    )


@dataclass(frozen=True, slots=True)
class InjuryLog:
    """Every injury of a league-season; times are epoch seconds (floats)."""

    player: IntArray
    team: IntArray
    hurt_at: FloatArray
    reported_at: FloatArray
    returns_at: FloatArray
    expected_return: FloatArray
    return_sd_s: FloatArray
    short: BoolArray
    kind: IntArray  # index into names.INJURY_TYPES
    detail: tuple[str, ...]
    side: tuple[str, ...]
    # Padded per-team views for vectorised effects: [team, slot], impact 0 where unused.
    by_team: IntArray

    def __len__(self) -> int:
        return len(self.player)

    def status_at(self, index: IntArray, moment: float) -> tuple[list[ReportStatus], FloatArray]:
        """The reported status of injuries ``index`` at ``moment`` and when it last changed."""
        expected = self.expected_return[index]
        remaining = expected - moment
        statuses: list[ReportStatus] = []
        for short, left in zip(self.short[index].tolist(), remaining.tolist(), strict=True):
            if short:
                statuses.append(ReportStatus.DAY_TO_DAY)
            elif left > _DOUBTFUL_DAYS * DAY_S:
                statuses.append(ReportStatus.OUT)
            elif left > _QUESTIONABLE_DAYS * DAY_S:
                statuses.append(ReportStatus.DOUBTFUL)
            else:
                statuses.append(ReportStatus.QUESTIONABLE)
        changes = np.stack(
            [
                self.reported_at[index],
                np.where(self.short[index], -np.inf, expected - _DOUBTFUL_DAYS * DAY_S),
                np.where(self.short[index], -np.inf, expected - _QUESTIONABLE_DAYS * DAY_S),
            ]
        )
        changes = np.where(changes <= moment, changes, -np.inf)
        return statuses, np.asarray(changes.max(axis=0), dtype=np.float64)

    def listed_at(self, moment: float) -> IntArray:
        """Injuries on the report at ``moment``: published and the player not yet back."""
        return np.flatnonzero((self.reported_at <= moment) & (moment < self.returns_at)).astype(np.int64)

    def team_effect(
        self, impact: FloatArray, team: IntArray, game_time: FloatArray, info_time: FloatArray | None
    ) -> FloatArray:
        """Side latent a team loses to injuries in each game.

        ``info_time is None``: the truth (players actually missing at ``game_time``).
        Otherwise ``info_time`` has shape (games, k) and the result is the market's expectation
        at each of those moments, shape (games, k).
        """
        slots = self.by_team[team]  # (games, J)
        used = slots >= 0
        safe = np.where(used, slots, 0)
        weight = np.where(used, impact[self.player[safe]], 0.0)
        hurt, returns = self.hurt_at[safe], self.returns_at[safe]
        if info_time is None:
            missing = (hurt <= game_time[:, None]) & (game_time[:, None] < returns)
            return np.asarray((weight * missing).sum(axis=1), dtype=np.float64)
        t = info_time[:, :, None]
        game = game_time[:, None, None]
        expected, sd = self.expected_return[safe][:, None, :], self.return_sd_s[safe][:, None, :]
        known = (self.reported_at[safe][:, None, :] <= t) & (t < returns[:, None, :])
        still_out = 1.0 - norm_cdf((game - expected) / sd)
        not_back_yet = 1.0 - norm_cdf((t - expected) / sd)
        p_out = np.clip(still_out / np.maximum(not_back_yet, 1e-12), 0.0, 1.0)
        return np.asarray((weight[:, None, :] * np.where(known, p_out, 0.0)).sum(axis=2), dtype=np.float64)


def make_injuries(
    spec: InjurySpec, roster: Roster, n_teams: int, start_s: float, end_s: float, rng: np.random.Generator
) -> InjuryLog:
    """Simulate each player's injuries between ``start_s`` and ``end_s`` (epoch seconds)."""
    n_players = len(roster)
    clock = np.full(n_players, start_s)
    found: list[tuple[FloatArray, FloatArray, IntArray]] = []
    alive = np.ones(n_players, dtype=np.bool_)
    while alive.any():
        gap = rng.exponential(1.0 / spec.hazard_per_day, n_players) * DAY_S
        duration = np.clip(
            rng.lognormal(np.log(spec.duration_median_days), spec.duration_sigma, n_players), 1.0, 200.0
        )
        hurt = clock + gap
        alive &= hurt < end_s
        found.append((hurt[alive], duration[alive] * DAY_S, np.flatnonzero(alive).astype(np.int64)))
        clock = hurt + duration * DAY_S
    hurt_at = np.concatenate([f[0] for f in found])
    length = np.concatenate([f[1] for f in found])
    player = np.concatenate([f[2] for f in found])
    order = np.lexsort((hurt_at, roster.team[player]))
    hurt_at, length, player = hurt_at[order], length[order], player[order]
    n = len(player)
    # Whole seconds: reports carry minute-precision stamps, and sub-second noise helps nobody.
    hurt_at = np.floor(hurt_at)
    reported_at = np.floor(hurt_at + np.maximum(rng.exponential(spec.report_lag_hours, n), 0.25) * HOUR_S)
    returns_at = hurt_at + length
    return_sd = (0.2 * length / DAY_S + 0.5) * DAY_S
    expected = np.maximum(returns_at + return_sd * rng.standard_normal(n), reported_at + 0.5 * DAY_S)
    short = length <= _SHORT_DAYS * DAY_S
    major = length > _MAJOR_DAYS * DAY_S
    kind = rng.integers(len(INJURY_TYPES), size=n).astype(np.int64)
    minor_pick = rng.integers(len(MINOR_DETAILS), size=n)
    major_pick = rng.integers(len(MAJOR_DETAILS), size=n)
    side_pick = rng.integers(len(SIDES), size=n)
    detail: list[str] = []
    side: list[str] = []
    for k, big, i, j, s in zip(
        kind.tolist(),
        major.tolist(),
        minor_pick.tolist(),
        major_pick.tolist(),
        side_pick.tolist(),
        strict=True,
    ):
        part, location = INJURY_TYPES[k]
        if location in ("Head", "Other"):  # a concussion or an illness has no side and no sprain
            detail.append(part)
            side.append("Not Specified")
        else:
            detail.append(MAJOR_DETAILS[j] if big else MINOR_DETAILS[i])
            side.append(SIDES[s] if location in ("Leg", "Arm") else "Not Specified")
    team = roster.team[player]
    counts = np.bincount(team, minlength=n_teams)
    by_team = np.full((n_teams, max(int(counts.max(initial=0)), 1)), -1, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    for t in range(n_teams):
        by_team[t, : counts[t]] = np.arange(starts[t], starts[t] + counts[t])
    return InjuryLog(
        player=player,
        team=team,
        hurt_at=hurt_at,
        reported_at=reported_at,
        returns_at=returns_at,
        expected_return=expected,
        return_sd_s=return_sd,
        short=short,
        kind=kind,
        detail=tuple(detail),
        side=tuple(side),
        by_team=by_team,
    )
