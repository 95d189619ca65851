"""Imports run one way: app.py/cli.py -> agent -> tools -> store -> core; core's math imports no I/O."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = [
    "core",
    "store",
    "services",
    "tools",
    "live",
    "presentation",
    "agent",
    "web",
    "app",
    "cli",
]  # each may import only those before it
PURE_CORE = [
    "odds", "devig", "kelly", "metrics", "clock", "sports", "quotes", "errors", "sim", "importers", "teams",
    "form", "credits", "market_baseline", "stats", "models", "verify", "confidence", "evaluation",
    "staking", "bet_settlement", "formatting",
    "proposals", "bankroll", "elo",
    "user_models",
]  # fmt: skip
IO_PACKAGES = {
    "httpx",
    "httpx2",
    "sqlmodel",
    "sqlalchemy",
    "anthropic",
    "chainlit",
    "langgraph",
    "langchain_core",
}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return {n.split(".")[0] for n in names}


def _files(layer: str) -> list[Path]:
    if (ROOT / f"{layer}.py").exists():
        return [ROOT / f"{layer}.py"]
    return sorted((ROOT / layer).rglob("*.py"))


@pytest.mark.parametrize("layer", LAYERS)
def test_no_layer_imports_one_above_it(layer: str) -> None:
    above = set(LAYERS[LAYERS.index(layer) + 1 :])
    offenders = {str(f.relative_to(ROOT)): sorted(_imports(f) & above) for f in _files(layer)}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_agent_goes_through_tools_not_the_store() -> None:
    offenders = [str(f.relative_to(ROOT)) for f in _files("agent") + _files("app") if "store" in _imports(f)]
    assert offenders == []


def test_cores_pure_modules_do_no_io() -> None:
    files = [
        p
        for name in PURE_CORE
        for p in [ROOT / "core" / f"{name}.py", *sorted((ROOT / "core" / name).rglob("*.py"))]
    ]
    offenders = {str(f.relative_to(ROOT)): sorted(_imports(f) & IO_PACKAGES) for f in files if f.exists()}
    assert {k: v for k, v in offenders.items() if v} == {}
    assert len([f for f in files if f.exists()]) >= 8


def test_the_guard_can_fail(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import sqlmodel\nfrom agent.graph import build_graph\n")
    assert _imports(bad) == {"sqlmodel", "agent"}
