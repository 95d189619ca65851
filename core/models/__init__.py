"""The prediction models, one file each behind one protocol (``core.models.base.Model``)."""

from core.models.base import GameContext, MarketPrediction, Model
from core.models.consensus import Consensus
from core.models.value import Value

__all__ = ["REGISTRY", "Consensus", "GameContext", "MarketPrediction", "Model", "Value"]

# Filled in as the models land; the analysis run predicts with every registered model.
REGISTRY: dict[str, Model] = {model.name: model for model in (Consensus(), Value())}
