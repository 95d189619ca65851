"""The `benny` command's surface: every command has help, `--help` works, and what reports speaks JSON.

The command tree is walked from the Typer app, so a command added later is held to the same rules
without being listed anywhere. A command that reports something must declare `--json`, and
`benny <command> --json` must print one valid JSON document on stdout (progress goes to stderr,
and never under --json). The only commands spared `--json` are the exemptions below, each with
its reason; a new command without `--json` fails here until it gets one or an exemption.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import pytest
import typer
from typer.testing import CliRunner

import cli
from tests.conftest import _ENV_VARS, NOW, SHARED_DATA

runner = CliRunner()

# Commands that do not report, so have no --json. Keep each reason; remove an entry the day its
# command starts reporting (test_exemptions_are_real fails when an exempt command grows --json).
EXEMPT_FROM_JSON: dict[str, str] = {
    # Starts the chat server (Chainlit) in the foreground and hands the terminal to it until it stops.
    "run": "serves the chat app until stopped",
    # Speaks the Model Context Protocol on stdout until stdin closes: its output is the protocol.
    "mcp": "serves MCP on stdio",
}
# Not exempt, for the record: `scheduler` runs until stopped, but `--once JOB --json` reports the run;
# `chat` asks one question and answers it (it is not a REPL), so `--json` gives the answer and tools.


def walk(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command and group below ``command`` (itself first), with its path of names."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from walk(sub, (*path, name))


def is_group(command: Any) -> bool:
    return hasattr(command, "commands")


def option_names(command: Any) -> set[str]:
    return {name for param in command.params for name in getattr(param, "opts", [])}


def missing_help(root: Any) -> list[str]:
    """Commands and groups without help text, and parameters without a help line."""
    gaps = []
    for path, command in walk(root):
        where = " ".join(path) or "benny"
        if not (command.help or "").strip():
            gaps.append(where)
        for param in command.params:
            if not (getattr(param, "help", None) or "").strip():
                gaps.append(f"{where} {param.name}")
    return gaps


def missing_json(root: Any, exempt: dict[str, str]) -> list[str]:
    """The commands (not groups) that neither declare --json nor are exempt."""
    return [
        " ".join(path)
        for path, command in walk(root)
        if not is_group(command) and " ".join(path) not in exempt and "--json" not in option_names(command)
    ]


ROOT = typer.main.get_command(cli.app)
ALL_PATHS = [path for path, _ in walk(ROOT)]
COMMANDS = {" ".join(path): command for path, command in walk(ROOT) if not is_group(command)}


def test_every_command_and_option_has_help_text() -> None:
    assert missing_help(ROOT) == []


@pytest.mark.parametrize("path", ALL_PATHS, ids=lambda p: " ".join(p) or "benny")
def test_help_exits_0(path: tuple[str, ...]) -> None:
    result = runner.invoke(cli.app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout


def test_every_command_that_reports_declares_json() -> None:
    assert missing_json(ROOT, EXEMPT_FROM_JSON) == []


def test_exemptions_are_real() -> None:
    for name in EXEMPT_FROM_JSON:
        assert name in COMMANDS, f"exempt command {name!r} no longer exists"
        assert "--json" not in option_names(COMMANDS[name]), f"{name!r} has --json now: drop its exemption"


def test_the_checks_catch_a_command_without_json_or_help() -> None:
    """The walk reaches nested commands, and a reporting command without --json is named."""
    sample = typer.Typer()
    nested = typer.Typer(help="A group.")
    sample.add_typer(nested, name="group")

    @sample.command()
    def report() -> None:
        """Report something, without --json."""

    @sample.command()
    def quiet() -> None:
        """Exempt."""

    @nested.command()
    def fine(as_json: Annotated[bool, typer.Option("--json", help="JSON.")] = False) -> None:
        """Has it."""

    @nested.command()
    def bare(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        pass

    root = typer.main.get_command(sample)
    assert missing_json(root, {"quiet": "test"}) == ["report"]
    assert missing_json(root, {}) == ["quiet", "report"]
    assert sorted(missing_help(root)) == ["benny", "group bare", "group bare as_json"]


# --- `--json` prints valid JSON, command by command ------------------------------------------

MODEL_TEXT = "NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%"
# One cheap, offline invocation per reporting command ({model}: a saved model's id; {csv}: a few
# weeks of Premier League history). Every non-exempt command must be here: a new one is added
# with the arguments that make it report.
JSON_INVOCATIONS: dict[str, list[str]] = {
    "init": ["init"],
    "db upgrade": ["db", "upgrade"],
    "db current": ["db", "current"],
    "users create": ["users", "create", "carol"],
    "users list": ["users", "list"],
    "users token": ["users", "token", "local"],
    "users revoke": ["users", "revoke", "local"],
    "odds": ["odds", "--sport", "nba"],
    "collect odds": ["collect", "odds", "--sport", "nba"],
    "collect scores": ["collect", "scores", "--sport", "nba"],
    "collect injuries": ["collect", "injuries", "--sport", "nba"],
    "collect stats": ["collect", "stats", "--sport", "nba", "--source", "espn"],  # ESPN mocked below
    "import": ["import", "{csv}"],
    "analyze": ["analyze", "--sport", "nba"],
    "verify": ["verify"],
    "adjust": ["adjust"],
    "compare": ["compare"],
    "evaluate": ["evaluate", "{csv}", "--score-from", "2023-10-01"],
    "trade": ["trade", "--dry-run"],
    "settle": ["settle"],
    "dashboard": ["dashboard"],
    "replay": ["replay", "--days", "1", "--warmup-days", "0"],
    "models create": ["models", "create", "--text", MODEL_TEXT],
    "models update": ["models", "update", "{model}", "--text", "make injuries 50%", "--yes"],
    "models pause": ["models", "pause", "{model}"],
    "models resume": ["models", "resume", "{model}"],
    "models delete": ["models", "delete", "{model}"],
    "models list": ["models", "list"],
    "models show": ["models", "show", "{model}"],
    "models backtest": ["models", "backtest", "{model}", "--days", "30"],
    "chat": ["chat", "NBA odds"],
    "credits": ["credits"],
    "scheduler": ["scheduler", "--once", "adjustments"],
    "jobs": ["jobs", "--recent", "5"],
}


def test_every_reporting_command_has_a_json_invocation_here() -> None:
    assert sorted(JSON_INVOCATIONS) == sorted(set(COMMANDS) - set(EXEMPT_FROM_JSON))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database filled from the simulated book, with one saved model (id 1); copied per test."""
    folder = tmp_path_factory.mktemp("surface")
    env: dict[str, str | None] = {name: None for name in _ENV_VARS}  # built before the per-test isolation
    env |= {"DATABASE_URL": f"sqlite:///{folder / 'cli.db'}", "BENNY_NOW": NOW.isoformat()}
    env["BENNY_HOME"] = str(folder / "home")
    for args in (["init", "--demo"], ["models", "create", "--text", MODEL_TEXT, "--yes"]):
        result = runner.invoke(cli.app, args, env=env)
        assert result.exit_code == 0, result.output
    return folder


