"""Keeping models fit walk-forward while a clock moves: the live loop's and the replays' trainer.

Finished games join as training examples (the context their closing prediction was made from,
and the final score). The trainable models are refit, from their unfitted selves, at fixed
weekly moments (Mondays 00:00 UTC, ``fit_moment``) on the examples whose results were known
before that moment — never on the games they are about to predict. Because the moments are
fixed on the calendar rather than counted from when a run started, a replay and the live loop
fit the same models for the same week, and a fit can be stored once and reused
(``fitted_states`` / ``restore``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

from core.errors import InvalidInput
from core.models.base import Model
from core.models.training import Persistable, RowTrainable, Trainable, TrainingExample

# The calendar the fits follow: a Monday at midnight UTC, and every ``refit_every`` after it.
FIT_EPOCH: Final = datetime(1970, 1, 5, tzinfo=UTC)


def fit_moment(now: datetime, refit_every: timedelta = timedelta(days=7)) -> datetime:
    """The newest fit moment at or before ``now``: the models predicting at ``now`` are fit as of it."""
    if refit_every <= timedelta(0):
        raise InvalidInput(f"refit_every must be positive, got {refit_every}")
    return FIT_EPOCH + ((now - FIT_EPOCH) // refit_every) * refit_every


def fitted_states(models: Sequence[Model]) -> dict[str, dict[str, Any]]:
    """Each persistable model's fitted parameters, by name."""
    return {m.name: m.fitted_state() for m in models if isinstance(m, Persistable)}


def restore(models: Sequence[Model], states: Mapping[str, Mapping[str, Any]]) -> list[Model] | None:
    """The models with their stored parameters, or None when any persistable model has none stored."""
    out: list[Model] = []
    for model in models:
        if isinstance(model, Persistable):
            state = states.get(model.name)
            if state is None:
                return None
            out.append(model.with_fitted_state(state))
        else:
            out.append(model)
    return out


class Trainer:
    def __init__(self, models: Sequence[Model], *, refit_every: timedelta = timedelta(days=7)) -> None:
        if refit_every <= timedelta(0):
            raise InvalidInput(f"refit_every must be positive, got {refit_every}")
        self._base = list(models)
        self._fitted: list[Model] = list(models)
        self._refit_every = refit_every
        self._examples: dict[str, TrainingExample] = {}
        self._rows: dict[tuple[int, str], tuple[Any, ...]] = {}
        self._last_fit: datetime | None = None
        self.refits = 0

    def add(self, example: TrainingExample) -> None:
        """A finished game to learn from (a later example of the same game replaces it)."""
        self._examples[example.context.game.id] = example
        for m in range(len(self._base)):
            self._rows.pop((m, example.context.game.id), None)

    def models_at(self, now: datetime) -> list[Model]:
        """The models as fit for ``now``: refit at ``fit_moment(now)`` when that is not the last fit."""
        moment = fit_moment(now, self._refit_every)
        if self._last_fit != moment:
            self._refit(moment)
        return list(self._fitted)

    @property
    def last_fit(self) -> datetime | None:
        """The moment the current fit was made as of (results known strictly before it)."""
        return self._last_fit

    @property
    def examples(self) -> int:
        return len(self._examples)

    @property
    def games(self) -> frozenset[str]:
        """The ids of the games it holds examples of."""
        return frozenset(self._examples)

    def _refit(self, now: datetime) -> None:
        usable = sorted(
            (e for e in self._examples.values() if e.known_at < now),
            key=lambda e: (e.context.game.commence_time, e.context.game.id),
        )
        fitted: list[Model] = []
        for m, model in enumerate(self._base):
            if isinstance(model, RowTrainable):
                rows: list[Any] = []
                for example in usable:
                    key = (m, example.context.game.id)
                    if key not in self._rows:
                        self._rows[key] = model.training_rows(example)
                    rows.extend(self._rows[key])
                fitted.append(model.fit_rows(rows))
            elif isinstance(model, Trainable):
                fitted.append(model.fit(usable))
            else:
                fitted.append(model)
        self._fitted = fitted
        self._last_fit = now
        self.refits += 1
