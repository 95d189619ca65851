"""Logging in to the chat: users' passwords checked against the store, and the app's signing secret.

The app's ``@cl.password_auth_callback`` calls ``authenticate``; the user it returns is the one
every tool call of that session runs as. A wrong password, an unknown user and a user without a
password all give None, and cost about the same time.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from core.passwords import DUMMY_HASH, verify_password
from services.context import CurrentUser
from store.db import Engine, unit_of_work
from store.users import find_user

log = logging.getLogger(__name__)

SECRET_FILE = "chainlit_auth_secret"
MAX_PASSWORD_CHARS = 1024


def authenticate(*, engine: Engine, name: str, password: str) -> CurrentUser | None:
    """The user ``name`` if ``password`` is theirs; None otherwise (never raises for bad input)."""
    name = name.strip()
    if not name or len(name) > 64 or not password or len(password) > MAX_PASSWORD_CHARS:
        return None
    with unit_of_work(engine) as session:
        row = find_user(session=session, name=name)
        stored = row.password_hash if row is not None else None
        found = CurrentUser(id=row.id, name=row.name) if row is not None and row.id is not None else None
    matches = verify_password(password, stored or DUMMY_HASH)
    if found is None or stored is None or not matches:
        log.info("login refused", extra={"login_user": name})
        return None
    log.info("login %s", found.name, extra={"login_user": found.name})
    return found


def auth_secret(home: Path) -> str:
    """The secret Chainlit signs its login tokens with: made once, kept in ``home`` (mode 600).

    Two processes starting at once agree on one secret: the file is created exclusively and the
    loser reads the winner's.
    """
    path = home / SECRET_FILE
    home.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        secret = path.read_text().strip()
        if not secret:
            raise OSError(f"{path} is empty: delete it and start again to make a new secret") from None
        return secret
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as out:
        out.write(secret + "\n")
    log.info("made a new chat login secret in %s", path)
    return secret
