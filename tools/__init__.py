"""Benny's tools: typed functions registered once for the LLM, the library, the CLI and REST.

Library use::

    import tools
    with tools.session(user="local"):
        board = tools.get_odds(sport="nba")

The odds math needs no session: ``tools.profit(10, 150) == 15.0``.
"""

from tools.backtests import backtest_user_model
from tools.calibration import calibration
from tools.comparison import compare_models
from tools.context import ToolContext, current, session
from tools.credits import api_credits
from tools.dashboard import benny_bets, benny_dashboard, explain_bet
from tools.games import get_games, get_odds
from tools.history import market_baseline
from tools.line_movement import line_movement
from tools.odds_math import (
    american_to_decimal,
    decimal_to_american,
    devig,
    implied_probability,
    kelly_stake,
    profit,
)
from tools.operations import system_status
from tools.predictions import analyze, get_predictions, verify
from tools.registry import REGISTRY, tool
from tools.user_models import (
    create_user_model,
    delete_user_model,
    list_user_models,
    show_user_model,
    update_user_model,
)
from tools.value_bets import best_value_bets

__all__ = [
    "REGISTRY",
    "ToolContext",
    "american_to_decimal",
    "analyze",
    "api_credits",
    "backtest_user_model",
    "benny_bets",
    "benny_dashboard",
    "best_value_bets",
    "calibration",
    "compare_models",
    "create_user_model",
    "current",
    "decimal_to_american",
    "delete_user_model",
    "devig",
    "explain_bet",
    "get_games",
    "get_odds",
    "get_predictions",
    "implied_probability",
    "kelly_stake",
    "line_movement",
    "list_user_models",
    "market_baseline",
    "profit",
    "session",
    "show_user_model",
    "system_status",
    "tool",
    "update_user_model",
    "verify",
]
