"""The ten prediction models, one file each behind one protocol (``core.models.base.Model``).

``REGISTRY`` lists them in the order an analysis runs them: the models that read the market
and the form first, then ``ensemble`` (which pools them) and ``benny`` (which reads them all).
The models with parameters start unfitted and predict nothing until they are fit walk-forward
on stored history (``core.models.training``).
"""

from core.models.base import GameContext, MarketPrediction, Model
from core.models.benny import Benny
from core.models.consensus import Consensus
from core.models.contrarian import Contrarian
from core.models.ensemble import Ensemble
from core.models.hot_cold import HotCold
from core.models.injury_aware import InjuryAware
from core.models.matchup import Matchup
from core.models.momentum import Momentum
from core.models.rest_schedule import RestSchedule
from core.models.value import Value

__all__ = [
    "REGISTRY",
    "Benny",
    "Consensus",
    "Contrarian",
    "Ensemble",
    "GameContext",
    "HotCold",
    "InjuryAware",
    "MarketPrediction",
    "Matchup",
    "Model",
    "Momentum",
    "RestSchedule",
    "Value",
]

REGISTRY: dict[str, Model] = {
    model.name: model
    for model in (
        Consensus(),
        Value(),
        Momentum(),
        Contrarian(),
        HotCold(),
        RestSchedule(),
        Matchup(),
        InjuryAware(),
        Ensemble(),
        Benny(),
    )
}
