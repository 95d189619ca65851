"""Benny in the browser: the Chainlit entry point, run with `benny run` (or `make run`).

Chainlit loads this file by path; the app itself lives in the installed package ``web``.
"""

from web import chat  # noqa: F401  (importing it registers Chainlit's handlers)
