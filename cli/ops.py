"""The `benny` command: Benny's second face, beside the Chainlit app.

Every command reads the settings once here and passes them down. Errors a user can fix (bad
input, an unknown user, a malformed DATABASE_URL) print one line and exit with status 2.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from core.errors import BennyError, ConfigError, InvalidInput, NotFound
from core.settings import Settings, load_settings

APP_FILE = Path(__file__).resolve().parents[1] / "app.py"


class BennyGroup(TyperGroup):
    """Turns Benny's own errors into one line on stderr and exit status 2, anywhere below it."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (InvalidInput, NotFound, ConfigError) as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        except BennyError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=BennyGroup,
    help="Benny: sports-betting analytics and a paper-trading agent. Offline by default.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="The database schema (Alembic migrations).", no_args_is_help=True)
users_app = typer.Typer(help="Users: everything per user is scoped by one of them.", no_args_is_help=True)
collect_app = typer.Typer(
    help="Collect odds, results, injuries or box scores (one transaction per sport).", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(collect_app, name="collect")
models_app = typer.Typer(
    help="Your own models: five data sources weighted your way, built in plain language.",
    no_args_is_help=True,
)
app.add_typer(models_app, name="models")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print a machine-readable JSON summary.")]
UserOpt = Annotated[str, typer.Option("--user", help="An existing user (see `benny users list`).")]
SportOpt = Annotated[
    str | None,
    typer.Option("--sport", help="nba, nfl, mlb, nhl or epl (or an Odds API key); default: all five."),
]


def _settings(ctx: typer.Context) -> Settings:
    settings: Settings = ctx.obj["settings"]
    return settings


def _engine(ctx: typer.Context) -> Any:
    from store.db import make_engine

    if "engine" not in ctx.obj:
        ctx.obj["engine"] = make_engine(_settings(ctx).resolved_database_url)
        ctx.call_on_close(ctx.obj["engine"].dispose)
    return ctx.obj["engine"]


def _migrated_engine(ctx: typer.Context) -> Any:
    from store import migrate

    engine = _engine(ctx)
    migrate.upgrade(engine)
    return engine


def _print_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, default=str))


# Long work shows its progress on stderr, transient, and never under --json: stdout stays the report.


def _busy(description: str, *, quiet: bool) -> contextlib.AbstractContextManager[Any]:
    """A spinner with a description while one long call runs (one call: nothing to count)."""
    if quiet:
        return contextlib.nullcontext()
    return Console(stderr=True).status(description)


def _progress_bar() -> Any:
    """A bar per task, for work that reports how far it has got."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    return Progress(*columns, transient=True, console=Console(stderr=True))


@app.callback()
def main_callback(ctx: typer.Context) -> None:
    """Benny: odds, ten models, graded predictions, and Benny, an agent that paper-trades $100 a week.

    Works offline by default (a simulated feed and an offline brain); ODDS_API_KEY and
    ANTHROPIC_API_KEY switch to the real services. See README.md for every setting.
    """
    ctx.ensure_object(dict)
    ctx.obj["settings"] = load_settings()


@app.command()
def init(
    ctx: typer.Context,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Also collect from the simulated sportsbook: odds, results, injuries."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Create or upgrade the database and the user 'local'; with --demo, fill it from the simulated book."""
    from services.demo import seed_demo
    from store.db import unit_of_work
    from store.users import LOCAL_USER, ensure_user
    from tools.context import open_context

    settings = _settings(ctx)
    engine = _migrated_engine(ctx)
    clock = settings.clock()
    with unit_of_work(engine) as session:
        ensure_user(session=session, name=LOCAL_USER, now=clock())
    summary: dict[str, Any] = {"database": _redacted_url(settings), "user": LOCAL_USER}
    if demo:
        with _busy("collecting odds, results and injuries from the simulated sportsbook", quiet=as_json):
            seeded = seed_demo(open_context(settings=settings, engine=engine, clock=clock))
        summary["demo"] = seeded.model_dump()
    if as_json:
        _print_json(summary)
        return
    typer.echo(f"database ready: {summary['database']} (user '{LOCAL_USER}')")
    if demo:
        typer.echo(
            f"simulated book: {seeded.games} new games, {seeded.snapshots} new odds snapshots, "
            f"{seeded.results} new results, {seeded.injuries} injury reports"
        )


