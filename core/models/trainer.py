"""Keeping models fit walk-forward while a clock moves: the live loop's and the replays' trainer.

Finished games join as training examples (the context their closing prediction was made from,
and the final score). Every ``refit_every`` the trainable models are refit, from their unfitted
selves, on the examples whose results were known before that moment — never on the games they
are about to predict.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from core.errors import InvalidInput
from core.models.base import Model
from core.models.training import RowTrainable, Trainable, TrainingExample


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
        """The models as fit for ``now``: refit first when ``refit_every`` has passed since the last fit."""
        if self._last_fit is None or now - self._last_fit >= self._refit_every:
            self._refit(now)
        return list(self._fitted)

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
