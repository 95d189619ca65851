"""Changing a user's models: decide on them as they are, then write that decision, in one transaction.

``save_change`` reads the user's models in the transaction that will write (held still until it
ends: ``store.user_models.lock_models``) and hands them to a decision. The decision answers a
``Plan`` (create, update, pause, resume or delete, with the whole spec after the change), or
anything else (a question back to the user), or raises to refuse. Only a confirmed ``Plan`` is
written, in that same transaction: a refusal, a question or a preview has written nothing.

The five-model limit is the database's (a unique slot 1-5 per user): the write takes the lowest
free slot, and when a racing creation took it first the whole attempt, decision included, runs
again in a new transaction, so a lost race rolls back nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from core.errors import Conflict, InvalidInput, NotFound
from core.user_models.spec import ModelSpec
from services.context import ToolContext
from store.db import Session
from store.user_models import (
    StoredModel,
    delete_model,
    free_slot,
    insert_model,
    list_models,
    lock_models,
    name_taken,
    update_model,
)

MAX_ATTEMPTS = 12  # five slots, each lost at most once or twice to a racing creation
TOO_MANY = "you have five models already, the most allowed: delete or change one first"

Action = Literal["create", "update", "pause", "resume", "delete"]
D = TypeVar("D")


@dataclass(frozen=True, slots=True)
class Plan:
    """A change decided whole: what it does, the model after it, and the model it changes."""

    action: Action
    spec: ModelSpec | None  # the model after the change; None for a delete
    before: StoredModel | None = None  # the model changed; None for a create

    def __post_init__(self) -> None:
        if (self.action == "create") != (self.before is None):
            raise ValueError("a create changes no model; every other action changes one")
        if (self.action == "delete") != (self.spec is None):
            raise ValueError("a delete leaves no spec; every other action has one")


def stored_spec(row: StoredModel) -> ModelSpec:
    """The row's spec with the row's status (pausing writes both; older rows may only have the column)."""
    spec = ModelSpec.from_json(row.spec)
    return spec if spec.status == row.status else ModelSpec.from_json({**row.spec, "status": row.status})


def save_change(
    ctx: ToolContext, decide: Callable[[list[StoredModel]], D], *, confirm: bool
) -> tuple[D, int | None]:
    """Decide on the user's models and, when the decision is a confirmed ``Plan``, write it.

    Returns the decision and the id of the model written (None when nothing was). Whatever
    ``decide`` raises ends the transaction before any write.
    """
    for _ in range(MAX_ATTEMPTS):
        try:
            with ctx.unit_of_work() as session:
                if confirm:
                    lock_models(session=session, user_id=ctx.user.id)
                decision = decide(list_models(session=session, user_id=ctx.user.id))
                if not confirm or not isinstance(decision, Plan):
                    return decision, None
                return decision, _write(session, ctx, decision)
        except Conflict:
            continue  # another creation took that slot (or name) first: decide again
    raise InvalidInput(TOO_MANY)


def _write(session: Session, ctx: ToolContext, plan: Plan) -> int:
    """Write a plan already decided on the models this transaction holds; its model's id."""
    user_id, now, before = ctx.user.id, ctx.now(), plan.before
    if plan.spec is None:
        assert before is not None  # a delete changes a model (Plan checks it)
        if not delete_model(session=session, user_id=user_id, model_id=before.id, now=now):
            raise NotFound(f"you have no model {before.id}")
        return before.id
    spec = plan.spec
    other_than = None if before is None else before.id
    if name_taken(session=session, user_id=user_id, name=spec.name, other_than=other_than):
        raise InvalidInput(f"you already have a model called {spec.name!r}")
    if before is None:
        slot = free_slot(session=session, user_id=user_id)
        if slot is None:
            raise InvalidInput(TOO_MANY)
        return insert_model(
            session=session, user_id=user_id, slot=slot, name=spec.name, spec=spec.to_json(),
            min_confidence=spec.min_confidence, status=spec.status, now=now,
        )  # fmt: skip
    if not update_model(
        session=session, user_id=user_id, model_id=before.id, now=now, name=spec.name,
        spec=spec.to_json(), min_confidence=spec.min_confidence, status=spec.status,
    ):  # fmt: skip
        raise NotFound(f"you have no model {before.id}")
    return before.id
