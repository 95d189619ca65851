"""The user's own models as tools: build and edit them in plain language, list, show and delete them.

Every tool reads and writes the logged-in user's models only (the user comes from the context,
never from an argument). A change described in words is read by ``core.user_models.parse``
and shown back first; it is saved only when the call says ``confirm=True`` — the chat asks the
user before it makes that call, the CLI's ``--yes`` makes it at once. With an LLM in the chat,
``create_user_model`` and ``update_user_model`` also take the model as structured fields
(``spec``), which the registry validates against their schema and ``ModelSpec`` checks whole:
the LLM can place phrasings the offline parser does not know, and still cannot save what a user
could not have typed.

Each tool decides the whole change before it writes (``services.user_model_store.save_change``):
which action it is, whether this tool makes it (words asking ``create_user_model`` to delete are
refused, not obeyed), that the model is the user's, the five-model limit. A refusal has written
nothing; a confirmed change is written in the transaction it was decided in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.errors import InvalidInput, NotFound
from core.user_models.parse import (
    Create,
    Delete,
    ExistingModel,
    NotUnderstood,
    Pause,
    Request,
    Resume,
    Update,
    parse_request,
)
from core.user_models.spec import MAX_MODELS_PER_USER, ModelSpec, Status, default_name
from services.user_model_store import Action, Plan, save_change, stored_spec
from store.user_models import StoredModel, get_model, list_models
from tools.context import current
from tools.registry import tool


class UserModelView(BaseModel):
    id: int
    name: str
    sports: list[str]
    markets: list[str]
    weights: dict[str, float] = Field(description="each data source's share, summing to 1")
    min_confidence: float = Field(description="the model bets only at or above this probability")
    status: str
    description: str
    updated_at: datetime


class ModelChange(BaseModel):
    action: str = Field(description="create, update, pause, resume, delete, or not_understood")
    saved: bool = Field(description="False: a preview; confirm to save it")
    model: UserModelView | None = Field(description="the model as it is (or would be) after the change")
    message: str
    unknown_words: list[str] = Field(default_factory=list)


SourceName = Literal["team_stats", "odds_movement", "injuries", "recent_form", "head_to_head"]


class SpecFields(BaseModel):
    """A model as structured fields: what a plain-language description says, already placed."""

    model_config = ConfigDict(extra="forbid")

    sports: list[Literal["nba", "nfl", "mlb", "nhl", "epl"]] = Field(min_length=1)
    weights: dict[SourceName, float] = Field(
        description="each source's relative weight (>= 0, at least one > 0); normalised to sum to 1"
    )
    markets: list[Literal["h2h", "spreads", "totals"]] | None = Field(
        default=None, description="default: all three"
    )
    min_confidence: float | None = Field(
        default=None, description="bet only at or above this probability (0.5 to 0.95); default 0.55"
    )
    name: str | None = Field(default=None, description="default: made from the sports and the weights")


def _spec_of(fields: SpecFields, name: str) -> ModelSpec:
    """The checked spec; any field the checks refuse is an ``InvalidInput`` naming it."""
    data: dict[str, Any] = {"name": fields.name or name, "sports": fields.sports, "weights": fields.weights}
    if fields.markets is not None:
        data["markets"] = fields.markets
    if fields.min_confidence is not None:
        data["min_confidence"] = fields.min_confidence
    return ModelSpec.from_json(data)


def _view(model_id: int, spec: ModelSpec, updated_at: datetime) -> UserModelView:
    return UserModelView(
        id=model_id,
        name=spec.name,
        sports=[s.short for s in spec.sports],
        markets=[m.value for m in spec.markets],
        weights={source.value: round(w, 6) for source, w in spec.weights.items()},
        min_confidence=spec.min_confidence,
        status=spec.status,
        description=spec.describe(),
        updated_at=updated_at,
    )


def _mine() -> list[StoredModel]:
    ctx = current()
    with ctx.unit_of_work() as session:
        return list_models(session=session, user_id=ctx.user.id)


def _one(model_id: int) -> StoredModel:
    ctx = current()
    with ctx.unit_of_work() as session:
        row = get_model(session=session, user_id=ctx.user.id, model_id=model_id)
    if row is None:
        # The same answer whether the id never existed or is another user's.
        raise NotFound(f"you have no model {model_id}")
    return row


@tool(per_user=True, tags=("user_models",))
def list_user_models() -> list[UserModelView]:
    """Your own models (at most five): sports, markets, the five sources' weights, threshold, status."""
    return [_view(row.id, stored_spec(row), row.updated_at) for row in _mine()]


