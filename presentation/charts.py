"""What a chart of a tool's result would plot: plain lists of the tool's own numbers, nothing recomputed.

``chart_data(name, result)`` returns one of these, or ``None`` for a tool (or a result) with
nothing to plot; a UI draws them (``app.FIGURES``, keyed by ``kind``):

- ``compare_models``: ``{"kind": "accuracy", "label", "model", "sport", "market", "accuracy",
  "low", "high"}``, one entry per graded record (accuracy with its 95% interval).
- ``benny_dashboard``: ``{"kind": "bankroll", "x": [ISO times], "y": [bankroll in USD]}``.
- ``line_movement``: ``{"kind": "line", "x": [ISO times], "series": {book: [American prices]},
  "consensus": [probabilities], "side", "title"}``: at each snapshot time, each book's price of
  the first side (home, or over) as it stood then (``None`` before the book's first price), and
  the devigged consensus probability of that side.
- ``calibration``: ``{"kind": "calibration", "predicted": [...], "observed": [...], "count": [...],
  "title"}``, one entry per probability bin that holds a pick.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.formatting import side_label
from presentation.tables import MARKET_NAMES, sport_label

Chart = dict[str, Any]


def _plain(result: Any) -> Any:
    if hasattr(result, "model_dump"):
        return result.model_dump(mode="json")
    if isinstance(result, list):
        return [_plain(r) for r in result]
    return result


def _accuracy(data: Any) -> Chart | None:
    rows = [r for r in data if r["accuracy"] is not None]
    if not rows:
        return None
    return {
        "kind": "accuracy",
        "label": [f"{r['model']} · {sport_label(r['sport'])} {r['market']}" for r in rows],
        "model": [r["model"] for r in rows],
        "sport": [r["sport"] for r in rows],
        "market": [r["market"] for r in rows],
        "accuracy": [r["accuracy"] for r in rows],
        "low": [r["accuracy_low"] for r in rows],
        "high": [r["accuracy_high"] for r in rows],
    }


def _bankroll(data: Any) -> Chart | None:
    points = data["bankroll"]
    if not points:
        return None
    return {
        "kind": "bankroll",
        "x": [p["at"] for p in points],
        "y": [p["bankroll_usd"] for p in points],
    }


def _line(data: Any) -> Chart | None:
    snapshots = data["snapshots"]
    if not snapshots:
        return None
    first = data["sides"][0]
    standing: dict[str, int] = {}  # each book's price of the first side as it stands
    series: dict[str, list[int | None]] = {b["book"]: [] for b in data["books"]}
    for snapshot in snapshots:
        for quote in snapshot["quotes"]:
            for side in quote["sides"]:
                if side["side"] == first:
                    standing[quote["book"]] = side["odds_american"]
        for book, prices in series.items():
            prices.append(standing.get(book))
    label = side_label(first, home_team=data["home_team"], away_team=data["away_team"])
    return {
        "kind": "line",
        "x": [s["seen_at"] for s in snapshots],
        "series": series,
        "consensus": [s["consensus_probability"] for s in snapshots],
        "side": label,
        "title": f"{data['matchup']}: {MARKET_NAMES.get(data['market'], data['market'])}, {label}",
    }


def _calibration(data: Any) -> Chart | None:
    bins = data["bins"]
    if not bins:
        return None
    scope = (
        f"{sport_label(data['sport'])} {data['market']}"
        if data["sport"]
        else f"{data['market']}, every sport"
    )
    return {
        "kind": "calibration",
        "predicted": [b["mean_probability"] for b in bins],
        "observed": [b["observed"] for b in bins],
        "count": [b["count"] for b in bins],
        "title": f"Calibration of {data['model']}, {scope} ({data['n']} picks)",
    }


def _backtest(data: Any) -> Chart | None:
    """The backtest's bankroll in units after each bet, one line per sport and market."""
    series = {
        f"{sport_label(m['sport'])} {m['market']}": m["bankroll_units"]
        for m in data["markets"]
        if m["bankroll_units"]
    }
    if not series:
        return None
    return {"kind": "units", "series": series, "title": f"Backtest of {data['model']}: units won, bet by bet"}


CHARTS: dict[str, Callable[[Any], Chart | None]] = {
    "backtest_user_model": _backtest,
    "compare_models": _accuracy,
    "benny_dashboard": _bankroll,
    "line_movement": _line,
    "calibration": _calibration,
}


def chart_data(name: str, result: Any) -> Chart | None:
    """What a chart of a tool's result would plot (see the module's docstring); ``None``: nothing."""
    build = CHARTS.get(name)
    return None if build is None else build(_plain(result))
