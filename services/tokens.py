"""API tokens for the REST API and MCP: made for a user, checked by hash, revoked.

A token is 32 random bytes (``benny_`` and URL-safe base64), shown once when it is made; the
database keeps its SHA-256 hash, which is enough to check a token and useless to anyone who
reads the table. Requests carry it as ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from pydantic import BaseModel

from services.context import CurrentUser
from store.db import Engine, unit_of_work
from store.tokens import add_token, live_tokens, revoke_tokens, user_for_token
from store.users import get_user

PREFIX = "benny_"
MAX_TOKEN_CHARS = 128
# Never a user's id: requests without a token read the public data as nobody.
ANONYMOUS = CurrentUser(id=0, name="anonymous")


class IssuedToken(BaseModel):
    user: str
    token: str
    created_at: datetime


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(*, engine: Engine, user: str, now: datetime) -> IssuedToken:
    """A new token for an existing user (``UnknownUser`` otherwise); the only time it is shown."""
    token = PREFIX + secrets.token_urlsafe(32)
    with unit_of_work(engine) as session:
        row = get_user(session=session, name=user)
        assert row.id is not None
        add_token(session=session, user_id=row.id, token_hash=hash_token(token), prefix=token[:12], now=now)
    return IssuedToken(user=row.name, token=token, created_at=now)


def revoke_user_tokens(*, engine: Engine, user: str, now: datetime) -> int:
    """Revoke every live token of the user; how many there were."""
    with unit_of_work(engine) as session:
        row = get_user(session=session, name=user)
        assert row.id is not None
        return revoke_tokens(session=session, user_id=row.id, now=now)


def token_count(*, engine: Engine, user: str) -> int:
    with unit_of_work(engine) as session:
        row = get_user(session=session, name=user)
        assert row.id is not None
        return len(live_tokens(session=session, user_id=row.id))


def token_user(*, engine: Engine, token: str) -> CurrentUser | None:
    """The user a live token belongs to; None for an unknown, revoked or malformed one."""
    token = token.strip()
    if not token.startswith(PREFIX) or len(token) > MAX_TOKEN_CHARS:
        return None
    with unit_of_work(engine) as session:
        found = user_for_token(session=session, token_hash=hash_token(token))
    return None if found is None else CurrentUser(id=found[0], name=found[1])
