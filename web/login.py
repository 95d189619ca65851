"""Logins (``BENNY_AUTH``): whether they are on, Chainlit's password callback, who is chatting.

Chainlit shows a login page exactly when a password callback is registered, so the entry decides
once, when Chainlit loads it, from ``logins_on()``. With logins on, each user logs in with the
password from ``benny users create NAME --password``, chats as that user, and finds their
threads (charts included) in the history; with them off (the default) there is one local user,
no login page and no history. Failed logins are throttled per name and per address
(``web.login_throttle``). Every tool call runs as the logged-in user, never as one named in
the chat's text.
"""

from __future__ import annotations

import asyncio
import functools
import os
from typing import Any

import chainlit as cl

from core.settings import load_settings
from services.auth import auth_secret, authenticate
from tools.context import LOCAL_USER
from web.app_state import chat_history, runtime
from web.chat_store import ChatHistory
from web.login_throttle import LoginThrottle


@functools.cache
def logins_on() -> bool:
    """Whether logins are on, read once; with them on, Chainlit's token secret is set before it checks."""
    settings = load_settings()
    if settings.auth and not os.environ.get("CHAINLIT_AUTH_SECRET"):
        os.environ["CHAINLIT_AUTH_SECRET"] = auth_secret(settings.home.resolve())
    return settings.auth


async def login(username: str, password: str) -> cl.User | None:
    """Chainlit's password callback: a user of Benny's with that password, or None."""
    rt = await asyncio.to_thread(runtime)
    user = await asyncio.to_thread(authenticate, engine=rt.engine, name=username, password=password)
    if user is None:
        return None
    return cl.User(identifier=user.name, display_name=user.name, metadata={"provider": "password"})


def data_layer() -> Any:
    """Chainlit's data layer factory: the history's, or none (Chainlit then keeps no history)."""
    history: ChatHistory | None = chat_history()
    return history.data_layer() if history is not None else None


def register_logins() -> bool:
    """With logins on, Chainlit's password callback and data layer, and its ``/login`` throttled
    (``web.login_throttle``); returns whether they are on."""
    if not logins_on():
        return False
    import chainlit.server as chainlit_server
    from chainlit.config import config

    cl.password_auth_callback(login)
    cl.data_layer(data_layer)
    chainlit_server.app.add_middleware(LoginThrottle, login_path=f"{config.run.root_path}/login")
    return True


def user_name() -> str:
    """The logged-in user with logins on; the local user otherwise. Never from the chat's text."""
    if not logins_on():
        return LOCAL_USER
    user = cl.context.session.user
    if user is None:  # Chainlit refuses the connection first; this is the guard behind it
        raise PermissionError("no logged-in user")
    return str(user.identifier)
