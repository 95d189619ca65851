"""Benny in the browser: the Chainlit entry point, run with `benny run` (or `make run`).

Chainlit loads this file by path, so the app lives in the installed package ``web``: the chat's
handlers (``web.chat``, registered by importing it), logins (``web.login``), Benny's routes
ahead of Chainlit's (``web.routes``), and Chainlit's routes for features that are off closed
(``web.closed_routes``). The runtime (settings, database, agent graph) is built on
first use, not here. Login is the one thing decided when Chainlit loads this file: Chainlit
shows a login page exactly when a password callback is registered.
"""

from __future__ import annotations

import os

from web import chat  # noqa: F401  (importing it registers Chainlit's handlers)
from web.closed_routes import close_unused_routes
from web.login import register_logins
from web.routes import install_routes, serve_page_offline

# Chainlit takes DATABASE_URL for its own data layer; here it names Benny's database, so hand it
# to Benny under its own name before Chainlit looks.
if "DATABASE_URL" in os.environ:
    os.environ.setdefault("BENNY_DATABASE_URL", os.environ.pop("DATABASE_URL"))

install_routes()
serve_page_offline()
register_logins()
close_unused_routes()
