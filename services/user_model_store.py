"""Creating a user model race-safely: take the lowest free slot, and on a collision try again.

The five-model limit is the database's (a unique slot 1-5 per user): this loop only decides
which slot to ask for and turns the outcome into a clear message. Each attempt is its own unit
of work, so a lost race rolls back nothing else.
"""

from __future__ import annotations

from typing import Any

from core.errors import Conflict, InvalidInput
from services.context import ToolContext
from store.user_models import free_slot, insert_model, name_taken

MAX_ATTEMPTS = 12  # five slots, each lost at most once or twice to a racing creation
TOO_MANY = "you have five models already, the most allowed: delete or change one first"


def create_model_row(
    ctx: ToolContext, *, name: str, spec: dict[str, Any], min_confidence: float, status: str = "active"
) -> int:
    """Store a new model for the context's user; its id. A sixth model or a taken name: InvalidInput."""
    for _ in range(MAX_ATTEMPTS):
        try:
            with ctx.unit_of_work() as session:
                if name_taken(session=session, user_id=ctx.user.id, name=name):
                    raise InvalidInput(f"you already have a model called {name!r}")
                slot = free_slot(session=session, user_id=ctx.user.id)
                if slot is None:
                    raise InvalidInput(TOO_MANY)
                return insert_model(
                    session=session,
                    user_id=ctx.user.id,
                    slot=slot,
                    name=name,
                    spec=spec,
                    min_confidence=min_confidence,
                    status=status,
                    now=ctx.now(),
                )
        except Conflict:
            continue  # another creation took that slot (or name) first: look again
    raise InvalidInput(TOO_MANY)
