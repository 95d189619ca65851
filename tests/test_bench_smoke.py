"""Every benchmark runs on tiny inputs (a smoke test: no timing is asserted), peers included."""

from __future__ import annotations

import pytest

from bench.__main__ import discover, main, run
from bench.harness import Figure, table

# The benchmarks measured against a peer, and the checks that make their comparison like for like.
PEERED = {"devig": "same probabilities", "user_backtest": "same", "compare": "same groups and numbers"}


@pytest.mark.parametrize("name", discover())
def test_benchmark_runs_on_tiny_inputs(name: str) -> None:
    figures = run([name], quick=True)
    assert figures
    assert all(f.value >= 0 for f in figures)
    assert all(f.peer_value is None or f.peer_value >= 0 for f in figures)
    peered = [f for f in figures if f.peer_name is not None]
    if name in PEERED:
        assert peered
        assert all(PEERED[name] in f.note and "DIFFERENT" not in f.note for f in peered)
    else:
        assert not peered


def test_unknown_benchmark_is_refused() -> None:
    with pytest.raises(SystemExit):
        main(["no_such_bench"])


def test_ratio_reads_above_one_when_benny_is_ahead() -> None:
    faster = Figure("time", 2.0, "ms", peer_name="peer", peer_value=100.0, ratio_target=25.0)
    quicker_rate = Figure("rate", 300.0, "games/s", lower_is_better=False, peer_name="peer", peer_value=100.0)
    assert faster.ratio == 50.0
    assert faster.meets_target is True
    assert quicker_rate.ratio == 3.0
    assert (
        Figure(
            "time", 10.0, "ms", target=20.0, peer_name="p", peer_value=100.0, ratio_target=25.0
        ).meets_target
        is False
    )
    assert Figure("alone", 1.0, "ms").ratio is None


def test_a_ratio_target_needs_a_peer() -> None:
    with pytest.raises(ValueError):
        Figure("time", 1.0, "ms", ratio_target=10.0)


def test_table_shows_ours_the_peer_the_ratio_and_the_targets() -> None:
    text = table(
        [Figure("devig", 0.5, "ms", target=1.0, peer_name="penaltyblog", peer_value=50.0, ratio_target=50.0)]
    )
    header, _, row = text.splitlines()
    assert header.split() == ["benchmark", "ours", "unit", "peer", "ratio", "target", "met"]
    assert "50.000 (penaltyblog)" in row
    assert "100x" in row
    assert "<= 1, ratio >= 50x" in row
    assert row.rstrip().endswith("yes")
