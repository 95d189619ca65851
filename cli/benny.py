"""Benny himself: ask him (`benny chat`), his daily run (`trade`, `settle`) and his record (`dashboard`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.common import LOCAL, JsonOpt, UserOpt, busy, print_json, spark, tool_context
from cli.tool_commands import ToolCommand
from core.errors import InvalidInput
from core.formatting import american, signed_percent, signed_usd, usd, with_line


def chat_cmd(
    ctx: typer.Context,
    message: Annotated[str, typer.Argument(help='What to ask Benny, e.g. "NBA odds".')],
    user: UserOpt = LOCAL,
    as_json: JsonOpt = False,
) -> None:
    """Ask Benny one question in the terminal, through the same agent as the browser chat."""
    from rich.markdown import Markdown

    from agent.graph import ask, build_graph
    from agent.runtime import brain_for
    from agent.state import text_of, tool_uses

    context = tool_context(ctx, user)
    with busy("Benny is thinking", quiet=as_json):
        turn = ask(build_graph(brain_for(context.settings)), message, context)
    answer = text_of(turn[-1])
    calls = [c for m in turn for c in tool_uses(m)]
    if as_json:
        print_json({"answer": answer, "tools": [{"name": c["name"], "input": c["input"]} for c in calls]})
        return
    console = Console()
    for call in calls:
        console.print(f"[dim]· {call['name']}({json.dumps(call['input'])})[/dim]")
    console.print(Markdown(answer))


def trade_cmd(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Decide and show the bets without storing any.")
    ] = False,
    picks: Annotated[
        Path | None,
        typer.Option(
            "--picks",
            help="Stake these picks (a JSON file shaped like the analyst's submit_picks input) "
            "instead of asking the analyst; the staking engine still decides.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Benny's daily run: dossiers for the next 24 h, the analyst's picks, half-Kelly stakes, bets stored."""
    from live.jobs import job_trade

    analyst = None
    if picks is not None:
        try:
            payload = json.loads(picks.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidInput(f"cannot read picks from {picks}: {exc}") from None
        analyst = lambda _dossiers: payload  # noqa: E731
    with busy("studying the next 24 hours' games, then staking the picks", quiet=as_json):
        summary = job_trade(tool_context(ctx), dry_run=dry_run, analyst=analyst)
    if as_json:
        print_json(summary.model_dump(mode="json"))
        return
    mode = " (dry run: nothing stored)" if summary.dry_run else ""
    typer.echo(
        f"{summary.as_of:%Y-%m-%d %H:%M} UTC, {summary.week}: {summary.games} games, "
        f"{summary.proposals} proposals from the {summary.analyst} analyst, {len(summary.bets)} bets{mode}"
    )
    if summary.bets:
        table = Table("game", "market", "pick", "odds", "book", "stake", "p", "blended", "edge")
        for b in summary.bets:
            table.add_row(
                b.matchup, b.market, with_line(b.label, b.market, b.point), american(b.odds_american), b.book,
                usd(b.stake_usd), f"{b.probability:.3f}", f"{b.blended_probability:.3f}",
                f"{b.edge:+.3f}",
            )  # fmt: skip
        Console().print(table)
    for r in summary.refused[:20]:
        typer.echo(f"  no bet: {r.game_id} {r.market} {r.side}: {r.reason}")
    if len(summary.refused) > 20:
        typer.echo(f"  ... and {len(summary.refused) - 20} more refused")
    typer.echo(f"weekly budget left: {usd(summary.remaining_budget_usd)}")


def settle_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Settle Benny's bets whose games have finished (each exactly once), with CLV and a post-mortem."""
    from live.jobs import job_settle

    summary = job_settle(tool_context(ctx))
    if as_json:
        print_json(summary.model_dump(mode="json"))
        return
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_status.items())) or "nothing due"
    typer.echo(f"{summary.settled} bets settled ({statuses}); P&L {signed_usd(summary.pnl_usd)}")


def print_dashboard(board: Any) -> None:
    """The dashboard as terminal tables, with the bankroll as a sparkline."""
    console = Console()
    o = board.overall
    console.print(
        f"bets {board.bets} (settled {board.settled}, pending {board.pending}) · bankroll "
        f"{signed_usd(board.bankroll_usd)} · ROI {_pct(o.roi)} · win rate {_pct(o.win_rate)} · "
        f"units {o.units:+.2f} · "
        f"CLV {_pct(o.clv)} · Sharpe {o.sharpe if o.sharpe is not None else '-'} · "
        f"max drawdown {usd(o.max_drawdown_usd)}"
    )
    if not board.bets:
        console.print("no bets yet: Benny bets only where the staking engine finds an edge")
        return
    if board.bankroll:
        console.print("bankroll " + spark([p.bankroll_usd for p in board.bankroll]))
    for title, groups in (("sport", board.by_sport), ("market", board.by_market)):
        table = Table(title, "bets", "staked", "P&L", "ROI", "win rate", "CLV")
        for g in groups:
            table.add_row(
                g.key, str(g.bets), usd(g.staked_usd), signed_usd(g.pnl_usd), _pct(g.roi),
                _pct(g.win_rate), _pct(g.clv),
            )  # fmt: skip
        console.print(table)
    weeks = Table("week", "staked", "P&L", "lowest budget left", "ROI")
    for w in board.by_week:
        weeks.add_row(w.week, usd(w.staked_usd), signed_usd(w.pnl_usd), usd(w.min_balance_usd), _pct(w.roi))
    console.print(weeks)
    baselines = Table("bettor", "bets", "P&L", "ROI")
    baselines.add_row("benny", str(o.bets), signed_usd(o.pnl_usd), _pct(o.roi))
    for name, b in board.baselines.items():
        baselines.add_row(name, str(b.bets), signed_usd(b.pnl_usd), _pct(b.roi))
    console.print(baselines)


def _pct(value: float | None) -> str:
    return signed_percent(value, missing="-")


DASHBOARD = ToolCommand(
    tool="benny_dashboard",
    help="Benny's record: bankroll, P&L, ROI, CLV, drawdown by sport, market and week, beside the baselines.",
    show=print_dashboard,
)
