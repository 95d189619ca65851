"""Password hashes: scrypt (stdlib), a random salt per password, a self-describing string.

The stored form is ``scrypt$N$r$p$SALT$HASH`` with SALT and HASH in base64, so the cost can be
raised later without breaking the hashes already stored: each one carries its own parameters.
Checking compares in constant time and never raises on a malformed or foreign hash.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCHEME = "scrypt"
N = 2**14  # CPU/memory cost: 16 MiB and ~50 ms per check with r=8
R = 8
P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MAX_N = 2**20  # a stored hash asking for more is refused rather than computed
_MAXMEM = 256 * 1024 * 1024


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, *, n: int, r: int, p: int, length: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=length, maxmem=_MAXMEM)


def hash_password(password: str, *, salt: bytes | None = None, n: int = N, r: int = R, p: int = P) -> str:
    """The storable hash of ``password``; a fresh random salt unless one is given (tests)."""
    if not password:
        raise ValueError("a password must not be empty")
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = _derive(password, salt, n=n, r=r, p=p, length=HASH_BYTES)
    return f"{SCHEME}${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """Whether ``password`` matches the stored hash ``encoded`` (constant-time comparison)."""
    parts = encoded.split("$")
    if len(parts) != 6 or parts[0] != SCHEME:
        return False
    try:
        n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt = base64.b64decode(parts[4], validate=True)
        expected = base64.b64decode(parts[5], validate=True)
    except ValueError:
        return False
    if not (1 < n <= MAX_N and n & (n - 1) == 0 and 1 <= r <= 32 and 1 <= p <= 16 and expected):
        return False
    try:
        actual = _derive(password, salt, n=n, r=r, p=p, length=len(expected))
    except ValueError:  # parameters beyond the memory limit
        return False
    return hmac.compare_digest(actual, expected)


# Checked against when the user does not exist, so an unknown name costs as long as a wrong password.
DUMMY_HASH = f"{SCHEME}${N}${R}${P}${_b64(bytes(SALT_BYTES))}${_b64(bytes(HASH_BYTES))}"