def _redacted_url(settings: Settings) -> str:
    from store.db import redacted_url

    return redacted_url(settings.resolved_database_url)


@app.command()
def run(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
) -> None:
    """Start the chat app (Chainlit) at http://HOST:PORT after upgrading the database."""
    settings = _settings(ctx)
    _migrated_engine(ctx)
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
    import signal

    child = subprocess.Popen(command, cwd=APP_FILE.parent, env=env)

    def forward(signum: int, _frame: object) -> None:
        # A process manager signals this process alone: pass it on so the app shuts down gracefully.
        child.send_signal(signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, forward)
    try:
        code = child.wait()
    except KeyboardInterrupt:  # Ctrl-C reached the app too (same process group); let it finish
        child.wait()
        raise typer.Exit(0) from None
    raise typer.Exit(code)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Apply every pending migration (safe to run at any time; it never loses data)."""
    from store import migrate

    engine = _engine(ctx)
    before = migrate.current_revision(engine)
    migrate.upgrade(engine)
    after = migrate.current_revision(engine)
    if as_json:
        _print_json({"from": before, "to": after})
    else:
        typer.echo(f"database at revision {after} (was {before or 'empty'})")


@db_app.command("current")
def db_current(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show the database's revision and the newest one this code knows."""
    from store import migrate

    engine = _engine(ctx)
    payload = {"current": migrate.current_revision(engine), "head": migrate.head_revision()}
    if as_json:
        _print_json(payload)
    else:
        typer.echo(f"current {payload['current'] or 'empty'}, head {payload['head']}")


@users_app.command("create")
def users_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The new user's name.")],
    password: Annotated[
        bool,
        typer.Option(
            "--password", help="Ask for a password (hidden, twice): the user can log in to the chat."
        ),
    ] = False,
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from the first line of stdin (scripts)."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Create a user; with a password, the user can log in to the chat (BENNY_AUTH=1)."""
    from core.passwords import hash_password
    from store.db import unit_of_work
    from store.users import create_user, validate_name

    if password and password_stdin:
        raise InvalidInput("give --password or --password-stdin, not both")
    validate_name(name)
    secret: str | None = None
    if password_stdin:
        secret = sys.stdin.readline().rstrip("\r\n")
    elif password:
        secret = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if secret is not None and not secret:
        raise InvalidInput("the password must not be empty")
    password_hash = hash_password(secret) if secret is not None else None
    engine = _migrated_engine(ctx)
    with unit_of_work(engine) as session:
        user = create_user(
            session=session, name=name, now=_settings(ctx).clock()(), password_hash=password_hash
        )
        payload = {
            "id": user.id,
            "name": user.name,
            "created_at": user.created_at.isoformat(),
            "can_log_in": password_hash is not None,
        }
    if as_json:
        _print_json(payload)
    else:
        typer.echo(f"created user '{name}'" + (" (can log in to the chat)" if password_hash else ""))


