"""The `benny` command: init, users, db, odds; one-line errors with exit status 2; --json.

Help text and `--json` on every command are checked by walking the command tree in
tests/cli/test_surface.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli import app
from tests.conftest import NOW

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "BENNY_NOW": NOW.isoformat()}


def benny(env: dict[str, str], *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_init_demo_then_odds(env: dict[str, str]) -> None:
    code, out, _ = benny(env, "init", "--demo", "--json")
    assert code == 0
    summary = json.loads(out)
    assert summary["user"] == "local"
    assert summary["demo"]["games"] > 0 and summary["demo"]["snapshots"] > 0
    code, out, _ = benny(env, "init", "--demo", "--json")
    again = json.loads(out)["demo"]
    assert (again["games"], again["snapshots"], again["results"]) == (0, 0, 0)  # same moment: nothing new
    code, out, _ = benny(env, "odds", "--sport", "nba", "--json")
    assert code == 0
    assert json.loads(out)["games"]
    code, out, _ = benny(env, "odds")
    assert code == 0 and "Best prices" in out


def test_users_create_and_list(env: dict[str, str]) -> None:
    benny(env, "init")
    code, out, _ = benny(env, "users", "create", "bob")
    assert (code, out.strip()) == (0, "created user 'bob'")
    code, out, _ = benny(env, "users", "list", "--json")
    assert [u["name"] for u in json.loads(out)] == ["bob", "local"]
    code, _, err = benny(env, "users", "create", "bob")
    assert (code, err.strip()) == (2, "error: user 'bob' exists already")


def test_unknown_user_exits_2_with_one_line(env: dict[str, str]) -> None:
    benny(env, "init")
    code, out, err = benny(env, "odds", "--user", "bob")
    assert code == 2
    assert err.strip() == "error: unknown user 'bob' (create it: benny users create bob)"
    assert out == ""


@pytest.mark.parametrize(
    ("url", "fragment"),
    [("nonsense", "DATABASE_URL is not a database URL"), ("mysql://x@h/db", "must be SQLite or PostgreSQL")],
)
def test_malformed_database_url_is_one_line(env: dict[str, str], url: str, fragment: str) -> None:
    code, _, err = benny({**env, "DATABASE_URL": url}, "users", "list")
    assert code == 2
    assert fragment in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_values_exit_2(env: dict[str, str]) -> None:
    benny(env, "init")
    code, _, err = benny(env, "odds", "--sport", "cricket")
    assert code == 2 and "got 'cricket'" in err
    code, _, err = benny(env, "odds", "--hours", "0")
    assert code == 2 and "hours must be between 1 and 336, got 0" in err
    code, _, err = benny({**env, "BENNY_NOW": "yesterday-ish"}, "init")
    assert code == 2 and "BENNY_NOW" in err


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--start", "9999-12-31", "--days", "1", "--warmup-days", "0"], "start must be between"),
        (["--start", "0001-01-01", "--days", "1"], "start must be between"),
        (["--start", "9999-12-31T23:00:00-05:00"], "out of range"),
    ],
)
def test_a_replay_outside_the_simulated_years_is_one_line(
    env: dict[str, str], argv: list[str], says: str
) -> None:
    code, out, err = benny(env, "replay", *argv)
    assert (code, out) == (2, ""), err
    assert says in err and len(err.strip().splitlines()) == 1


def test_db_upgrade_and_current(env: dict[str, str]) -> None:
    code, out, _ = benny(env, "db", "upgrade", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["from"] is None and payload["to"]
    code, out, _ = benny(env, "db", "current", "--json")
    assert json.loads(out)["current"] == json.loads(out)["head"]


def test_collect_from_the_simulated_book(env: dict[str, str]) -> None:
    code, out, _ = benny(env, "collect", "odds", "--sport", "nba", "--json")
    assert code == 0
    first = json.loads(out)
    assert first["source"] == "sim" and first["runs"][0]["games"] > 0
    code, out, _ = benny(env, "collect", "odds", "--sport", "nba", "--json")
    assert json.loads(out)["runs"][0]["snapshots"] == 0  # the same moment again: nothing new
    code, out, _ = benny(env, "collect", "scores", "--sport", "nhl")
    assert code == 0 and "scores from sim" in out
    code, out, _ = benny(env, "credits", "--json")
    report = json.loads(out)
    assert report["feed"] == "sim" and report["remaining"] is not None


def test_collect_refuses_what_it_cannot_do(env: dict[str, str]) -> None:
    code, _, err = benny(env, "collect", "stats", "--source", "sim")
    assert code == 2 and "box scores come from ESPN" in err
    code, _, err = benny(env, "collect", "odds", "--source", "oddsapi")
    assert code == 2 and "ODDS_API_KEY" in err
    code, _, err = benny(env, "collect", "odds", "--sport", "curling")
    assert code == 2 and "curling" in err


def test_import_json_summary(env: dict[str, str], shared_data: Path) -> None:
    season = str(shared_data / "epl" / "E0_2324.csv")
    code, out, _ = benny(env, "import", season, "--json")
    assert code == 0
    assert json.loads(out) == {
        "files": 1,
        "games": 380,
        "snapshots": json.loads(out)["snapshots"],
        "outcomes": 380,
    }
    code, out, _ = benny(env, "import", season, "--json")
    assert json.loads(out) == {"files": 1, "games": 0, "snapshots": 0, "outcomes": 0}
    code, _, err = benny(env, "import", "missing.csv")
    assert code == 2 and "missing.csv" in err


def test_chat_answers_in_the_terminal_through_the_agent(env: dict[str, str]) -> None:
    assert benny(env, "init", "--demo")[0] == 0
    code, out, _ = benny(env, "chat", "NHL odds", "--json")
    assert code == 0, out
    payload = json.loads(out)
    assert payload["tools"] == [{"name": "get_odds", "input": {"sport": "nhl", "hours": 36}}]
    assert "| Start (UTC) |" in payload["answer"]


def test_trade_settle_and_dashboard_answer_in_json(env: dict[str, str]) -> None:
    assert benny(env, "init", "--demo")[0] == 0
    code, out, _ = benny(env, "trade", "--dry-run", "--json")
    assert code == 0, out
    summary = json.loads(out)
    assert summary["dry_run"] is True and summary["analyst"] == "offline" and summary["games"] > 0
    code, out, _ = benny(env, "settle", "--json")
    assert code == 0 and json.loads(out)["settled"] == 0
    code, out, _ = benny(env, "dashboard", "--json")
    assert code == 0 and json.loads(out)["bets"] == 0


def test_models_from_plain_language_and_nobody_elses(env: dict[str, str]) -> None:
    assert benny(env, "init")[0] == 0
    assert benny(env, "users", "create", "bob")[0] == 0
    text = "NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%"
    code, out, _ = benny(env, "models", "create", "--text", text, "--json")
    assert code == 0 and json.loads(out)["saved"] is False  # a preview first
    code, out, _ = benny(env, "models", "create", "--text", text, "--yes", "--json")
    model_id = json.loads(out)["model"]["id"]
    code, out, _ = benny(
        env, "models", "update", str(model_id), "--text", "make injuries 50%", "--yes", "--json"
    )
    assert code == 0 and json.loads(out)["model"]["weights"]["injuries"] == 0.5
    assert (
        json.loads(benny(env, "models", "pause", str(model_id), "--json")[1])["model"]["status"] == "paused"
    )
    # bob gets the same answer for alice's model as for one that does not exist.
    theirs = benny(env, "models", "show", str(model_id), "--user", "bob")
    missing = benny(env, "models", "show", "999", "--user", "bob")
    assert theirs[0] == missing[0] == 2
    assert theirs[2].replace(str(model_id), "N") == missing[2].replace("999", "N")
    code, out, _ = benny(env, "models", "create", "--text", "NBA 40% vibes", "--json")
    assert json.loads(out)["unknown_words"] == ["vibes"]


def test_scheduler_json_goes_with_once(env: dict[str, str]) -> None:
    code, out, err = benny(env, "scheduler", "--json")
    assert (code, out) == (2, "")
    assert "--once" in err and len(err.strip().splitlines()) == 1
    code, out, _ = benny(env, "scheduler", "--once", "adjustments", "--json")
    assert code == 0
    [run] = json.loads(out)
    assert (run["job"], run["status"]) == ("adjustments", "ok")
    code, _, err = benny(env, "scheduler", "--once", "nap")
    assert code == 2 and "no job 'nap'" in err


def test_progress_goes_to_stderr_and_never_under_json() -> None:
    import contextlib

    from cli.common import busy, progress_bar

    assert progress_bar().console.stderr
    assert isinstance(busy("working", quiet=True), contextlib.nullcontext)
    assert busy("working", quiet=False).console.stderr  # type: ignore[attr-defined]
