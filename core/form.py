"""Form statistics from a team's past games, as of a moment: pure functions over plain rows.

The caller passes only games whose results were visible at ``as_of`` (the store's query does
that), so nothing here can look ahead. Against-the-spread and over/under records use the
closing consensus line of each game from the team's side (its own handicap).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

# Two starts less than this apart are a back-to-back (NBA and NHL play on consecutive nights).
BACK_TO_BACK = timedelta(hours=30)


@dataclass(frozen=True, slots=True)
class TeamGame:
    """One completed game seen from one team's side."""

    game_id: str
    commence_time: datetime
    opponent_id: int
    is_home: bool
    points_for: int
    points_against: int
    spread_close: float | None = None  # the team's own closing handicap (e.g. -4.5)
    total_close: float | None = None

    @property
    def result(self) -> str:
        if self.points_for > self.points_against:
            return "W"
        return "L" if self.points_for < self.points_against else "D"


@dataclass(frozen=True, slots=True)
class TeamForm:
    team_id: int
    as_of: datetime
    games: int
    wins: int
    losses: int
    draws: int
    win_pct: float | None
    points_for_avg: float | None
    points_against_avg: float | None
    margin_avg: float | None
    last_results: str  # newest first, e.g. "WWLWD"
    streak: str  # e.g. "W3"; "" with no games
    home_record: str  # "W-L" or "W-D-L" with draws
    away_record: str
    rest_days: float | None  # from the last game's start to the next game's start (or as_of)
    back_to_back: bool
    ats_wins: int
    ats_losses: int
    ats_pushes: int
    overs: int
    unders: int
    total_pushes: int


def _record(games: Sequence[TeamGame]) -> str:
    wins = sum(g.result == "W" for g in games)
    losses = sum(g.result == "L" for g in games)
    draws = sum(g.result == "D" for g in games)
    return f"{wins}-{draws}-{losses}" if draws else f"{wins}-{losses}"


def team_form(
    team_id: int,
    history: Sequence[TeamGame],
    *,
    as_of: datetime,
    next_start: datetime | None = None,
    last_n: int = 10,
) -> TeamForm:
    """Form over the team's ``last_n`` games before ``as_of`` (newer games in ``history`` are ignored)."""
    past = sorted(
        (g for g in history if g.commence_time < as_of), key=lambda g: g.commence_time, reverse=True
    )
    recent = past[:last_n]
    n = len(recent)
    results = "".join(g.result for g in recent)
    streak = ""
    if results:
        run = len(results) - len(results.lstrip(results[0]))
        streak = f"{results[0]}{run}"
    reference = next_start or as_of
    rest = (reference - past[0].commence_time) / timedelta(days=1) if past else None
    ats = [(g.points_for - g.points_against) + g.spread_close for g in recent if g.spread_close is not None]
    totals = [(g.points_for + g.points_against) - g.total_close for g in recent if g.total_close is not None]
    return TeamForm(
        team_id=team_id,
        as_of=as_of,
        games=n,
        wins=results.count("W"),
        losses=results.count("L"),
        draws=results.count("D"),
        win_pct=results.count("W") / n if n else None,
        points_for_avg=sum(g.points_for for g in recent) / n if n else None,
        points_against_avg=sum(g.points_against for g in recent) / n if n else None,
        margin_avg=sum(g.points_for - g.points_against for g in recent) / n if n else None,
        last_results=results,
        streak=streak,
        home_record=_record([g for g in recent if g.is_home]),
        away_record=_record([g for g in recent if not g.is_home]),
        rest_days=round(rest, 2) if rest is not None else None,
        back_to_back=bool(past) and (reference - past[0].commence_time) < BACK_TO_BACK,
        ats_wins=sum(x > 0 for x in ats),
        ats_losses=sum(x < 0 for x in ats),
        ats_pushes=sum(x == 0 for x in ats),
        overs=sum(x > 0 for x in totals),
        unders=sum(x < 0 for x in totals),
        total_pushes=sum(x == 0 for x in totals),
    )


@dataclass(frozen=True, slots=True)
class HeadToHead:
    team_id: int
    opponent_id: int
    games: int
    wins: int
    losses: int
    draws: int
    margin_avg: float | None
    last_meeting: datetime | None


def head_to_head(
    team_id: int, opponent_id: int, history: Sequence[TeamGame], *, as_of: datetime, last_n: int = 10
) -> HeadToHead:
    """The team's record against one opponent over their last ``last_n`` meetings before ``as_of``."""
    meetings = sorted(
        (g for g in history if g.opponent_id == opponent_id and g.commence_time < as_of),
        key=lambda g: g.commence_time,
        reverse=True,
    )[:last_n]
    n = len(meetings)
    return HeadToHead(
        team_id=team_id,
        opponent_id=opponent_id,
        games=n,
        wins=sum(g.result == "W" for g in meetings),
        losses=sum(g.result == "L" for g in meetings),
        draws=sum(g.result == "D" for g in meetings),
        margin_avg=sum(g.points_for - g.points_against for g in meetings) / n if n else None,
        last_meeting=meetings[0].commence_time if meetings else None,
    )
