"""Domain values for what happens around the odds: game status, box scores and injuries.

The ESPN collector produces them; models and the store consume them. Like ``core.quotes``
they are frozen dataclasses that check themselves, with units in the field names. Stat
dictionaries are read-only mappings of floats keyed by the provider's stat keys
(``points``, ``fieldGoalsMade``, ``passing.passingYards``), so a new column on ESPN's side
shows up here without a schema change.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from types import MappingProxyType

from core.errors import InvalidInput
from core.sports import Sport

__all__ = [
    "EspnGame",
    "EspnOdds",
    "GameStatus",
    "InjuryReport",
    "InjuryStatus",
    "PlayerGameLine",
    "TeamGameStats",
    "frozen_stats",
]


class GameStatus(StrEnum):
    """Where a game stands; only FINAL games carry a score worth settling on."""

    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    FINAL = "final"
    POSTPONED = "postponed"
    CANCELED = "canceled"
    OTHER = "other"


class InjuryStatus(StrEnum):
    """A player's availability, normalised across the wording providers use."""

    OUT = "out"
    DOUBTFUL = "doubtful"
    QUESTIONABLE = "questionable"
    PROBABLE = "probable"
    DAY_TO_DAY = "day_to_day"
    OTHER = "other"


def frozen_stats(stats: Mapping[str, float], *, name: str = "stats") -> Mapping[str, float]:
    """Copy ``stats`` into a read-only mapping after checking every value is a finite number."""
    clean: dict[str, float] = {}
    for key, value in stats.items():
        if not key:
            raise InvalidInput(f"{name} keys must not be empty")
        # bool is an int subclass; a True in a stat line is a caller bug, not a count of 1.
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InvalidInput(f"{name}[{key!r}] must be a finite number, got {value!r}")
        clean[key] = float(value)
    return MappingProxyType(clean)


def _require_text(value: str, name: str) -> None:
    if not value or not value.strip():
        raise InvalidInput(f"{name} must not be empty")


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None:
        raise InvalidInput(f"{name} must be timezone-aware, got {moment!r}")


@dataclass(frozen=True, slots=True)
class EspnOdds:
    """The one line ESPN shows on its scoreboard (a single provider), for cross-checking our feeds."""

    provider: str
    home_spread_points: float | None = None
    total_points: float | None = None
    home_moneyline_decimal: float | None = None
    away_moneyline_decimal: float | None = None

    def __post_init__(self) -> None:
        _require_text(self.provider, "provider")
        for name in ("home_moneyline_decimal", "away_moneyline_decimal"):
            value = getattr(self, name)
            if value is not None and (not math.isfinite(value) or value <= 1.0):
                raise InvalidInput(f"{name} must be finite and > 1, got {value}")
        if self.total_points is not None and (not math.isfinite(self.total_points) or self.total_points <= 0):
            raise InvalidInput(f"total_points must be finite and > 0, got {self.total_points}")
        if self.home_spread_points is not None and not math.isfinite(self.home_spread_points):
            raise InvalidInput(f"home_spread_points must be finite, got {self.home_spread_points}")


@dataclass(frozen=True, slots=True)
class EspnGame:
    """A game on an ESPN scoreboard. Scores are set only once the game is FINAL.

    ``home_team``/``away_team`` are canonical (Odds API) names where the team catalog knows
    them (the collector's default), otherwise ESPN's display names. ``espn_id`` is ESPN's event
    id, not The Odds API's.
    """

    espn_id: str
    sport: Sport
    start_time: datetime
    home_team: str
    away_team: str
    home_espn_team_id: str
    away_espn_team_id: str
    status: GameStatus
    status_detail: str = ""
    home_score: int | None = None
    away_score: int | None = None
    odds: EspnOdds | None = None

    def __post_init__(self) -> None:
        _require_text(self.espn_id, "espn_id")
        _require_aware(self.start_time, "start_time")
        _require_text(self.home_team, "home_team")
        _require_text(self.away_team, "away_team")
        if self.home_team == self.away_team:
            raise InvalidInput(f"teams must be two different names, got {self.home_team!r} twice")
        if (self.home_score is None) != (self.away_score is None):
            raise InvalidInput("home_score and away_score must both be set or both be None")
        if self.home_score is not None and self.away_score is not None:
            # A live score must never be mistaken for a result, so only finals may carry one.
            if self.status is not GameStatus.FINAL:
                raise InvalidInput(f"only a final game carries scores, this one is {self.status}")
            if self.home_score < 0 or self.away_score < 0:
                raise InvalidInput(f"scores must not be negative, got {self.home_score}-{self.away_score}")

    @property
    def is_final(self) -> bool:
        return self.status is GameStatus.FINAL


@dataclass(frozen=True, slots=True)
class TeamGameStats:
    """One team's box-score totals for one game (``points`` from the header, the rest as floats).

    ``game_status`` says whether the numbers are final: a summary fetched mid-game is partial.
    """

    espn_event_id: str
    sport: Sport
    team: str
    espn_team_id: str
    is_home: bool
    game_status: GameStatus
    points: int | None
    stats: Mapping[str, float] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        _require_text(self.espn_event_id, "espn_event_id")
        _require_text(self.team, "team")
        if self.points is not None and self.points < 0:
            raise InvalidInput(f"points must not be negative, got {self.points}")
        object.__setattr__(self, "stats", frozen_stats(self.stats))


@dataclass(frozen=True, slots=True)
class PlayerGameLine:
    """One player's line in one game's box score.

    ``stats`` holds every numeric column; made-attempted pairs are split (``fieldGoalsMade``,
    ``fieldGoalsAttempted``). Sports whose box score has categories (NFL passing, rushing…)
    prefix the key with the category: ``passing.passingYards``.
    """

    espn_event_id: str
    sport: Sport
    team: str
    espn_team_id: str
    player_name: str
    espn_athlete_id: str
    position: str | None
    starter: bool | None
    did_not_play: bool
    minutes: float | None
    game_status: GameStatus
    stats: Mapping[str, float] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        _require_text(self.espn_event_id, "espn_event_id")
        _require_text(self.team, "team")
        _require_text(self.player_name, "player_name")
        _require_text(self.espn_athlete_id, "espn_athlete_id")
        if self.minutes is not None and (not math.isfinite(self.minutes) or self.minutes < 0):
            raise InvalidInput(f"minutes must be finite and >= 0, got {self.minutes}")
        object.__setattr__(self, "stats", frozen_stats(self.stats))


@dataclass(frozen=True, slots=True)
class InjuryReport:
    """A player's injury status as a feed reported it; ``status_raw`` keeps the provider's words.

    ``reported_at`` is when the provider dated the report; ``seen_at`` is when we fetched it.
    """

    sport: Sport
    team: str
    player_name: str
    espn_athlete_id: str | None
    position: str | None
    status: InjuryStatus
    status_raw: str
    short_comment: str
    reported_at: datetime
    seen_at: datetime
    espn_team_id: str | None = None
    expected_return: date | None = None

    def __post_init__(self) -> None:
        _require_text(self.team, "team")
        _require_text(self.player_name, "player_name")
        _require_aware(self.reported_at, "reported_at")
        _require_aware(self.seen_at, "seen_at")