@tool(per_user=True, tags=("user_models",))
def show_user_model(model_id: int) -> UserModelView:
    """One of your models in full.

    Args:
        model_id: the model's number, as list_user_models gives it.
    """
    row = _one(model_id)
    return _view(row.id, stored_spec(row), row.updated_at)


_ACTIONS: dict[type, Action] = {
    Create: "create", Update: "update", Pause: "pause", Resume: "resume", Delete: "delete",
}  # fmt: skip
_DONE = {
    "create": "Created", "update": "Updated", "pause": "Paused", "resume": "Resumed", "delete": "Deleted",
}  # fmt: skip

Decision = Plan | NotUnderstood
Decide = Callable[[list[StoredModel]], Decision]


def _target(rows: list[StoredModel], model_id: int) -> StoredModel:
    row = next((r for r in rows if r.id == model_id), None)
    if row is None:
        raise NotFound(f"you have no model {model_id}")
    return row


def _plan(request: Request, rows: list[StoredModel], *, allowed: frozenset[Action], refusal: str) -> Decision:
    """A parsed request as the change it would write; one this tool does not make is refused here."""
    if isinstance(request, NotUnderstood):
        return request
    action = _ACTIONS[type(request)]
    if action not in allowed:
        raise InvalidInput(refusal)
    if isinstance(request, Create):
        return Plan(action, request.spec)
    before = _target(rows, request.model_id)
    if isinstance(request, Update):
        return Plan(action, request.spec, before)
    if isinstance(request, Delete):
        return Plan(action, None, before)
    status: Status = "paused" if action == "pause" else "active"
    return Plan(action, replace(stored_spec(before), status=status), before)


def _words(description: str, *, allowed: frozenset[Action], refusal: str) -> Decide:
    """Decide a plain-language request on the user's models as they are when it is saved."""

    def decide(rows: list[StoredModel]) -> Decision:
        existing = [ExistingModel(row.id, row.name, stored_spec(row)) for row in rows]
        return _plan(parse_request(description, existing), rows, allowed=allowed, refusal=refusal)

    return decide


def _structured(fields: SpecFields, model_id: int | None) -> Decide:
    """Decide a create (no model id) or an update of one of the user's models, from structured fields."""

    def decide(rows: list[StoredModel]) -> Decision:
        taken = {row.name.casefold() for row in rows if row.id != model_id}
        before = None if model_id is None else _target(rows, model_id)
        if before is None:
            if len(rows) >= MAX_MODELS_PER_USER:
                return NotUnderstood(
                    f"You already have {MAX_MODELS_PER_USER} models, the most allowed; delete one first."
                )
            spec = _spec_of(fields, "new model")
            if fields.name is None:
                name, n = default_name(spec), 2
                while name.casefold() in taken:
                    name, n = f"{default_name(spec)} {n}", n + 1
                spec = replace(spec, name=name)
        else:
            spec = replace(_spec_of(fields, before.name), status=stored_spec(before).status)
        if spec.name.casefold() in taken:
            return NotUnderstood(f"You already have a model called '{spec.name}'; pick another name.")
        return Plan("create" if before is None else "update", spec, before)

    return decide


