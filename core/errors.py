"""One error hierarchy for the whole product.

    BennyError                      base of everything Benny raises on purpose
    ├── InvalidInput (ValueError)   a caller passed a bad value; the message names argument and value
    ├── NotFound (LookupError)      a named thing (user, game, model) does not exist for this caller
    │   └── UnknownUser             a user name that is not in the database
    ├── ConfigError                 settings that cannot work (a malformed DATABASE_URL, say)
    ├── StoreError                  the database refused or is unreachable
    │   ├── DatabaseUnavailable     it cannot be opened or read, or the connection was lost
    │   └── Conflict                a write lost a race for a unique row (a slot, a name); retry
    └── UpstreamError               a data provider failed (after any retries that were right)
        └── OddsApiError            The Odds API answered with an error (``status``, ``error_code``)
            └── OutOfCredits        OUT_OF_USAGE_CREDITS: no paid call until the quota resets

Library callers can catch the built-in bases (``ValueError``, ``LookupError``); the CLI maps
``InvalidInput``, ``NotFound`` and ``ConfigError`` to exit status 2 with one line.
"""

from __future__ import annotations


class BennyError(Exception):
    """Base of every error Benny raises on purpose."""


class InvalidInput(BennyError, ValueError):
    """A caller passed a value outside the domain; the message names the argument and value."""


class NotFound(BennyError, LookupError):
    """A named thing does not exist (or is not visible to this caller)."""


class UnknownUser(NotFound):
    def __init__(self, name: str) -> None:
        super().__init__(f"unknown user '{name}' (create it: benny users create {name})")
        self.name = name


class ConfigError(BennyError):
    """Settings that cannot work."""


class Busy(BennyError):
    """Another process holds what this one needs (the scheduler's lock)."""


class StoreError(BennyError):
    """The database refused the operation or cannot be reached."""


class DatabaseUnavailable(StoreError):
    """The database cannot be opened or read (a missing or corrupt file, a server down), or the
    connection to it was lost; the message says why, not where (the faces that may, add it)."""


class Conflict(StoreError):
    """Another writer stored the unique row (a slot, a name) first; the caller may look again and retry."""


class UpstreamError(BennyError):
    """A data provider (The Odds API, ESPN) failed; the message never contains a key."""


class OddsApiError(UpstreamError):
    def __init__(self, message: str, *, status: int | None = None, error_code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.error_code = error_code


class OutOfCredits(OddsApiError):
    """The monthly quota is spent: paid calls stop until it resets."""
