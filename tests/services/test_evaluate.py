"""benny evaluate: history replayed through the live path; the consensus scores like the market."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from presentation.evaluation_tables import markdown_tables
from services.evaluate import EvaluationReport, evaluate
from tests.conftest import SHARED_DATA


@pytest.fixture(scope="module")
def report() -> EvaluationReport:
    """The second half of the 2023-24 EPL season, scored after the first half served as history."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"../shared/data is absent ({SHARED_DATA}): real-data tests need it")
    return evaluate([SHARED_DATA / "epl" / "E0_2324.csv"], score_from=datetime(2024, 1, 1, tzinfo=UTC))


def test_an_epl_season_replayed_and_scored(report: EvaluationReport) -> None:
    assert 150 <= report.scored_games <= 200  # the second half of the season
    assert report.refits > 1  # fit walk-forward, week by week
    h2h = report.market["h2h"]
    assert h2h.n == report.scored_games and h2h.brier is not None
    models = {(m.model, m.market): m for m in report.models}
    consensus = models[("consensus", "h2h")]
    assert consensus.coverage == 1.0
    assert consensus.brier is not None and abs(consensus.brier - h2h.brier) < 0.001
    assert consensus.accuracy is not None and consensus.inverse_accuracy is not None
    assert {m.model for m in report.models if m.market == "h2h"} == {
        "consensus", "value", "momentum", "contrarian", "hot_cold", "rest_schedule", "matchup",
        "injury_aware", "ensemble", "benny",
    }  # fmt: skip
    # The history file has no injury reports: injury_aware says nothing rather than copying the market.
    assert models[("injury_aware", "h2h")].coverage == 0.0
    # The pool is not beaten by any single model by more than two paired-bootstrap standard errors.
    for m in report.models:
        if m.market == "h2h" and m.brier_vs_ensemble is not None and m.bootstrap_se is not None:
            assert m.brier_vs_ensemble >= -2 * m.bootstrap_se - 1e-12, m
    for m in report.models:
        assert 0.0 <= m.coverage <= 1.0
        assert m.brier is None or m.brier < (1.0 if m.market == "h2h" else 0.5)


def test_the_markdown_tables_show_every_model_and_the_gap_to_the_ensemble(report: EvaluationReport) -> None:
    text = markdown_tables(report)
    h2h = text.split("### h2h")[1].split("###")[0]
    rows = [line for line in h2h.splitlines() if line.startswith("| ") and "---" not in line][1:]
    assert rows[0].startswith("| **market (closing consensus)** |")
    assert [r.split("|")[1].strip() for r in rows[1:]] == sorted(
        ["consensus", "value", "momentum", "contrarian", "hot_cold", "rest_schedule", "matchup",
         "injury_aware", "ensemble", "benny"]
    )  # fmt: skip
    consensus = next(r for r in rows if r.startswith("| consensus |"))
    assert "±" in consensus  # its Brier gap to the ensemble, with the bootstrap's standard error
