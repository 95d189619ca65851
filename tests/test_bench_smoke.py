"""Every benchmark runs on tiny inputs (a smoke test: no timing is asserted)."""

from __future__ import annotations

import pytest

from bench.__main__ import discover, main, run


@pytest.mark.parametrize("name", discover())
def test_benchmark_runs_on_tiny_inputs(name: str) -> None:
    figures = run([name], quick=True)
    assert figures
    assert all(f.value >= 0 for f in figures)


def test_unknown_benchmark_is_refused() -> None:
    with pytest.raises(SystemExit):
        main(["no_such_bench"])
