"""The README's library example runs as written, against a demo database."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.conftest import NOW, ROOT, make_settings
from tools.context import open_context
from tools.demo import seed_demo
from tools.setup import prepare_database


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
