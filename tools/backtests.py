"""Backtests of your own models on stored history, as of each game, with no look-ahead."""

from __future__ import annotations

from services.user_model_backtest import BacktestView, backtest_model
from tools.context import current
from tools.registry import tool


@tool(per_user=True, tags=("user_models",))
def backtest_user_model(model_id: int, days: int = 180, later_days: int | None = None) -> BacktestView:
    """How one of your models would have done on the games of the last days, as of each game.

    Flat one-unit bets where the model reaches its threshold at a positive expected value; its
    slope is fit on the year before each window, never on the games scored. The last days are
    kept apart as a later window: variants are counted on the earlier days, and the later days
    show how the model does on games its tuning never saw.

    Args:
        model_id: the model's number, as list_user_models gives it.
        days: the whole window, ending now (7 to 1,095).
        later_days: how many of its last days form the later window (default a quarter; 0 for none).
    """
    return backtest_model(current(), model_id=model_id, days=days, later_days=later_days)
