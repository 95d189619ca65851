"""Every command on a database it cannot use: one line on stderr, no traceback, exit status 1.

`benny run` included: it refuses to start the app on such a database.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from tests.conftest import NOW

runner = CliRunner()

COMMANDS = [
    ["odds"],
    ["run", "--port", "8000"],
    ["users", "list"],
    ["jobs"],
    ["db", "upgrade"],
    ["dashboard"],
    ["models", "list"],
    ["scheduler", "--once", "odds"],
]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {"DATABASE_URL": url, "BENNY_NOW": NOW.isoformat()}
    assert runner.invoke(app, ["init"], env=env).exit_code == 0
    return env


def _corrupt(env: dict[str, str]) -> Path:
    path = Path(env["DATABASE_URL"].removeprefix("sqlite:///"))
    with path.open("r+b") as file:
        file.write(b"not an SQLite header " * 5)
    return path


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_corrupt_database_is_one_line(env: dict[str, str], args: list[str]) -> None:
    path = _corrupt(env)
    result = runner.invoke(app, args, env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    # Where the database is, the command says; the store's message, which the REST API shows, does not.
    assert result.stderr == f"error: cannot open the database: file is not a database (sqlite:///{path})\n"
    assert result.stdout == ""  # `benny run` never got as far as starting the app