def _mock_espn(monkeypatch: pytest.MonkeyPatch) -> None:
    """ESPN answers with the NBA's scoreboard of a day without games: `collect stats` runs its real
    path, offline, and succeeds (a scoreboard without its league would be a failed collection)."""
    import tools.context

    real = tools.context.open_context
    empty_day = {"leagues": [{"slug": "nba", "uid": "s:40~l:46"}], "events": []}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json=empty_day))

    def with_transport(**kwargs: Any) -> Any:
        return dataclasses.replace(real(**kwargs), transport=transport)

    monkeypatch.setattr(tools.context, "open_context", with_transport)


@pytest.mark.parametrize("name", sorted(JSON_INVOCATIONS))
def test_json_is_valid(name: str, template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = JSON_INVOCATIONS[name]
    if "{csv}" in args:
        source = SHARED_DATA / "epl" / "E0_2324.csv"
        if not source.is_file():
            pytest.skip(f"../shared/data is absent ({source}): the history commands need it")
        lines = source.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        (tmp_path / "epl.csv").write_text("".join(lines[:121]), encoding="utf-8")  # 120 games, to November
    for db_file in template.glob("cli.db*"):
        shutil.copy(db_file, tmp_path / db_file.name)
    if name == "collect stats":
        _mock_espn(monkeypatch)
    argv = [arg.replace("{csv}", str(tmp_path / "epl.csv")).replace("{model}", "1") for arg in args]
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "BENNY_NOW": NOW.isoformat()}
    result = runner.invoke(cli.app, [*argv, "--json"], env=env)
    assert result.exit_code == 0, result.output
    json.loads(result.stdout)  # one JSON document, nothing else on stdout
