"""API tokens: issued, looked up by hash, revoked. The token itself is never stored."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from store.tables import ApiToken, User, table_of


def add_token(*, session: Session, user_id: int, token_hash: str, prefix: str, now: datetime) -> int:
    tokens = table_of(ApiToken)
    row = session.execute(
        sa.insert(tokens)
        .values(user_id=user_id, token_hash=token_hash, prefix=prefix, created_at=now)
        .returning(tokens.c.id)
    ).scalar_one()
    return int(row)


def user_for_token(*, session: Session, token_hash: str) -> tuple[int, str] | None:
    """(user id, user name) of a live token with this hash, or None."""
    tokens, users = table_of(ApiToken), table_of(User)
    row = session.execute(
        sa.select(users.c.id, users.c.name)
        .join(tokens, tokens.c.user_id == users.c.id)
        .where(tokens.c.token_hash == token_hash, tokens.c.revoked_at.is_(None))
    ).first()
    return None if row is None else (int(row[0]), str(row[1]))


def revoke_tokens(*, session: Session, user_id: int, now: datetime) -> int:
    """Revoke every live token of the user; how many there were."""
    tokens = table_of(ApiToken)
    revoked = session.execute(
        sa.update(tokens)
        .where(tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)
        .returning(tokens.c.id)
    ).all()
    return len(revoked)


def live_tokens(*, session: Session, user_id: int) -> list[tuple[str, datetime]]:
    """(prefix, created) of the user's live tokens, oldest first."""
    tokens = table_of(ApiToken)
    rows = session.execute(
        sa.select(tokens.c.prefix, tokens.c.created_at)
        .where(tokens.c.user_id == user_id, tokens.c.revoked_at.is_(None))
        .order_by(tokens.c.created_at, tokens.c.id)
    )
    return [(prefix, created) for prefix, created in rows]
