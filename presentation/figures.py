"""Plotly figures of the chat's charts, drawn from ``presentation.charts.chart_data``'s series.

Nothing is recomputed here: each figure plots the numbers a tool returned. ``FIGURES`` maps a
chart's kind to the name its element is shown under and the function that draws it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import plotly.graph_objects as go

MAX_LEADERBOARD_ROWS = 25


def leaderboard_figure(data: dict[str, Any]) -> go.Figure:
    """Each model's accuracy with its 95% interval, ranked by the interval's lower end.

    Ranking by the lower end keeps one lucky pick from topping a record of hundreds.
    """
    points = list(zip(data["label"], data["model"], data["accuracy"], data["low"], data["high"], strict=True))
    one_board = len(set(zip(data["sport"], data["market"], strict=True))) == 1
    ranked = sorted(points, key=lambda p: (-p[3], -p[2], p[0]))
    shown = list(reversed(ranked[:MAX_LEADERBOARD_ROWS]))  # Plotly draws the first row at the bottom
    figure = go.Figure(
        go.Scatter(
            x=[p[2] for p in shown],
            y=[p[1] if one_board else p[0] for p in shown],
            mode="markers",
            marker={"size": 9},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [p[4] - p[2] for p in shown],
                "arrayminus": [p[2] - p[3] for p in shown],
            },
            customdata=[[p[3], p[4]] for p in shown],
            hovertemplate="%{y}: %{x:.1%} (95%: %{customdata[0]:.1%} to %{customdata[1]:.1%})<extra></extra>",
        )
    )
    figure.add_vline(x=0.5, line_dash="dot", line_color="grey")
    title = "Model leaderboard: accuracy with its 95% interval"
    if len(points) > len(shown):
        title += f" (top {len(shown)} of {len(points)})"
    figure.update_layout(
        title=title,
        xaxis={"title": "accuracy (won / decided)", "tickformat": ".0%", "range": [0, 1]},
        height=160 + 26 * len(shown),
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure


def bankroll_figure(data: dict[str, Any]) -> go.Figure:
    """Benny's bankroll (cumulative profit and loss) over time."""
    figure = go.Figure(
        go.Scatter(
            x=data["x"], y=data["y"], mode="lines+markers", hovertemplate="%{x}: $%{y:.2f}<extra></extra>"
        )
    )
    figure.update_layout(
        title="Benny's bankroll",
        yaxis={"title": "profit and loss (USD)", "tickprefix": "$"},
        height=360,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure


def units_figure(data: dict[str, Any]) -> go.Figure:
    """A backtest's bankroll in units after each bet, one line per sport and market."""
    figure = go.Figure(
        [
            go.Scatter(x=list(range(1, len(units) + 1)), y=units, mode="lines", name=label)
            for label, units in data["series"].items()
        ]
    )
    figure.update_layout(
        title=data.get("title", "Backtest"),
        xaxis={"title": "bet"},
        yaxis={"title": "units won (one-unit stakes)"},
        height=360,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure


def line_figure(data: dict[str, Any]) -> go.Figure:
    """Each book's price of the first side over time, and the devigged consensus on a second axis.

    Prices are drawn as steps: a price stands until the book moves it.
    """
    figure = go.Figure()
    for book, prices in data["series"].items():
        figure.add_trace(
            go.Scatter(
                x=data["x"],
                y=prices,
                name=book,
                mode="lines+markers",
                line_shape="hv",
                hovertemplate=f"{book}: %{{y:+d}}<extra></extra>",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=data["x"],
            y=data["consensus"],
            name="consensus",
            yaxis="y2",
            mode="lines",
            line={"color": "black", "dash": "dot", "width": 3},
            hovertemplate="consensus: %{y:.1%}<extra></extra>",
        )
    )
    figure.update_layout(
        title=data["title"],
        yaxis={"title": f"{data['side']} price (American)", "tickformat": "+d"},
        yaxis2={"title": "consensus probability", "overlaying": "y", "side": "right", "tickformat": ".0%"},
        legend={"orientation": "h", "y": -0.2},
        height=420,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure


def calibration_figure(data: dict[str, Any]) -> go.Figure:
    """How often the picks won against the probability the model gave them, one marker per bin.

    A marker's area follows the bin's number of picks; a calibrated model's markers sit on the diagonal.
    """
    largest = max(data["count"], default=1) or 1
    figure = go.Figure(
        go.Scatter(
            x=[0, 1], y=[0, 1], mode="lines", name="calibrated", line={"color": "grey", "dash": "dot"},
            hoverinfo="skip",
        )
    )  # fmt: skip
    figure.add_trace(
        go.Scatter(
            x=data["predicted"],
            y=data["observed"],
            name="picks",
            mode="lines+markers",
            marker={"size": [8 + 32 * (n / largest) ** 0.5 for n in data["count"]]},
            customdata=data["count"],
            hovertemplate="given %{x:.1%}, won %{y:.1%} (%{customdata} picks)<extra></extra>",
        )
    )
    figure.update_layout(
        title=data["title"],
        xaxis={"title": "predicted probability of the pick", "tickformat": ".0%", "range": [0, 1]},
        yaxis={"title": "observed win rate", "tickformat": ".0%", "range": [0, 1]},
        showlegend=False,
        height=420,
        margin={"l": 10, "r": 10, "t": 50, "b": 40},
    )
    return figure


FIGURES: dict[str, tuple[str, Callable[[dict[str, Any]], go.Figure]]] = {
    "accuracy": ("leaderboard", leaderboard_figure),
    "bankroll": ("bankroll", bankroll_figure),
    "units": ("backtest", units_figure),
    "line": ("line_movement", line_figure),
    "calibration": ("calibration", calibration_figure),
}