def _change(decide: Decide, *, confirm: bool) -> ModelChange:
    """Decide the change; show it back, or (confirmed) write it in the same transaction."""
    decision, model_id = save_change(current(), decide, confirm=confirm)
    if isinstance(decision, NotUnderstood):
        return ModelChange(
            action="not_understood",
            saved=False,
            model=None,
            message=decision.message,
            unknown_words=list(decision.unknown_words),
        )
    action, spec = decision.action, decision.spec
    now = current().now()
    if model_id is None:
        target = 0 if decision.before is None else decision.before.id
        shown = None if spec is None else _view(target, spec, now)
        what = f"delete model {target}" if spec is None else spec.describe()
        return ModelChange(
            action=action, saved=False, model=shown, message=f"To {action}: {what}. Confirm to save."
        )
    shown = None if spec is None else _view(model_id, spec, now)
    return ModelChange(action=action, saved=True, model=shown, message=f"{_DONE[action]} model {model_id}.")


# What each tool may do with words; anything else is refused before a thing is written.
_CREATES: frozenset[Action] = frozenset({"create"})
_CHANGES: frozenset[Action] = frozenset({"update", "pause", "resume", "delete"})


@tool(per_user=True, tags=("user_models",))
def create_user_model(
    description: str = "", confirm: bool = False, spec: SpecFields | None = None
) -> ModelChange:
    """Build one of your own models from plain language; shown back first, saved only when confirmed.

    For example "NBA: 40% recent form, 30% injuries, 30% line movement, bet above 60%". The five
    data sources are team stats, odds movement, injuries, recent form and head-to-head. Call it
    without confirm to show the user the model, and again with confirm=true once they agree.

    Args:
        description: the model in words: sports, the weights of the sources, the threshold.
        confirm: save it (only after the user has seen the preview and said yes).
        spec: the model as fields instead of words (then description is not read).
    """
    if spec is not None:
        return _change(_structured(spec, None), confirm=confirm)
    if not description.strip():
        raise InvalidInput("describe the model in words, or give its fields as spec")
    refusal = "that describes a change to an existing model: use update_user_model"
    return _change(_words(description, allowed=_CREATES, refusal=refusal), confirm=confirm)


@tool(per_user=True, tags=("user_models",))
def update_user_model(
    description: str = "", confirm: bool = False, model_id: int | None = None, spec: SpecFields | None = None
) -> ModelChange:
    """Change, pause, resume or delete one of your models in plain language; saved only when confirmed.

    For example "make injuries 50%", "pause my NBA model", "turn the threshold down to 55%",
    "delete the hockey one".

    Args:
        description: the change in words, naming the model when you have several.
        confirm: save it (only after the user has seen the preview and said yes).
        model_id: with spec, the model whose fields spec replaces (its status is kept).
        spec: the model's new fields instead of words (then description is not read).
    """
    if spec is not None or model_id is not None:
        if spec is None or model_id is None:
            raise InvalidInput("give both model_id and spec, or describe the change in words")
        return _change(_structured(spec, model_id), confirm=confirm)
    if not description.strip():
        raise InvalidInput("describe the change in words, or give model_id and spec")
    refusal = "that describes a new model: use create_user_model"
    return _change(_words(description, allowed=_CHANGES, refusal=refusal), confirm=confirm)


@tool(per_user=True, tags=("user_models",))
def delete_user_model(model_id: int, confirm: bool = False) -> ModelChange:
    """Delete one of your models (its past predictions stay in the record); only when confirmed.

    Args:
        model_id: the model's number, as list_user_models gives it.
        confirm: delete it (only after the user has said yes).
    """
    plan, deleted = save_change(
        current(), lambda rows: Plan("delete", None, _target(rows, model_id)), confirm=confirm
    )
    if deleted is None:
        row = plan.before
        assert row is not None  # a delete names its model
        return ModelChange(
            action="delete", saved=False, model=_view(row.id, stored_spec(row), row.updated_at),
            message=f"To delete model {model_id} ({row.name}). Confirm to delete it.",
        )  # fmt: skip
    return ModelChange(action="delete", saved=True, model=None, message=f"Deleted model {model_id}.")
