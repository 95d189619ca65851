"""The README against the code: the library example runs as written, against a demo database;
the commands table names every `benny` command and only options it has; the settings table names
every setting with its real default; docs/OPERATIONS.md's schedule names every job."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from services.demo import seed_demo
from services.setup import prepare_database
from tests.conftest import NOW, ROOT, make_settings
from tools.context import open_context


def _example() -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(r"<!-- library-example[^>]*-->\s*```python\n(.*?)```", text, re.S)
    assert match, "README.md lost its library example"
    return match.group(1)


def test_readme_library_example_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'readme.db'}"
    settings = make_settings(url)
    engine = prepare_database(settings)
    seed_demo(open_context(settings=settings, engine=engine))
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("BENNY_NOW", NOW.isoformat())
    monkeypatch.chdir(tmp_path)  # no stray .env is read
    namespace: dict[str, object] = {}
    exec(compile(_example(), "README.md", "exec"), namespace)
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) >= 3
    assert all(" @ " in line for line in printed)
    assert namespace["games"]


def test_readme_math_lines_hold() -> None:
    import tools

    text = (ROOT / "README.md").read_text()
    block = re.search(r"```python\n(from tools import american_to_decimal.*?)```", text, re.S)
    assert block
    for line in block.group(1).splitlines()[2:]:
        call, _, comment = line.partition("#")
        if not call.strip():
            continue
        value = eval(call.strip(), vars(tools))
        shown = comment.strip().split(":")[0].split(";")[0].rstrip(".").strip()
        expected = eval(shown.replace("...", ""))
        assert value == pytest.approx(expected, abs=1e-4), line


def _section(text: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"README.md lost its section {heading!r}"
    return match.group(1)


def _first_cells(section: str) -> list[str]:
    """The first cell of every table row (a `\\|` inside a cell is not a column break)."""
    cells = []
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells.append(re.split(r"(?<!\\)\|", line)[1].strip())
    return cells[1:]  # the header row


def _commands() -> dict[str, Any]:
    import typer

    import cli

    def walk(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
        for name, sub in getattr(command, "commands", {}).items():
            if hasattr(sub, "commands"):
                yield from walk(sub, (*path, name))
            else:
                yield " ".join((*path, name)), sub

    return dict(walk(typer.main.get_command(cli.app), ()))


def _documented_commands() -> dict[str, str]:
    """Each command the README's table names, with the usage it shows (siblings such as
    `pause ID` after `benny models update ...` belong to the same group)."""
    known = _commands()
    found: dict[str, str] = {}
    for cell in _first_cells(_section((ROOT / "README.md").read_text(), "The `benny` command")):
        group: str | None = None
        for usage in re.findall(r"`([^`]+)`", cell):
            if usage.startswith("benny "):
                rest = usage.removeprefix("benny ")
                name = next(
                    (
                        n
                        for n in sorted(known, key=len, reverse=True)
                        if rest == n or rest.startswith(n + " ")
                    ),
                    None,
                )
                if name is None:
                    assert rest.startswith("--"), f"README names a command benny has not: {usage!r}"
                    continue
                group = name.rpartition(" ")[0] or None
                found[name] = rest
            elif group is not None and not usage.startswith("-"):
                found[f"{group} {usage.split()[0]}"] = usage
    return found


def test_readme_commands_table_matches_the_cli() -> None:
    known, documented = _commands(), _documented_commands()
    assert sorted(documented) == sorted(known), "the commands table and `benny` disagree"
    for name, usage in documented.items():
        options = {o for p in known[name].params for o in getattr(p, "opts", [])}
        shown = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", usage))
        assert shown <= options, f"README shows {sorted(shown - options)} for `benny {name}`"


def _settings_rows() -> dict[str, str]:
    """Variable -> default cell, from the README's settings table."""
    rows = {}
    for line in _section((ROOT / "README.md").read_text(), "Settings").splitlines():
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if len(cells) == 3 and cells[0].startswith("`"):
            for variable in re.findall(r"`([A-Z_]+)`", cells[0]):
                rows[variable] = cells[1]
    return rows


def test_readme_settings_table_names_every_setting_with_its_default(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pydantic import AliasChoices

    from core.settings import Settings, load_settings

    monkeypatch.chdir(tmp_path)  # no stray .env is read
    rows = _settings_rows()
    for name, field in Settings.model_fields.items():
        assert isinstance(field.validation_alias, AliasChoices)
        aliases = [str(a) for a in field.validation_alias.choices]
        documented = [a for a in aliases if a in rows]
        assert documented, f"the README's settings table lacks {' or '.join(aliases)}"
        shown = re.fullmatch(r"`([^`]+)`", rows[documented[0]])
        if shown is None or field.default is None:
            continue  # a default described in words ("unset", "made once in ...")
        parsed = load_settings(**{documented[0]: shown.group(1)})
        assert getattr(parsed, name) == field.default, f"README's default for {documented[0]}"


def test_operations_schedule_names_every_job() -> None:
    from core.settings import Settings
    from services.schedule import schedule

    text = (ROOT / "docs" / "OPERATIONS.md").read_text()
    table = re.search(r"^## The schedule\n(.*?)(?=^## )", text, re.S | re.M)
    assert table
    shown = [re.sub(r"`", "", c) for c in _first_cells(table.group(1))]
    assert shown == [job.name for job in schedule(Settings(_env_file=None))]
    readme = (ROOT / "README.md").read_text()
    assert "docs/OPERATIONS.md" in readme