@users_app.command("list")
def users_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List the users."""
    from store.db import unit_of_work
    from store.users import list_users

    engine = _migrated_engine(ctx)
    with unit_of_work(engine) as session:
        rows = [
            {"id": u.id, "name": u.name, "created_at": u.created_at.isoformat()}
            for u in list_users(session=session)
        ]
    if as_json:
        _print_json(rows)
        return
    table = Table("id", "name", "created (UTC)")
    for row in rows:
        table.add_row(str(row["id"]), str(row["name"]), str(row["created_at"])[:16].replace("T", " "))
    Console().print(table)


@users_app.command("token")
def users_token(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="An existing user.")],
    as_json: JsonOpt = False,
) -> None:
    """Make an API token for a user (REST API and MCP); it is shown this once, then kept only as a hash."""
    from services.tokens import issue_token

    settings = _settings(ctx)
    issued = issue_token(engine=_migrated_engine(ctx), user=name, now=settings.clock()())
    if as_json:
        _print_json(issued.model_dump(mode="json"))
        return
    typer.echo(issued.token)
    typer.echo(
        f"API token for {issued.user}: send it as 'Authorization: Bearer <token>'. It is not shown again; "
        f"`benny users revoke {issued.user}` cancels it.",
        err=True,
    )


@users_app.command("revoke")
def users_revoke(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="An existing user.")],
    as_json: JsonOpt = False,
) -> None:
    """Revoke every API token of a user at once."""
    from services.tokens import revoke_user_tokens

    settings = _settings(ctx)
    count = revoke_user_tokens(engine=_migrated_engine(ctx), user=name, now=settings.clock()())
    if as_json:
        _print_json({"user": name, "revoked": count})
        return
    typer.echo(f"{count} token{'s' if count != 1 else ''} of {name} revoked")


@app.command()
def odds(
    ctx: typer.Context,
    sport: Annotated[str, typer.Option(help="nba, nfl, mlb, nhl or epl.")] = "nba",
    hours: Annotated[int, typer.Option(help="How far ahead to look, in hours.")] = 36,
    user: UserOpt = "local",
    as_json: JsonOpt = False,
) -> None:
    """The odds board: upcoming games with the best price per side and its book."""
    from presentation.render import odds_board
    from tools.context import bind, open_context
    from tools.games import get_odds

    settings = _settings(ctx)
    context = open_context(user=user, settings=settings, engine=_migrated_engine(ctx))
    with bind(context):
        board = get_odds(sport=sport, hours=hours)
    if as_json:
        _print_json(board.model_dump(mode="json"))
        return
    from rich.markdown import Markdown

    Console().print(Markdown(odds_board(board.model_dump(mode="json"))))


def _context(ctx: typer.Context, user: str = "local") -> Any:
    from services.setup import prepare_database
    from tools.context import open_context

    settings = _settings(ctx)
    return open_context(user=user, settings=settings, engine=prepare_database(settings, _engine(ctx)))


def _collect(what: str, sport: str | None, as_json: bool, call: Callable[[], Any]) -> None:
    """Run one collection with a spinner (one call per sport, five leagues by default), then report."""
    where = "all five leagues" if sport is None else sport
    with _busy(f"collecting {what} for {where}", quiet=as_json):
        summary = call()
    _print_collect(summary, as_json)


def _print_collect(summary: Any, as_json: bool) -> None:
    if as_json:
        _print_json(summary.model_dump(mode="json"))
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
    Console().print(f"{summary.kind} from {summary.source}")
    Console().print(table)


SourceOpt = Annotated[str | None, typer.Option("--source", help="sim or oddsapi (default: the feed mode).")]
StatsSourceOpt = Annotated[
    str | None, typer.Option("--source", help="sim or espn (default: espn with a live feed, else sim).")
]


@collect_app.command("odds")
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

    run = _context(ctx)
    if closing:
        if sport is not None:
            raise InvalidInput("--closing covers every sport with games due; leave out --sport")
        _collect("closing lines", None, as_json, lambda: collect_closing(run, source=source))
    else:
        _collect("odds", sport, as_json, lambda: collect_odds(run, sport=sport, source=source))


@collect_app.command("scores")
def collect_scores_cmd(
    ctx: typer.Context,
    sport: SportOpt = None,
    source: SourceOpt = None,
    days: Annotated[int, typer.Option("--days", help="Days back to ask for (1-3).")] = 3,
    as_json: JsonOpt = False,
) -> None:
    """Completed games of the last days: each result stored once."""
    from services.collect import collect_scores

    run = _context(ctx)
    _collect(
        "results", sport, as_json, lambda: collect_scores(run, sport=sport, source=source, days_from=days)
    )


@collect_app.command("injuries")
def collect_injuries_cmd(
    ctx: typer.Context, sport: SportOpt = None, source: StatsSourceOpt = None, as_json: JsonOpt = False
) -> None:
    """Every team's injury report."""
    from services.collect import collect_injuries

    run = _context(ctx)
    _collect("injury reports", sport, as_json, lambda: collect_injuries(run, sport=sport, source=source))


