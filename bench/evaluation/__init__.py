"""The forecast-quality report, docs/EVALUATION.md (``python -m bench.evaluation.markdown``)."""
