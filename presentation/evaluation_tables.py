"""`benny evaluate --markdown`: the report as the Markdown tables docs/EVALUATION.md carries."""

from __future__ import annotations

from services.evaluate import EvaluationReport, ModelScore

HEADER = (
    "| model | n | coverage | shift | accuracy | Brier | vs ensemble (± SE) | log loss | ECE | ROI | CLV "
    "| inverse acc. |"
)


def _num(value: float | None, digits: int = 4) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _gap(m: ModelScore) -> str:
    """The Brier gap to the ensemble on the games both predicted, with its paired-bootstrap SE."""
    if m.brier_vs_ensemble is None or m.bootstrap_se is None:
        return ""
    return f"{m.brier_vs_ensemble:+.5f} ± {m.bootstrap_se:.5f}"


def markdown_tables(report: EvaluationReport) -> str:
    """One table per market: the closing market first, then every model in name order."""
    lines = [f"{report.scored_games} games scored."]
    for market, score in sorted(report.market.items()):
        lines += ["", f"### {market}", "", HEADER, "|" + "---|" * 12]
        lines.append(
            f"| **market (closing consensus)** | {score.n} | | | | {_num(score.brier)} | "
            f"| {_num(score.log_loss)} | {_num(score.ece)} | | | |"
        )
        for m in sorted((m for m in report.models if m.market == market), key=lambda m: m.model):
            cells = [
                m.model, str(m.n), _num(m.coverage, 3), _num(m.mean_abs_shift), _num(m.accuracy, 3),
                _num(m.brier), _gap(m), _num(m.log_loss), _num(m.ece), _num(m.roi, 3), _num(m.clv, 3),
                _num(m.inverse_accuracy, 3),
            ]  # fmt: skip
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