@collect_app.command("stats")
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

    run = _context(ctx)
    when = parse_instant(day) if day else None
    _collect("box scores", sport, as_json, lambda: collect_stats(run, sport=sport, source=source, day=when))


@app.command()
def analyze(
    ctx: typer.Context,
    sport: SportOpt = None,
    hours: Annotated[int, typer.Option(help="Games starting within this many hours.")] = 48,
    as_json: JsonOpt = False,
) -> None:
    """Run every model on every upcoming game; store each prediction with its inverse (one transaction)."""
    from tools.context import bind
    from tools.predictions import analyze as run_analysis

    with bind(_context(ctx)), _busy(f"running the models on the next {hours} hours' games", quiet=as_json):
        summary = run_analysis(sport=sport, hours=hours)
    if as_json:
        _print_json(summary.model_dump(mode="json"))
        return
    models = ", ".join(f"{name} {count}" for name, count in sorted(summary.by_model.items()))
    typer.echo(
        f"{summary.games} games, {summary.predictions} rows stored (predictions and inverses; {models}); "
        f"models {summary.model_ms:.0f} ms, writing {summary.write_ms:.0f} ms"
    )


@app.command("verify")
def verify_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Grade every prediction (and inverse) whose game has a result; each is graded once."""
    from tools.context import bind
    from tools.predictions import verify

    with bind(_context(ctx)):
        summary = verify()
    if as_json:
        _print_json(summary.model_dump())
    else:
        typer.echo(f"{summary.graded} predictions graded")


@app.command()
def adjust(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Today's verdict per model, sport and market: use (ORIGINAL), fade (INVERSE) or AVOID."""
    from services.model_records import adjust as run_adjust

    summary = run_adjust(_context(ctx))
    if as_json:
        _print_json(summary.model_dump(mode="json"))
        return
    actions = (
        ", ".join(f"{action} {n}" for action, n in sorted(summary.by_action.items()))
        or "no graded record yet"
    )
    typer.echo(f"{summary.day}: {summary.adjustments} adjustments ({actions})")


