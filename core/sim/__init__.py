"""The simulated five-league sportsbook: Benny's offline default feed.

    calendar     real league calendars (season windows, breaks, local kick-off times in UTC)
    league       the five leagues' teams, conferences and model parameters
    schedule     regular-season fixtures (daily NBA/NHL, MLB series, weekly NFL, EPL rounds)
    playoffs     postseason brackets, played one game at a time
    scores       score models (normal margins; Poisson / negative-binomial counts) and their
                 exact outcome, margin and total distributions
    injuries     rosters, injuries, injury reports and their effect on strength
    market       bookmakers, market noise, line choice and pricing
    season       one league-season generated in one go
    quoting      each book's view and prices for a set of games at one grid point
    world        ``SimWorld``: events, odds, scores, injuries and truth as of a moment
    records      what ``SimWorld`` answers with (events, prices, scores, injuries, truth)
    calibration  opening/closing consensus scored against the real markets' baselines

Pure: numpy and the standard library only, randomness from seeded ``np.random.default_rng``
and time from arguments. ``core.collectors.simbook`` serves a ``SimWorld`` over httpx in The
Odds API's and ESPN's JSON. The model and its figures are documented in docs/SIMULATOR.md.
"""

from __future__ import annotations

from core.sim.market import BOOKS, Book
from core.sim.records import (
    GameTruth,
    PriceSlate,
    SimBookmaker,
    SimEvent,
    SimInjury,
    SimMarket,
    SimOdds,
    SimOutcome,
    SimScore,
    SportStatus,
)
from core.sim.world import SimWorld

__all__ = [
    "BOOKS",
    "Book",
    "GameTruth",
    "PriceSlate",
    "SimBookmaker",
    "SimEvent",
    "SimInjury",
    "SimMarket",
    "SimOdds",
    "SimOutcome",
    "SimScore",
    "SimWorld",
    "SportStatus",
]
