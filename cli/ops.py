"""Running Benny: the chat app (`benny run`), the live loop (`scheduler`, `jobs`, `replay`), the Odds
API credits (`credits`) and the MCP server (`mcp`)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from cli.benny import print_dashboard
from cli.common import (
    JsonOpt,
    busy,
    engine_of,
    exit_for,
    migrated_engine,
    print_json,
    progress_bar,
    settings_of,
)
from cli.tool_commands import Field, ToolCommand
from core.errors import InvalidInput

APP_FILE = Path(__file__).resolve().parents[1] / "app.py"


def run(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (1 to 65535).")] = 8000,
) -> None:
    """Start the chat app (Chainlit) at http://HOST:PORT after upgrading the database.

    Runs until stopped (Ctrl-C or SIGTERM), then exits 0. Refused in one line: a port outside 1 to
    65535 or a host it cannot listen on (status 2), a port in use or a database it cannot open (1).
    An app that stops without being asked to exits non-zero.
    """
    if not 1 <= port <= 65535:
        raise InvalidInput(f"--port must be between 1 and 65535, got {port}")
    settings = settings_of(ctx)
    check_listen(host, port)
    # A database that cannot be opened or is corrupt stops it here, in one line. The app opens its
    # own connections: none is kept here for as long as it runs.
    migrated_engine(ctx).dispose()
    env = dict(os.environ)
    # The app runs from its own folder (for .chainlit/ and chainlit.md): pin the data folder first.
    env["BENNY_HOME"] = str(settings.home.resolve())
    # Chainlit would take DATABASE_URL for its own data layer: Benny's goes under its own name.
    env.pop("DATABASE_URL", None)
    env["BENNY_DATABASE_URL"] = (
        settings.database_url or f"sqlite:///{(settings.home.resolve() / 'benny.db').as_posix()}"
    )
    command = [
        sys.executable,
        "-m",
        "chainlit",
        "run",
        str(APP_FILE),
        "--headless",
        "--host",
        host,
        "--port",
        str(port),
    ]
    typer.echo(
        f"Benny is starting at http://{host}:{port} (feed: {settings.feed_mode}, brain: {settings.llm_mode})"
    )
    raise typer.Exit(serve_until_stopped(command, cwd=APP_FILE.parent, env=env))


def check_listen(host: str, port: int) -> None:
    """Refuse, in one line, an address the app could not listen on, before anything starts.

    Chainlit reports a failed bind in its log and then exits 0, as if stopped; asking first gives
    the reason plainly. (Another process may still take the port in between:
    ``serve_until_stopped`` catches that.)
    """
    import errno
    import socket

    from core.errors import Busy

    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise InvalidInput(f"--host {host!r} is not an address to listen on: {exc.strerror}") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: TIME_WAIT is fine
        try:
            probe.bind(address)
        except OSError as exc:
            reason = f"cannot listen on {host}:{port}: {(exc.strerror or str(exc)).lower()}"
            if exc.errno == errno.EADDRINUSE:
                raise Busy(f"{reason} (another process has it; pick another --port)") from None
            raise InvalidInput(reason) from None


def serve_until_stopped(command: list[str], *, cwd: Path, env: dict[str, str]) -> int:
    """Run the server as a child process until it is stopped; the exit status for `benny run`.

    A process manager signals this process alone: SIGTERM and SIGHUP are passed on, so the app
    shuts down gracefully, and its status is ours. A server runs until it is told to stop, so one
    that exits without being told has failed, whatever its status: Chainlit exits 0 when it
    could not bind, for one.
    """
    import signal

    stopping: list[int] = []
    child = subprocess.Popen(command, cwd=cwd, env=env)

    def forward(signum: int, _frame: object) -> None:
        stopping.append(signum)
        child.send_signal(signum)

    previous = {sig: signal.signal(sig, forward) for sig in (signal.SIGTERM, signal.SIGHUP)}
    try:
        code = child.wait()
    except KeyboardInterrupt:  # Ctrl-C reached the app too (same process group); let it finish
        child.wait()
        return 0
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    status = 128 - code if code < 0 else code  # killed by a signal: the shell's 128 + its number
    if stopping:
        return status
    typer.echo(f"error: the app stopped without being asked to (status {code}); its log is above", err=True)
    return status or 1


def replay_cmd(
    start: Annotated[
        str,
        typer.Option(
            "--start",
            help="First day of the replay (YYYY-MM-DD); never the wall clock. The warm-up and the "
            "days must fall within the simulated seasons, 1990 to 2100.",
        ),
    ] = "2025-09-15",
    days: Annotated[int, typer.Option("--days", help="Days of the live loop to run (1 to 730).")] = 60,
    warmup_days: Annotated[
        int, typer.Option("--warmup-days", help="Days of simulated history stored first, for the models.")
    ] = 365,
    seed: Annotated[int, typer.Option("--seed", help="The simulated world's seed.")] = 1,
    db: Annotated[
        str | None,
        typer.Option("--db", help="Keep the replay in this database URL (default: a scratch one)."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """The live loop on the simulated sportsbook with a fast clock: a year of history, then day by day."""
    from core.clock import parse_instant
    from live.replay import replay
    from live.replay_setup import summary_json

    first = parse_instant(start).date()
    if as_json:
        report = replay(start=first, days=days, warmup_days=warmup_days, seed=seed, database_url=db)
        print_json(summary_json(report))
        return
    with progress_bar() as progress:
        task = progress.add_task("warming up", total=None)

        def show(stage: str, done: int, total: int) -> None:
            progress.update(task, description=stage, completed=done, total=total)

        report = replay(
            start=first, days=days, warmup_days=warmup_days, seed=seed, database_url=db, progress=show
        )
    typer.echo(
        f"replayed {report.days} days from {report.start} (seed {report.seed}) after "
        f"{report.warmup_days} days of history ({report.warmup_games} games) in "
        f"{report.seconds.get('total', 0):.1f} s"
    )
    print_dashboard(report.dashboard)
    broken = [name for name, ok in report.invariants.items() if not ok]
    typer.echo("invariants: all hold" if not broken else f"invariants BROKEN: {', '.join(broken)}")
    if broken:
        raise typer.Exit(1)


def _show_credits(report: Any) -> None:
    left = "unknown until the first call" if report.remaining is None else f"{report.remaining} left"
    typer.echo(f"feed {report.feed}: {left}; {report.used or 0} used this period")
    typer.echo(
        f"period {report.period_start:%Y-%m-%d} to {report.period_end:%Y-%m-%d}; "
        f"budget {report.monthly_budget}, "
        f"{report.allowance} may still be spent, {report.closing_reserve} kept for closing lines"
    )
    typer.echo(
        f"a five-league odds sweep costs {report.sweep_cost}: {report.sweeps_affordable} more sweeps "
        f"({report.sweeps_per_day} a day)"
    )


CREDITS = ToolCommand(
    tool="api_credits",
    help="The Odds API credits left this month and the plan for the rest of it.",
    show=_show_credits,
)


def scheduler_cmd(
    ctx: typer.Context,
    once: Annotated[
        str | None,
        typer.Option(
            "--once",
            help="Run this one job now through the job history, then exit (see `benny jobs`): "
            "1 when a run failed, 3 when one was partial.",
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --once: print the runs (the job and its chain) as JSON.")
    ] = False,
) -> None:
    """Run the live loop as its own process: every job on its schedule until stopped (Ctrl-C or SIGTERM).

    One process runs the scheduler per database (a lock); a second one waits on standby and takes
    over when the first stops. Set BENNY_SCHEDULER=false on the app processes when this runs.

    With --once the exit status follows the runs (the job and its chain): 1 when one failed
    (e.g. every request of a collection), 3 when one was partial (some sports failed), else 0.
    """
    import asyncio
    import signal

    from live.logs import configure_logging
    from live.scheduler import LiveLoop
    from services.schedule import schedule
    from services.setup import prepare_database

    if as_json and once is None:
        raise InvalidInput(
            "--json reports one run: give it with --once JOB (for JSON logs, BENNY_LOG_FORMAT=json)"
        )
    settings = settings_of(ctx)
    engine = prepare_database(settings, engine_of(ctx))
    loop = LiveLoop(settings, engine)
    if once is not None:
        names = [j.name for j in schedule(settings)]
        if once not in names:
            raise InvalidInput(f"no job {once!r}; the jobs are {', '.join(names)}")
        with busy(f"running the job {once} (and what is chained after it)", quiet=as_json):
            results = loop.run_once(once)
        if as_json:
            print_json([dataclasses.asdict(r) for r in results])
        else:
            for r in results:
                typer.echo(f"{r.job}: {r.status} in {r.seconds:.1f} s" + (f" ({r.error})" if r.error else ""))
        exit_for(r.status for r in results)
        return
    configure_logging(settings)

    async def serve() -> None:
        stop = asyncio.Event()
        running = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            running.add_signal_handler(sig, stop.set)
        await loop.run(stop)

    typer.echo(f"scheduler starting ({len(loop.jobs)} jobs; stop with Ctrl-C)", err=True)
    asyncio.run(serve())


def mcp_cmd(ctx: typer.Context) -> None:
    """Serve Benny's tools over the Model Context Protocol on stdio (for Claude Desktop, IDE assistants).

    The user comes from BENNY_TOKEN (`benny users token NAME`); without it, only shared data
    (odds, predictions, the model comparison, odds math) is served. See docs/MCP.md.
    """
    from web.mcp_server import serve_mcp

    serve_mcp(settings_of(ctx))


def _show_jobs(status: Any) -> None:
    sched = status.scheduler
    if sched.alive:
        typer.echo(f"scheduler: running in {sched.runner} since {sched.since:%Y-%m-%d %H:%M} UTC")
    else:
        seen = f"; last heartbeat {sched.last_beat:%Y-%m-%d %H:%M} UTC" if sched.last_beat else ""
        typer.echo(f"scheduler: not running{seen} (start it: benny run, or benny scheduler)")
    table = Table("job", "when", "next run (UTC)", "last run", "status", "seconds")
    for job in status.jobs:
        last = job.last_run
        table.add_row(
            job.name, job.when, "-" if job.next_run is None else f"{job.next_run:%m-%d %H:%M}",
            "-" if last is None else f"{last.started_at:%m-%d %H:%M}", "-" if last is None else last.status,
            "-" if last is None or last.seconds is None else f"{last.seconds:.1f}",
        )  # fmt: skip
    Console().print(table)
    if status.recent:
        runs = Table("started (UTC)", "job", "trigger", "status", "seconds", "error")
        for run in status.recent:
            runs.add_row(
                f"{run.started_at:%m-%d %H:%M:%S}", run.job, run.trigger, run.status,
                "-" if run.seconds is None else f"{run.seconds:.1f}", (run.error or "")[:60],
            )  # fmt: skip
        Console().print(runs)


JOBS = ToolCommand(
    tool="system_status",
    help="The scheduled jobs with their triggers, last and next runs, and the newest runs.",
    show=_show_jobs,
    fields=(Field("recent", help="How many of the newest runs to list (0 to 100)."),),
)
