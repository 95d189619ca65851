"""The trainer: fits on the calendar's weekly moments, and fits that round-trip through JSON unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from core.errors import InvalidInput
from core.models import REGISTRY
from core.models.ensemble import Ensemble
from core.models.matchup import Matchup
from core.models.momentum import Momentum
from core.models.training import Persistable
from core.models.walk_forward import Trainer, fit_moment, fitted_states, restore

from .synthetic import context, simulate, start_of
from .test_momentum import make, rating_diff


def test_fit_moments_are_mondays_at_midnight_utc() -> None:
    tuesday = datetime(2024, 1, 2, 15, 30, tzinfo=UTC)
    assert fit_moment(tuesday) == datetime(2024, 1, 1, tzinfo=UTC)
    assert fit_moment(datetime(2024, 1, 1, tzinfo=UTC)) == datetime(2024, 1, 1, tzinfo=UTC)
    assert fit_moment(datetime(2023, 12, 31, 23, 59, tzinfo=UTC)) == datetime(2023, 12, 25, tzinfo=UTC)
    with pytest.raises(InvalidInput):
        fit_moment(tuesday, timedelta(0))


def test_the_trainer_refits_once_a_week_on_results_known_before_the_fit_moment() -> None:
    examples = simulate(600, make, rating_diff, beta=0.05)  # a game every 6 hours from 2024-01-01
    trainer = Trainer([Momentum()])
    for example in examples:
        trainer.add(example)
    moment = fit_moment(start_of(500))
    [fitted] = trainer.models_at(start_of(500))
    assert trainer.last_fit == moment and trainer.refits == 1
    usable = [e for e in examples if e.known_at < moment]
    assert isinstance(fitted, Momentum)
    assert fitted.coefficients == Momentum().fit(usable).coefficients
    trainer.models_at(moment + timedelta(days=6, hours=23))  # the same week: no refit
    assert trainer.refits == 1
    trainer.models_at(moment + timedelta(days=7))
    assert trainer.refits == 2


@pytest.mark.parametrize("model", [Momentum(), Matchup(), Ensemble()], ids=lambda m: m.name)
def test_an_unfitted_state_round_trips(model: Persistable) -> None:
    state = json.loads(json.dumps(model.fitted_state()))
    assert model.with_fitted_state(state) == model


def test_a_fitted_state_round_trips_through_json_and_predicts_the_same() -> None:
    fitted = Momentum().fit(simulate(1000, make, rating_diff, beta=0.05))
    assert fitted.coefficients
    state = json.loads(json.dumps(fitted.fitted_state()))
    back = Momentum().with_fitted_state(state)
    assert back.coefficients == fitted.coefficients
    game = make(5000, np.random.default_rng(1))
    assert back.predict(game) == fitted.predict(game)


def test_restore_needs_every_persistable_models_state() -> None:
    models = list(REGISTRY.values())
    states = fitted_states(models)
    assert set(states) == {m.name for m in models if isinstance(m, Persistable)}
    assert {"consensus", "value", "benny"}.isdisjoint(states)  # nothing to fit there
    restored = restore(models, states)
    assert restored is not None and [m.name for m in restored] == [m.name for m in models]
    states.pop("momentum")
    assert restore(models, states) is None


def test_the_ensemble_keeps_its_weights() -> None:
    fitted = Ensemble().with_fitted_state({"weights": [["momentum", "basketball_nba", "h2h", 4.2]]})
    assert fitted.fitted_state() == {"weights": [["momentum", "basketball_nba", "h2h", 4.2]]}
    assert Ensemble().predict(context(1)) == ()  # unchanged: the market alone is not a pool
