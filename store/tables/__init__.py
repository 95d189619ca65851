"""SQLModel tables: Benny's persistent state.

Named ``tables`` so they never clash with the prediction models in ``core/models``. Mapping
between these rows and the domain values lives in the repository modules beside this package.
The schema itself is created and upgraded by the Alembic revisions in ``store/migrations``;
``SQLModel.metadata`` is what those revisions are checked against, and importing this package
(``import store.tables``, or any ``from store.tables import ...``) registers every table on it.

Prices are stored as decimal odds (``price_decimal``); American odds are kept alongside only
where the seed's rules settle on them (bets). Times are aware UTC.

The tables live by topic:

    games     sports, teams, aliases, games, odds snapshots, closing lines, outcomes, team and
              player statistics, injuries, game signals
    grading   predictions, verifications, model rollups and totals, adjustments, model fits
    users     users, API tokens, user models, their runs and backtests
    trading   bets and the bankroll ledger
    runs      collector runs, job runs, the scheduler lease
    base      the JSON column type and ``table_of``
"""

from __future__ import annotations

from store.tables.base import table_of
from store.tables.games import (
    ClosingLine,
    Game,
    GameSignal,
    Injury,
    OddsSnapshot,
    Outcome,
    PlayerStat,
    SportRow,
    Team,
    TeamAlias,
    TeamOutcome,
    TeamStat,
)
from store.tables.grading import (
    ModelAdjustment,
    ModelFit,
    ModelRollup,
    ModelTotal,
    Prediction,
    Verification,
)
from store.tables.runs import CollectorRun, JobRun, SchedulerLease
from store.tables.trading import BankrollEntry, Bet
from store.tables.users import ApiToken, BacktestRun, User, UserModel, UserModelRun

__all__ = [
    "ApiToken",
    "BacktestRun",
    "BankrollEntry",
    "Bet",
    "ClosingLine",
    "CollectorRun",
    "Game",
    "GameSignal",
    "Injury",
    "JobRun",
    "ModelAdjustment",
    "ModelFit",
    "ModelRollup",
    "ModelTotal",
    "OddsSnapshot",
    "Outcome",
    "PlayerStat",
    "Prediction",
    "SchedulerLease",
    "SportRow",
    "Team",
    "TeamAlias",
    "TeamOutcome",
    "TeamStat",
    "User",
    "UserModel",
    "UserModelRun",
    "Verification",
    "table_of",
]
