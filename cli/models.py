"""The ten models' daily work: `benny analyze`, `verify`, `adjust`, and their leaderboard, `compare`."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.common import JsonOpt, SportOpt, busy, print_json, tool_context
from cli.tool_commands import Field, ToolCommand
from core.formatting import percent


def analyze(
    ctx: typer.Context,
    sport: SportOpt = None,
    hours: Annotated[int, typer.Option(help="Games starting within this many hours.")] = 48,
    as_json: JsonOpt = False,
) -> None:
    """Run every model on every upcoming game; store each prediction with its inverse (one transaction)."""
    from tools.context import bind
    from tools.predictions import analyze as run_analysis

    # The library's run, not a registered tool: it writes the ledger, so neither chat nor REST runs it.
    with bind(tool_context(ctx)), busy(f"running the models on the next {hours} hours' games", quiet=as_json):
        summary = run_analysis(sport=sport, hours=hours)
    if as_json:
        print_json(summary.model_dump(mode="json"))
        return
    models = ", ".join(f"{name} {count}" for name, count in sorted(summary.by_model.items()))
    typer.echo(
        f"{summary.games} games, {summary.predictions} rows stored (predictions and inverses; {models}); "
        f"models {summary.model_ms:.0f} ms, writing {summary.write_ms:.0f} ms"
    )


def verify_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Grade every prediction (and inverse) whose game has a result; each is graded once."""
    from tools.context import bind
    from tools.predictions import verify

    with bind(tool_context(ctx)):
        summary = verify()
    if as_json:
        print_json(summary.model_dump())
    else:
        typer.echo(f"{summary.graded} predictions graded")


def adjust(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Today's verdict per model, sport and market: use (ORIGINAL), fade (INVERSE) or AVOID."""
    from services.model_records import adjust as run_adjust

    summary = run_adjust(tool_context(ctx))
    if as_json:
        print_json(summary.model_dump(mode="json"))
        return
    actions = (
        ", ".join(f"{action} {n}" for action, n in sorted(summary.by_action.items()))
        or "no graded record yet"
    )
    typer.echo(f"{summary.day}: {summary.adjustments} adjustments ({actions})")


def _show_comparison(rows: list[Any]) -> None:
    table = Table(
        "sport", "market", "model", "n", "accuracy (95%)", "inverse", "Brier", "ROI", "CLV", "verdict"
    )

    def pct(value: float | None) -> str:
        return percent(value, missing="")

    for r in rows:
        interval = (
            "" if r.accuracy is None else f"{pct(r.accuracy)} ({pct(r.accuracy_low)}-{pct(r.accuracy_high)})"
        )
        brier = "" if r.brier is None else f"{r.brier:.4f}"
        verdict = f"{r.recommendation} x{r.multiplier:.2f}"
        sport_name = r.sport.split("_")[-1]
        table.add_row(
            sport_name, r.market, r.model, f"{r.n:g}", interval, pct(r.inverse_accuracy), brier, pct(r.roi),
            pct(r.clv), verdict,
        )  # fmt: skip
    Console().print(table if rows else "no graded predictions in this window")


COMPARE = ToolCommand(
    tool="compare_models",
    help="The model comparison: accuracy and its interval, inverse accuracy, Brier, ROI, CLV, the verdict.",
    show=_show_comparison,
    fields=(
        Field("sport", help="nba, nfl, mlb, nhl or epl (or an Odds API key); default: all five."),
        Field("days"),
        Field("market", help="h2h, spreads or totals."),
    ),
)
