"""History files: `benny import` stores them; `benny evaluate` replays them to score every model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.common import JsonOpt, print_json, progress_bar, tool_context
from core.errors import InvalidInput


def import_cmd(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="History files (CSV).", show_default=False)],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help="football_data, sbr, nflverse or kaggle_nba (default: from the header)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import odds-and-results history files; importing a file twice adds nothing."""
    from services.history_import import import_history

    run = tool_context(ctx)
    if as_json:
        summary = import_history(run, paths, fmt=fmt)
        print_json(summary.model_dump(include={"files", "games", "snapshots", "outcomes"}))
        return
    with progress_bar() as progress:  # on stderr: the table below is the report
        tasks: dict[str, Any] = {}

        def report(path: str, done: int, total: int) -> None:
            if path not in tasks:
                tasks[path] = progress.add_task(Path(path).name, total=total)
            progress.update(tasks[path], completed=done)

        summary = import_history(run, paths, fmt=fmt, progress=report)
    table = Table("file", "format", "new games", "snapshots", "results", "rows skipped")
    for f in summary.per_file:
        table.add_row(
            Path(f.path).name, f.format, str(f.games), str(f.snapshots), str(f.outcomes), str(f.rows_skipped)
        )
    Console().print(table)
    typer.echo(
        f"{summary.files} files: {summary.games} new games, "
        f"{summary.snapshots} snapshots, {summary.outcomes} results"
    )


def evaluate(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="History files (any format `benny import` reads).")],
    score_from: Annotated[
        str | None,
        typer.Option(
            "--score-from", help="Score games from this date (YYYY-MM-DD); earlier ones are history."
        ),
    ] = None,
    fmt: Annotated[str | None, typer.Option("--format", help="Force the file format.")] = None,
    as_json: JsonOpt = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Print the tables as Markdown (as in docs/EVALUATION.md).")
    ] = False,
) -> None:
    """Replay history files through the live analysis and grading in a scratch database; score every model."""
    from core.clock import parse_instant
    from services.evaluate import evaluate as run_evaluation

    since = parse_instant(score_from) if score_from else None
    if as_json and markdown:
        raise InvalidInput("choose one of --json and --markdown")
    if as_json:
        report = run_evaluation(paths, score_from=since, fmt=fmt)
        print_json(report.model_dump(mode="json", exclude={"moments", "refits"}))
        return
    with progress_bar() as progress:
        task = progress.add_task("replaying", total=None)
        report = run_evaluation(
            paths,
            score_from=since,
            fmt=fmt,
            progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    if markdown:
        from presentation.evaluation_tables import markdown_tables

        typer.echo(markdown_tables(report), nl=False)
        return
    typer.echo(
        f"{report.scored_games} games scored ({report.moments} moments replayed, {report.refits} refits)"
    )
    _print_scores(report)


def _print_scores(report: Any) -> None:
    table = Table(
        "market", "model", "n", "coverage", "shift", "accuracy", "Brier", "vs ens. ± SE", "log loss", "ECE",
        "ROI", "CLV",
    )  # fmt: skip

    def num(value: float | None, digits: int = 4) -> str:
        return "" if value is None else f"{value:.{digits}f}"

    for market, score in sorted(report.market.items()):
        table.add_row(
            market,
            "market (close)",
            str(score.n),
            "",
            "",
            "",
            num(score.brier),
            "",
            num(score.log_loss),
            num(score.ece),
            "",
            "",
        )
        for m in (m for m in report.models if m.market == market):
            cells = [
                num(m.coverage, 3),
                num(m.mean_abs_shift),
                num(m.accuracy, 3),
                num(m.brier),
                ""
                if m.brier_vs_ensemble is None or m.bootstrap_se is None
                else f"{m.brier_vs_ensemble:+.5f} ± {m.bootstrap_se:.5f}",
                num(m.log_loss),
            ]
            table.add_row("", m.model, str(m.n), *cells, num(m.ece), num(m.roi, 3), num(m.clv, 3))
    Console().print(table)