@app.command()
def compare(
    ctx: typer.Context,
    sport: SportOpt = None,
    days: Annotated[str, typer.Option("--days", help="The window: 7, 30, 90 or all.")] = "30",
    market: Annotated[str | None, typer.Option("--market", help="h2h, spreads or totals.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """The model comparison: accuracy and its interval, inverse accuracy, Brier, ROI, CLV, the verdict."""
    from tools.comparison import compare_models
    from tools.context import bind

    with bind(_context(ctx)):
        rows = compare_models(sport=sport, days=days, market=market)  # type: ignore[arg-type]
    if as_json:
        _print_json([r.model_dump(mode="json") for r in rows])
        return
    table = Table(
        "sport", "market", "model", "n", "accuracy (95%)", "inverse", "Brier", "ROI", "CLV", "verdict"
    )

    def pct(value: float | None) -> str:
        return "" if value is None else f"{100 * value:.1f}%"

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


@app.command()
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
        _print_json(report.model_dump(mode="json", exclude={"moments", "refits"}))
        return
    with _progress_bar() as progress:
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


@app.command("chat")
def chat_cmd(
    ctx: typer.Context,
    message: Annotated[str, typer.Argument(help='What to ask Benny, e.g. "NBA odds".')],
    user: UserOpt = "local",
    as_json: JsonOpt = False,
) -> None:
    """Ask Benny one question in the terminal, through the same agent as the browser chat."""
    from rich.markdown import Markdown

    from agent.graph import ask, build_graph
    from agent.runtime import brain_for
    from agent.state import text_of, tool_uses

    context = _context(ctx, user)
    with _busy("Benny is thinking", quiet=as_json):
        turn = ask(build_graph(brain_for(context.settings)), message, context)
    answer = text_of(turn[-1])
    calls = [c for m in turn for c in tool_uses(m)]
    if as_json:
        _print_json({"answer": answer, "tools": [{"name": c["name"], "input": c["input"]} for c in calls]})
        return
    console = Console()
    for call in calls:
        console.print(f"[dim]· {call['name']}({json.dumps(call['input'])})[/dim]")
    console.print(Markdown(answer))


TextOpt = Annotated[str, typer.Option("--text", help="The model or the change, in plain language.")]
YesOpt = Annotated[bool, typer.Option("--yes", help="Save without showing a preview first.")]


def _print_change(change: Any, as_json: bool) -> None:
    if as_json:
        _print_json(change.model_dump(mode="json"))
        return
    typer.echo(change.message)
    if change.unknown_words:
        typer.echo(f"not understood: {', '.join(change.unknown_words)}")
    if change.model is not None:
        _print_model(change.model)
    if not change.saved and change.action != "not_understood":
        typer.echo("(a preview: run again with --yes to save it)")


def _print_model(model: Any) -> None:
    table = Table("source", "weight")
    for source, weight in model.weights.items():
        table.add_row(source.replace("_", " "), f"{100 * weight:.0f}%")
    label = f"#{model.id}" if model.id else "(new)"
    typer.echo(
        f"{label} {model.name} [{model.status}] · {', '.join(model.sports)} · "
        f"{', '.join(model.markets)} · bets at >= {100 * model.min_confidence:.0f}%"
    )
    Console().print(table)


def _models_call(ctx: typer.Context, user: str, call: Any) -> Any:
    from tools.context import bind

    with bind(_context(ctx, user)):
        return call()


@models_app.command("create")
def models_create(
    ctx: typer.Context, text: TextOpt, user: UserOpt = "local", yes: YesOpt = False, as_json: JsonOpt = False
) -> None:
    """Build a model from plain language, e.g. --text "NBA: 40% recent form, 30% injuries, 30% movement"."""
    from tools.user_models import create_user_model

    _print_change(_models_call(ctx, user, lambda: create_user_model(text, confirm=yes)), as_json)


@models_app.command("update")
def models_update(
    ctx: typer.Context,
    model_id: Annotated[int, typer.Argument(help="The model's number (see `benny models list`).")],
    text: TextOpt,
    user: UserOpt = "local",
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Change a model in plain language, e.g. --text "make injuries 50%"."""
    from tools.user_models import show_user_model, update_user_model

    def change() -> Any:
        show_user_model(model_id)  # yours, or the same "no model" answer as an id that never was
        return update_user_model(f"model {model_id}: {text}", confirm=yes)

    _print_change(_models_call(ctx, user, change), as_json)


def _status_command(verb: str) -> Any:
    def command(
        ctx: typer.Context,
        model_id: Annotated[int, typer.Argument(help="The model's number (see `benny models list`).")],
        user: UserOpt = "local",
        as_json: JsonOpt = False,
    ) -> None:
        from tools.user_models import show_user_model, update_user_model

        def change() -> Any:
            show_user_model(model_id)
            return update_user_model(f"{verb} model {model_id}", confirm=True)

        _print_change(_models_call(ctx, user, change), as_json)

    command.__doc__ = f"{verb.title()} a model (paused models make no predictions)."
    return command


models_app.command("pause")(_status_command("pause"))
models_app.command("resume")(_status_command("resume"))


@models_app.command("delete")
def models_delete(
    ctx: typer.Context,
    model_id: Annotated[int, typer.Argument(help="The model's number (see `benny models list`).")],
    user: UserOpt = "local",
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Delete a model (its past predictions stay in the record)."""
    from tools.user_models import delete_user_model

    _print_change(_models_call(ctx, user, lambda: delete_user_model(model_id, confirm=yes)), as_json)


@models_app.command("list")
def models_list(ctx: typer.Context, user: UserOpt = "local", as_json: JsonOpt = False) -> None:
    """Your models (five at most)."""
    from tools.user_models import list_user_models

    models = _models_call(ctx, user, list_user_models)
    if as_json:
        _print_json([m.model_dump(mode="json") for m in models])
        return
    if not models:
        typer.echo('no models yet: benny models create --text "NBA: 60% recent form, 40% injuries"')
    for model in models:
        _print_model(model)


@models_app.command("backtest")
def models_backtest(
    ctx: typer.Context,
    model_id: Annotated[int, typer.Argument(help="The model's number (see `benny models list`).")],
    days: Annotated[int, typer.Option("--days", help="The whole window, ending now (7 to 1,095).")] = 180,
    later_days: Annotated[
        int | None,
        typer.Option(
            "--later-days",
            help="Its last days, kept out of tuning and scored apart (default a quarter; 0 for none).",
        ),
    ] = None,
    user: UserOpt = "local",
    as_json: JsonOpt = False,
) -> None:
    """How a model would have done on the last days' games, as of each game, flat one-unit bets."""
    from services.user_model_backtest import MarketBacktest
    from tools.backtests import backtest_user_model

    with _busy(f"backtesting model {model_id} on the last {days} days' games", quiet=as_json):
        view = _models_call(
            ctx, user, lambda: backtest_user_model(model_id, days=days, later_days=later_days)
        )
    if as_json:
        _print_json(view.model_dump(mode="json"))
        return

    def show(title: str, markets: list[MarketBacktest]) -> None:
        typer.echo(title)
        table = Table(
            "sport", "market", "games", "bets", "accuracy (95%)", "ROI (95%)", "Brier", "CLV", "drawdown"
        )
        for m in markets:
            acc = "-" if m.accuracy is None else f"{100 * m.accuracy:.1f}%"
            if m.accuracy_interval:
                acc += f" ({100 * m.accuracy_interval[0]:.0f}-{100 * m.accuracy_interval[1]:.0f})"
            roi = "-" if m.roi is None else f"{100 * m.roi:+.1f}%"
            if m.roi_interval:
                roi += f" ({100 * m.roi_interval[0]:+.0f} to {100 * m.roi_interval[1]:+.0f})"
            table.add_row(
                m.sport, m.market, str(m.games), str(m.bets), acc, roi,
                "-" if m.brier is None else f"{m.brier:.4f}",
                "-" if m.clv is None else f"{100 * m.clv:+.1f}%", f"{m.max_drawdown_units:.1f}u",
            )  # fmt: skip
        Console().print(table)
        for m in markets:
            if m.bankroll_units:
                typer.echo(f"{m.sport} {m.market} bankroll " + _spark(m.bankroll_units))

    show(f"{view.model}: {view.start:%Y-%m-%d} to {view.end:%Y-%m-%d}", view.markets)
    if view.end != view.later_end:
        show(
            f"later window {view.end:%Y-%m-%d} to {view.later_end:%Y-%m-%d}, kept out of tuning "
            f"({view.later_variants} variants shown it so far)",
            view.later,
        )
    if view.warning:
        typer.echo(f"warning: {view.warning}")


@models_app.command("show")
def models_show(
    ctx: typer.Context,
    model_id: Annotated[int, typer.Argument(help="The model's number (see `benny models list`).")],
    user: UserOpt = "local",
    as_json: JsonOpt = False,
) -> None:
    """One of your models in full."""
    from tools.user_models import show_user_model

    model = _models_call(ctx, user, lambda: show_user_model(model_id))
    if as_json:
        _print_json(model.model_dump(mode="json"))
    else:
        _print_model(model)


@app.command("trade")
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
    with _busy("studying the next 24 hours' games, then staking the picks", quiet=as_json):
        summary = job_trade(_context(ctx), dry_run=dry_run, analyst=analyst)
    if as_json:
        _print_json(summary.model_dump(mode="json"))
        return
    mode = " (dry run: nothing stored)" if summary.dry_run else ""
    typer.echo(
        f"{summary.as_of:%Y-%m-%d %H:%M} UTC, {summary.week}: {summary.games} games, "
        f"{summary.proposals} proposals from the {summary.analyst} analyst, {len(summary.bets)} bets{mode}"
    )
    if summary.bets:
        table = Table("game", "market", "pick", "odds", "book", "stake", "p", "blended", "edge")
        for b in summary.bets:
            point = "" if b.point is None else f" {b.point:+g}" if b.market == "spreads" else f" {b.point:g}"
            table.add_row(
                b.matchup, b.market, f"{b.label}{point}", f"{b.odds_american:+d}", b.book,
                f"${b.stake_usd:.2f}", f"{b.probability:.3f}", f"{b.blended_probability:.3f}",
                f"{b.edge:+.3f}",
            )  # fmt: skip
        Console().print(table)
    for r in summary.refused[:20]:
        typer.echo(f"  no bet: {r.game_id} {r.market} {r.side}: {r.reason}")
    if len(summary.refused) > 20:
        typer.echo(f"  ... and {len(summary.refused) - 20} more refused")
    typer.echo(f"weekly budget left: ${summary.remaining_budget_usd:.2f}")


@app.command("settle")
def settle_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Settle Benny's bets whose games have finished (each exactly once), with CLV and a post-mortem."""
    from live.jobs import job_settle

    summary = job_settle(_context(ctx))
    if as_json:
        _print_json(summary.model_dump(mode="json"))
        return
    statuses = ", ".join(f"{k} {v}" for k, v in sorted(summary.by_status.items())) or "nothing due"
    typer.echo(f"{summary.settled} bets settled ({statuses}); P&L ${summary.pnl_usd:+.2f}")


@app.command("dashboard")
def dashboard_cmd(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Benny's record: bankroll, P&L, ROI, CLV, drawdown by sport, market and week, beside the baselines."""
    from tools.context import bind
    from tools.dashboard import benny_dashboard

    with bind(_context(ctx)):
        board = benny_dashboard()
    if as_json:
        _print_json(board.model_dump(mode="json"))
        return
    print_dashboard(board)


def print_dashboard(board: Any) -> None:
    """The dashboard as terminal tables, with the bankroll as a sparkline."""
    console = Console()
    o = board.overall
    console.print(
        f"bets {board.bets} (settled {board.settled}, pending {board.pending}) · bankroll "
        f"${board.bankroll_usd:+.2f} · ROI {_pct(o.roi)} · win rate {_pct(o.win_rate)} · "
        f"units {o.units:+.2f} · "
        f"CLV {_pct(o.clv)} · Sharpe {o.sharpe if o.sharpe is not None else '-'} · "
        f"max drawdown ${o.max_drawdown_usd:.2f}"
    )
    if not board.bets:
        console.print("no bets yet: Benny bets only where the staking engine finds an edge")
        return
    if board.bankroll:
        console.print("bankroll " + _spark([p.bankroll_usd for p in board.bankroll]))
    for title, groups in (("sport", board.by_sport), ("market", board.by_market)):
        table = Table(title, "bets", "staked", "P&L", "ROI", "win rate", "CLV")
        for g in groups:
            table.add_row(
                g.key, str(g.bets), f"${g.staked_usd:.2f}", f"${g.pnl_usd:+.2f}", _pct(g.roi),
                _pct(g.win_rate), _pct(g.clv),
            )  # fmt: skip
        console.print(table)
    weeks = Table("week", "staked", "P&L", "lowest budget left", "ROI")
    for w in board.by_week:
        weeks.add_row(
            w.week, f"${w.staked_usd:.2f}", f"${w.pnl_usd:+.2f}", f"${w.min_balance_usd:.2f}", _pct(w.roi)
        )
    console.print(weeks)
    baselines = Table("bettor", "bets", "P&L", "ROI")
    baselines.add_row("benny", str(o.bets), f"${o.pnl_usd:+.2f}", _pct(o.roi))
    for name, b in board.baselines.items():
        baselines.add_row(name, str(b.bets), f"${b.pnl_usd:+.2f}", _pct(b.roi))
    console.print(baselines)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:+.1f}%"


def _spark(values: list[float]) -> str:
    bars = "▁▂▃▄▅▆▇█"
    if len(values) > 60:
        step = len(values) / 60
        values = [values[int(i * step)] for i in range(60)] + [values[-1]]
    low, high = min(values), max(values)
    span = high - low or 1.0
    return "".join(bars[int((v - low) / span * (len(bars) - 1))] for v in values) + f"  ${values[-1]:+.2f}"


@app.command("replay")
def replay_cmd(
    start: Annotated[
        str, typer.Option("--start", help="First day of the replay (YYYY-MM-DD); never the wall clock.")
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
        _print_json(summary_json(report))
        return
    with _progress_bar() as progress:
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


@app.command("import")
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

    run = _context(ctx)
    if as_json:
        summary = import_history(run, paths, fmt=fmt)
        _print_json(summary.model_dump(include={"files", "games", "snapshots", "outcomes"}))
        return
    with _progress_bar() as progress:  # on stderr: the table below is the report
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


@app.command()
def credits(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The Odds API credits left this month and the plan for the rest of it."""
    from tools.context import bind
    from tools.credits import api_credits

    with bind(_context(ctx)):
        report = api_credits()
    if as_json:
        _print_json(report.model_dump(mode="json"))
        return
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


@app.command("scheduler")
def scheduler_cmd(
    ctx: typer.Context,
    once: Annotated[
        str | None,
        typer.Option(
            "--once", help="Run this one job now through the job history, then exit (see `benny jobs`)."
        ),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --once: print the runs (the job and its chain) as JSON.")
    ] = False,
) -> None:
    """Run the live loop as its own process: every job on its schedule until stopped (Ctrl-C or SIGTERM).

    One process runs the scheduler per database (a lock); a second one waits on standby and takes
    over when the first stops. Set BENNY_SCHEDULER=false on the app processes when this runs.
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
    settings = _settings(ctx)
    engine = prepare_database(settings, _engine(ctx))
    loop = LiveLoop(settings, engine)
    if once is not None:
        names = [j.name for j in schedule(settings)]
        if once not in names:
            raise InvalidInput(f"no job {once!r}; the jobs are {', '.join(names)}")
        with _busy(f"running the job {once} (and what is chained after it)", quiet=as_json):
            results = loop.run_once(once)
        if as_json:
            _print_json([dataclasses.asdict(r) for r in results])
        else:
            for r in results:
                typer.echo(f"{r.job}: {r.status} in {r.seconds:.1f} s" + (f" ({r.error})" if r.error else ""))
        if any(r.status == "failed" for r in results):
            raise typer.Exit(1)
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


@app.command("mcp")
def mcp_cmd(ctx: typer.Context) -> None:
    """Serve Benny's tools over the Model Context Protocol on stdio (for Claude Desktop, IDE assistants).

    The user comes from BENNY_TOKEN (`benny users token NAME`); without it, only shared data
    (odds, predictions, the model comparison, odds math) is served. See docs/MCP.md.
    """
    from web.mcp_server import serve_mcp

    serve_mcp(_settings(ctx))


@app.command("jobs")
def jobs_cmd(
    ctx: typer.Context,
    recent: Annotated[
        int, typer.Option("--recent", help="How many of the newest runs to list (0 to 100).")
    ] = 10,
    as_json: JsonOpt = False,
) -> None:
    """The scheduled jobs with their triggers, last and next runs, and the newest runs."""
    from tools.context import bind
    from tools.operations import system_status

    with bind(_context(ctx)):
        status = system_status(recent=recent)
    if as_json:
        _print_json(status.model_dump(mode="json"))
        return
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


def main() -> None:
    app(prog_name="benny")


if __name__ == "__main__":
    main()
