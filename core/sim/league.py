"""The five simulated leagues: teams, conferences and every model parameter in one place.

Units. A league's *side* latent is what separates the teams: points of expected margin in the
NBA and NFL, the log ratio of scoring rates (d) in the NHL, MLB and EPL. Its *total* latent is
the expected total in points (NBA, NFL) or the log of the geometric-mean scoring rate (a).
Strengths, home advantage, rest, injuries and starting pitchers are all in side-latent units,
so they simply add up. Market noise is given in probability points and converted to
side-latent units with the slope of P(home win) at an average game, so the same 0.02 means
"two points of win probability" in every sport.

The strength, home-advantage and noise parameters were tuned (seeds 1-5) so that the simulated
closing consensus scores the Brier of the real closing lines in shared/data/DATA.md; the
figures are in docs/SIMULATOR.md and tests/core/sim/test_market_quality.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from core.sim.calendar import Zone
from core.sim.scores import CountModel, NormalModel, ScoreModel
from core.sports import Sport
from core.teams import CANONICAL, EPL_CURRENT

__all__ = ["LEAGUES", "InjurySpec", "LeagueSpec", "conference_of", "league_teams"]


@dataclass(frozen=True, slots=True)
class InjurySpec:
    """How often a league's players get hurt, for how long, and how much they matter.

    Player impact by roster rank r is ``impact_scale · exp(−r / impact_decay)`` times a
    log-normal wobble; ``star_impact`` (when set) replaces rank 0's (the NFL quarterback).
    Durations are log-normal (median, sigma) in days.
    """

    roster_size: int
    hazard_per_day: float
    duration_median_days: float
    duration_sigma: float
    impact_scale: float
    impact_decay: float
    star_impact: float | None
    positions: tuple[tuple[str, str], ...]  # (abbreviation, name), rank 0 first, then cycled
    report_lag_hours: float  # mean delay from getting hurt to the first report
    day_to_day_word: str  # how a short injury is listed: "Day-To-Day" or "Questionable"


@dataclass(frozen=True, slots=True)
class LeagueSpec:
    """Everything that makes one simulated league behave like the real one."""

    sport: Sport
    zone: Zone
    model: ScoreModel
    home_advantage: float  # side latent
    strength_sd: float  # side latent, spread of team strengths at the start of a season
    season_carryover: float  # share of strength variance carried from a franchise's base
    drift_sd_season: float  # side latent, spread of the random walk over a whole season
    tempo_sd: float  # total latent, per-team contribution to the expected total
    base_total: float  # total latent of an average game
    rest_penalty: float  # side latent, the second night of a back-to-back
    pitcher_sd: float  # side latent, starting-pitcher quality (MLB only)
    injury_total_share: float  # total latent moved per unit of side latent lost to injury
    game_minutes: int
    lead_hours: int  # odds open this long before the start
    close_sd_prob: float  # the closing consensus's error, probability points
    open_sd_prob: float  # extra error of the opening line, probability points
    total_close_sd: float  # total latent
    total_open_sd: float  # total latent
    injuries: InjurySpec
    games_per_team: int
    spread_style: str  # "points" (NBA/NFL), "one_and_a_half" (puck/run line), "asian" (EPL)

    @property
    def teams(self) -> tuple[str, ...]:
        return league_teams(self.sport)

    def probability_slope(self) -> float:
        """d P(home) / d side-latent at an average game: converts probability points to latent."""
        step = 1e-3 if isinstance(self.model, NormalModel) else 1e-4
        mu = np.array([self.home_advantage - step, self.home_advantage + step])
        total = np.full(2, self.base_total)
        p_home, _ = self.model.outcome_probabilities(mu, total)
        return float((p_home[1] - p_home[0]) / (2 * step))


def league_teams(sport: Sport) -> tuple[str, ...]:
    """The clubs of a league as The Odds API spells them (today's 20 for the EPL)."""
    return EPL_CURRENT if sport is Sport.EPL else CANONICAL[sport]


# One half of each US league; the other conference is everyone else.
_EAST: Final[dict[Sport, frozenset[str]]] = {
    Sport.NBA: frozenset(
        {
            "Atlanta Hawks",
            "Boston Celtics",
            "Brooklyn Nets",
            "Charlotte Hornets",
            "Chicago Bulls",
            "Cleveland Cavaliers",
            "Detroit Pistons",
            "Indiana Pacers",
            "Miami Heat",
            "Milwaukee Bucks",
            "New York Knicks",
            "Orlando Magic",
            "Philadelphia 76ers",
            "Toronto Raptors",
            "Washington Wizards",
        }
    ),
    Sport.NFL: frozenset(
        {
            "Baltimore Ravens",
            "Buffalo Bills",
            "Cincinnati Bengals",
            "Cleveland Browns",
            "Denver Broncos",
            "Houston Texans",
            "Indianapolis Colts",
            "Jacksonville Jaguars",
            "Kansas City Chiefs",
            "Las Vegas Raiders",
            "Los Angeles Chargers",
            "Miami Dolphins",
            "New England Patriots",
            "New York Jets",
            "Pittsburgh Steelers",
            "Tennessee Titans",
        }
    ),  # the AFC
    Sport.MLB: frozenset(
        {
            "Athletics",
            "Baltimore Orioles",
            "Boston Red Sox",
            "Chicago White Sox",
            "Cleveland Guardians",
            "Detroit Tigers",
            "Houston Astros",
            "Kansas City Royals",
            "Los Angeles Angels",
            "Minnesota Twins",
            "New York Yankees",
            "Seattle Mariners",
            "Tampa Bay Rays",
            "Texas Rangers",
            "Toronto Blue Jays",
        }
    ),  # the American League
    Sport.NHL: frozenset(
        {
            "Boston Bruins",
            "Buffalo Sabres",
            "Carolina Hurricanes",
            "Columbus Blue Jackets",
            "Detroit Red Wings",
            "Florida Panthers",
            "Montréal Canadiens",
            "New Jersey Devils",
            "New York Islanders",
            "New York Rangers",
            "Ottawa Senators",
            "Philadelphia Flyers",
            "Pittsburgh Penguins",
            "Tampa Bay Lightning",
            "Toronto Maple Leafs",
            "Washington Capitals",
        }
    ),
}


def conference_of(sport: Sport, team: str) -> int:
    """0 for the East / AFC / American League, 1 for the other conference (0 for every EPL club)."""
    east = _EAST.get(sport)
    if east is None:
        return 0
    return 0 if team in east else 1


_NBA_POSITIONS = (("G", "Guard"), ("F", "Forward"), ("C", "Center"), ("G", "Guard"), ("F", "Forward"))
_NFL_POSITIONS = (
    ("QB", "Quarterback"), ("WR", "Wide Receiver"), ("RB", "Running Back"), ("LT", "Offensive Tackle"),
    ("DE", "Defensive End"), ("CB", "Cornerback"), ("LB", "Linebacker"), ("TE", "Tight End"),
    ("S", "Safety"), ("G", "Guard"), ("DT", "Defensive Tackle"), ("WR", "Wide Receiver"),
    ("C", "Center"), ("CB", "Cornerback"), ("RT", "Offensive Tackle"), ("LB", "Linebacker"),
)  # fmt: skip
_MLB_POSITIONS = (
    ("SS", "Shortstop"), ("CF", "Center Fielder"), ("1B", "First Baseman"), ("RP", "Relief Pitcher"),
    ("3B", "Third Baseman"), ("C", "Catcher"), ("RF", "Right Fielder"), ("2B", "Second Baseman"),
    ("LF", "Left Fielder"), ("DH", "Designated Hitter"), ("RP", "Relief Pitcher"),
)  # fmt: skip
_NHL_POSITIONS = (
    ("G", "Goalie"), ("C", "Center"), ("D", "Defense"), ("LW", "Left Wing"), ("RW", "Right Wing"),
    ("D", "Defense"), ("C", "Center"), ("LW", "Left Wing"), ("D", "Defense"), ("RW", "Right Wing"),
)  # fmt: skip
_EPL_POSITIONS = (
    ("F", "Forward"), ("M", "Midfielder"), ("D", "Defender"), ("G", "Goalkeeper"), ("M", "Midfielder"),
    ("D", "Defender"), ("F", "Forward"), ("M", "Midfielder"), ("D", "Defender"),
)  # fmt: skip


LEAGUES: Final[dict[Sport, LeagueSpec]] = {
    Sport.NBA: LeagueSpec(
        sport=Sport.NBA,
        zone="ET",
        model=NormalModel(
            margin_sd=12.2,
            total_sd=18.0,
            overtime_band=0.9,
            overtime_margins=(
                (1, 0.15),
                (2, 0.14),
                (3, 0.14),
                (4, 0.13),
                (5, 0.11),
                (6, 0.1),
                (7, 0.08),
                (8, 0.08),
                (9, 0.07),
            ),
        ),
        home_advantage=2.9,
        strength_sd=4.85,
        season_carryover=0.55,
        drift_sd_season=1.6,
        tempo_sd=3.5,
        base_total=226.0,
        rest_penalty=1.3,
        pitcher_sd=0.0,
        injury_total_share=0.6,
        game_minutes=140,
        lead_hours=72,
        close_sd_prob=0.018,
        open_sd_prob=0.04,
        total_close_sd=2.2,
        total_open_sd=3.5,
        injuries=InjurySpec(
            roster_size=13,
            hazard_per_day=0.012,
            duration_median_days=5.0,
            duration_sigma=1.1,
            impact_scale=3.6,
            impact_decay=2.6,
            star_impact=None,
            positions=_NBA_POSITIONS,
            report_lag_hours=5.0,
            day_to_day_word="Day-To-Day",
        ),
        games_per_team=82,
        spread_style="points",
    ),
    Sport.NFL: LeagueSpec(
        sport=Sport.NFL,
        zone="ET",
        model=NormalModel(
            margin_sd=13.4,
            total_sd=13.5,
            overtime_band=0.85,
            overtime_margins=((3, 0.6), (6, 0.3), (2, 0.05), (8, 0.05)),
            key_numbers=(
                (1, 3, 0.3),
                (2, 3, 0.45),
                (4, 3, 0.4),
                (5, 7, 0.3),
                (6, 7, 0.45),
                (8, 7, 0.4),
                (9, 10, 0.25),
                (11, 10, 0.25),
                (13, 14, 0.3),
                (15, 14, 0.3),
            ),
        ),
        home_advantage=1.8,
        strength_sd=4.5,
        season_carryover=0.45,
        drift_sd_season=1.5,
        tempo_sd=2.5,
        base_total=44.5,
        rest_penalty=0.0,
        pitcher_sd=0.0,
        injury_total_share=0.4,
        game_minutes=190,
        lead_hours=168,
        close_sd_prob=0.02,
        open_sd_prob=0.055,
        total_close_sd=1.3,
        total_open_sd=2.2,
        injuries=InjurySpec(
            roster_size=16,
            hazard_per_day=0.009,
            duration_median_days=9.0,
            duration_sigma=1.0,
            impact_scale=1.3,
            impact_decay=5.0,
            star_impact=5.5,
            positions=_NFL_POSITIONS,
            report_lag_hours=10.0,
            day_to_day_word="Questionable",
        ),
        games_per_team=17,
        spread_style="points",
    ),
    Sport.MLB: LeagueSpec(
        sport=Sport.MLB,
        zone="ET",
        model=CountModel(dispersion=4.0, overtime_skill=1.5, max_score=20),
        home_advantage=0.075,
        strength_sd=0.1,
        season_carryover=0.5,
        drift_sd_season=0.03,
        tempo_sd=0.05,
        base_total=np.log(4.45),
        rest_penalty=0.0,
        pitcher_sd=0.13,
        injury_total_share=0.3,
        game_minutes=165,
        lead_hours=48,
        close_sd_prob=0.015,
        open_sd_prob=0.03,
        total_close_sd=0.025,
        total_open_sd=0.045,
        injuries=InjurySpec(
            roster_size=11,
            hazard_per_day=0.005,
            duration_median_days=14.0,
            duration_sigma=0.9,
            impact_scale=0.03,
            impact_decay=4.0,
            star_impact=None,
            positions=_MLB_POSITIONS,
            report_lag_hours=6.0,
            day_to_day_word="Day-To-Day",
        ),
        games_per_team=162,
        spread_style="one_and_a_half",
    ),
    Sport.NHL: LeagueSpec(
        sport=Sport.NHL,
        zone="ET",
        model=CountModel(dispersion=None, overtime_skill=1.2, max_score=15, draw_boost=0.5),
        home_advantage=0.08,
        strength_sd=0.17,
        season_carryover=0.5,
        drift_sd_season=0.04,
        tempo_sd=0.04,
        base_total=np.log(3.05),
        rest_penalty=0.06,
        pitcher_sd=0.0,
        injury_total_share=0.3,
        game_minutes=150,
        lead_hours=72,
        close_sd_prob=0.015,
        open_sd_prob=0.04,
        total_close_sd=0.02,
        total_open_sd=0.035,
        injuries=InjurySpec(
            roster_size=14,
            hazard_per_day=0.007,
            duration_median_days=7.0,
            duration_sigma=1.1,
            impact_scale=0.05,
            impact_decay=3.5,
            star_impact=None,
            positions=_NHL_POSITIONS,
            report_lag_hours=6.0,
            day_to_day_word="Day-To-Day",
        ),
        games_per_team=82,
        spread_style="one_and_a_half",
    ),
    Sport.EPL: LeagueSpec(
        sport=Sport.EPL,
        zone="UK",
        model=CountModel(dispersion=None, overtime_skill=None, max_score=12, draw_boost=0.08),
        home_advantage=0.22,
        strength_sd=0.51,
        season_carryover=0.6,
        drift_sd_season=0.08,
        tempo_sd=0.06,
        base_total=np.log(1.38),
        rest_penalty=0.0,
        pitcher_sd=0.0,
        injury_total_share=0.3,
        game_minutes=115,
        lead_hours=168,
        close_sd_prob=0.015,
        open_sd_prob=0.045,
        total_close_sd=0.025,
        total_open_sd=0.04,
        injuries=InjurySpec(
            roster_size=14,
            hazard_per_day=0.005,
            duration_median_days=14.0,
            duration_sigma=1.0,
            impact_scale=0.1,
            impact_decay=4.0,
            star_impact=None,
            positions=_EPL_POSITIONS,
            report_lag_hours=12.0,
            day_to_day_word="Questionable",
        ),
        games_per_team=38,
        spread_style="asian",
    ),
}
