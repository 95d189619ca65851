"""Users' own models: stored per user, five at most, and every read and write scoped by the owner.

The limit is the database's: a model takes one of five numbered slots (unique per user, checked
1-5), so ten creations racing each other leave five rows whatever their timing. Every function
takes the owner's id and matches on it: another user's model id behaves exactly like an id that
does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from core.errors import Conflict
from store.tables import BacktestRun, User, UserModel, table_of
from store.upsert import insert_ignore

SLOTS = (1, 2, 3, 4, 5)


@dataclass(frozen=True, slots=True)
class StoredModel:
    id: int
    user_id: int
    slot: int | None
    name: str
    spec: dict[str, Any]
    min_confidence: float
    status: str
    created_at: datetime
    updated_at: datetime


def _columns(table: sa.Table) -> list[Any]:
    return [
        table.c.id, table.c.user_id, table.c.slot, table.c.name, table.c.spec, table.c.min_confidence,
        table.c.status, table.c.created_at, table.c.updated_at,
    ]  # fmt: skip


def lock_models(*, session: Session, user_id: int) -> None:
    """Hold the user's models still until this transaction ends, so a change decided on them stays true.

    PostgreSQL: the user's row, locked ``FOR UPDATE``: another change of the same user's models
    waits for this one to commit, then reads what it wrote. SQLite: a write that changes nothing
    takes the database's one write lock now rather than at the first real write, and reading
    after it sees every commit before it.
    """
    users = table_of(User)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(users.c.id).where(users.c.id == user_id).with_for_update())
    else:
        session.execute(sa.update(users).where(users.c.id == user_id).values(name=users.c.name))


def free_slot(*, session: Session, user_id: int) -> int | None:
    """The lowest slot the user has free, or None when all five are taken."""
    table = table_of(UserModel)
    taken = set(session.execute(sa.select(table.c.slot).where(table.c.user_id == user_id)).scalars())
    return next((slot for slot in SLOTS if slot not in taken), None)


def name_taken(*, session: Session, user_id: int, name: str, other_than: int | None = None) -> bool:
    """Whether another of the user's models (a deleted one too) has this name; ``other_than`` is skipped."""
    table = table_of(UserModel)
    query = sa.select(table.c.id).where(table.c.user_id == user_id, table.c.name == name)
    if other_than is not None:
        query = query.where(table.c.id != other_than)
    return session.execute(query).first() is not None


def insert_model(
    *,
    session: Session,
    user_id: int,
    slot: int,
    name: str,
    spec: dict[str, Any],
    min_confidence: float,
    status: str,
    now: datetime,
) -> int:
    """Insert one model in ``slot``; a slot or name another creation took first raises ``Conflict``.

    The failed insert leaves the transaction unusable on PostgreSQL: let ``Conflict`` end the
    unit of work (which rolls it back) and look again in a new one.
    """
    table = table_of(UserModel)
    row = {
        "user_id": user_id, "slot": slot, "name": name, "spec": spec, "min_confidence": min_confidence,
        "status": status, "created_at": now, "updated_at": now,
    }  # fmt: skip
    try:
        return int(session.execute(sa.insert(table).returning(table.c.id), [row]).scalar_one())
    except IntegrityError as exc:
        raise Conflict(f"slot {slot} or the name {name!r} was taken meanwhile") from exc


def list_models(*, session: Session, user_id: int) -> list[StoredModel]:
    """The user's models (deleted ones left out), in slot order."""
    table = table_of(UserModel)
    rows = session.execute(
        sa.select(*_columns(table))
        .where(table.c.user_id == user_id, table.c.status != "deleted")
        .order_by(table.c.slot)
    )
    return [StoredModel(*row) for row in rows]


def get_model(*, session: Session, user_id: int, model_id: int) -> StoredModel | None:
    """The user's model with this id; None for a missing id and for anyone else's alike."""
    table = table_of(UserModel)
    row = session.execute(
        sa.select(*_columns(table)).where(
            table.c.id == model_id, table.c.user_id == user_id, table.c.status != "deleted"
        )
    ).first()
    return None if row is None else StoredModel(*row)


def update_model(
    *,
    session: Session,
    user_id: int,
    model_id: int,
    now: datetime,
    **values: Any,
) -> bool:
    """Change the user's model (name, spec, min_confidence, status); False when it is not theirs.

    A name another model took meanwhile raises ``Conflict``, as in ``insert_model``.
    """
    table = table_of(UserModel)
    try:
        done = session.execute(
            sa.update(table)
            .where(table.c.id == model_id, table.c.user_id == user_id, table.c.status != "deleted")
            .values(**values, updated_at=now)
            .returning(table.c.id)
        ).first()
    except IntegrityError as exc:
        raise Conflict(f"the name {values.get('name')!r} was taken meanwhile") from exc
    return done is not None


def delete_model(*, session: Session, user_id: int, model_id: int, now: datetime) -> bool:
    """Delete the user's model; False when it is not theirs.

    The row stays (its predictions in the ledger still name it) but gives back its slot and its
    name, and no listing, run or backtest sees it again.
    """
    table = table_of(UserModel)
    model = get_model(session=session, user_id=user_id, model_id=model_id)
    if model is None:
        return False
    gone = f"{model.name[:60]} (deleted #{model_id})"
    done = session.execute(
        sa.update(table)
        .where(table.c.id == model_id, table.c.user_id == user_id, table.c.status != "deleted")
        .values(status="deleted", slot=None, name=gone, updated_at=now)
        .returning(table.c.id)
    ).first()
    return done is not None


def count_variants(
    *, session: Session, user_id: int, start_day: date, end_day: date, spec_key: str, now: datetime
) -> int:
    """Record a backtest of one spec on a window; how many different specs the user has tried on it."""
    runs = table_of(BacktestRun)
    insert_ignore(
        session,
        runs,
        [
            {
                "user_id": user_id,
                "start_day": start_day,
                "end_day": end_day,
                "spec_key": spec_key,
                "created_at": now,
            }
        ],
        conflict=["user_id", "start_day", "end_day", "spec_key"],
    )
    return int(
        session.execute(
            sa.select(sa.func.count())
            .select_from(runs)
            .where(runs.c.user_id == user_id, runs.c.start_day == start_day, runs.c.end_day == end_day)
        ).scalar_one()
    )
