"""Collecting the market (`benny collect odds|scores|injuries|stats`) and reading its board (`benny odds`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.common import EXIT_HELP, JsonOpt, SportOpt, busy, exit_for, print_json, tool_context
from cli.tool_commands import Field, ToolCommand
from core.errors import InvalidInput

collect_app = typer.Typer(
    help="Collect odds, results, injuries or box scores (one transaction per sport).",
    epilog=EXIT_HELP,
    no_args_is_help=True,
)

SourceOpt = Annotated[str | None, typer.Option("--source", help="sim or oddsapi (default: the feed mode).")]
StatsSourceOpt = Annotated[
    str | None, typer.Option("--source", help="sim or espn (default: espn with a live feed, else sim).")
]


def _show_board(board: Any) -> None:
    from rich.markdown import Markdown

    from presentation.render import odds_board

    Console().print(Markdown(odds_board(board.model_dump(mode="json"))))


ODDS = ToolCommand(
    tool="get_odds",
    help="The odds board: upcoming games with the best price per side and its book.",
    show=_show_board,
    fields=(
        Field("sport", help="nba, nfl, mlb, nhl or epl."),
        Field("hours", help="How far ahead to look, in hours."),
    ),
    user=True,
    prepare=False,  # reading the board never makes the user 'local': `benny init` does
)


def _collect(what: str, sport: str | None, as_json: bool, call: Callable[[], Any]) -> None:
    """Run one collection with a spinner (one call per sport, five leagues by default), report it,
    and exit 1 when every sport tried failed, 3 when some did."""
    where = "all five leagues" if sport is None else sport
    with busy(f"collecting {what} for {where}", quiet=as_json):
        summary = call()
    _print_collect(summary, as_json)
    exit_for([summary.status])


def _print_collect(summary: Any, as_json: bool) -> None:
    if as_json:
        print_json(summary.model_dump(mode="json"))
        return
    table = Table(
        "sport", "status", "games", "snapshots", "results", "injuries", "stats", "credits left", "note"
    )
    for run in summary.runs:
        table.add_row(
            run.sport,
            run.status,
            str(run.games),
            str(run.snapshots),
            str(run.results),
            str(run.injuries),
            str(run.team_stats + run.player_stats),
            "" if run.credits_remaining is None else str(run.credits_remaining),
            run.message,
        )
    Console().print(f"{summary.kind} from {summary.source}: {summary.status}")
    Console().print(table)


@collect_app.command("odds", epilog=EXIT_HELP)
def collect_odds_cmd(
    ctx: typer.Context,
    sport: SportOpt = None,
    source: SourceOpt = None,
    closing: Annotated[
        bool,
        typer.Option(
            "--closing",
            help="Only games with predictions or bets starting within the hour, at closing priority.",
        ),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Odds (h2h, spreads, totals) from the feed; paid calls go through the credit budget."""
    from services.collect import collect_closing, collect_odds

    run = tool_context(ctx)
    if closing:
        if sport is not None:
            raise InvalidInput("--closing covers every sport with games due; leave out --sport")
        _collect("closing lines", None, as_json, lambda: collect_closing(run, source=source))
    else:
        _collect("odds", sport, as_json, lambda: collect_odds(run, sport=sport, source=source))


@collect_app.command("scores", epilog=EXIT_HELP)
def collect_scores_cmd(
    ctx: typer.Context,
    sport: SportOpt = None,
    source: SourceOpt = None,
    days: Annotated[int, typer.Option("--days", help="Days back to ask for (1-3).")] = 3,
    as_json: JsonOpt = False,
) -> None:
    """Completed games of the last days: each result stored once."""
    from services.collect import collect_scores

    run = tool_context(ctx)
    _collect(
        "results", sport, as_json, lambda: collect_scores(run, sport=sport, source=source, days_from=days)
    )


@collect_app.command("injuries", epilog=EXIT_HELP)
def collect_injuries_cmd(
    ctx: typer.Context, sport: SportOpt = None, source: StatsSourceOpt = None, as_json: JsonOpt = False
) -> None:
    """Every team's injury report."""
    from services.collect import collect_injuries

    run = tool_context(ctx)
    _collect("injury reports", sport, as_json, lambda: collect_injuries(run, sport=sport, source=source))


@collect_app.command("stats", epilog=EXIT_HELP)
def collect_stats_cmd(
    ctx: typer.Context,
    sport: SportOpt = None,
    source: StatsSourceOpt = None,
    day: Annotated[
        str | None, typer.Option("--date", help="The day (YYYY-MM-DD); default yesterday.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Box scores of a day's finished games: team stats, and player lines for the NBA and NFL."""
    from core.clock import parse_instant
    from services.collect import collect_stats

    run = tool_context(ctx)
    when = parse_instant(day) if day else None
    _collect("box scores", sport, as_json, lambda: collect_stats(run, sport=sport, source=source, day=when))
