"""Users: created explicitly, never implicitly; everything per user is scoped by them."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core.errors import InvalidInput, UnknownUser
from store.tables import User

LOCAL_USER = "local"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def validate_name(name: str) -> str:
    if not _NAME.match(name):
        raise InvalidInput(
            "user name must be 1-64 letters, digits, '.', '_' or '-' and start with a letter or digit, "
            f"got {name!r}"
        )
    return name


def create_user(*, session: Session, name: str, now: datetime, password_hash: str | None = None) -> User:
    """Add a user; a name that exists already is an ``InvalidInput``.

    ``password_hash`` (from ``core.passwords.hash_password``) lets the user log in to the chat;
    without one the user exists for the CLI and the library only. Call it in a unit of work of
    its own: a lost race on the unique name rolls that work back.
    """
    validate_name(name)
    exists = InvalidInput(f"user '{name}' exists already")
    if session.exec(select(User.id).where(User.name == name)).first() is not None:
        raise exists
    user = User(name=name, created_at=now, password_hash=password_hash)
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise exists from None
    return user


def ensure_user(*, session: Session, name: str, now: datetime) -> User:
    """The user called ``name``, created if missing (for ``benny init`` only)."""
    existing = session.exec(select(User).where(User.name == name)).first()
    return existing if existing is not None else create_user(session=session, name=name, now=now)


def get_user(*, session: Session, name: str) -> User:
    user = session.exec(select(User).where(User.name == name)).first()
    if user is None:
        raise UnknownUser(name)
    return user


def list_users(*, session: Session) -> list[User]:
    return list(session.exec(select(User).order_by(User.name)))


def find_user(*, session: Session, name: str) -> User | None:
    """The user called ``name``, or None (for a login, where an unknown name is no error)."""
    return session.exec(select(User).where(User.name == name)).first()


def set_password_hash(*, session: Session, name: str, password_hash: str | None) -> User:
    """Replace a user's password hash (None: the user can no longer log in to the chat)."""
    user = get_user(session=session, name=name)
    user.password_hash = password_hash
    session.add(user)
    session.flush()
    return user
