"""Password hashes for chat logins (core/passwords.py): scrypt, salted, self-describing, constant-time."""

from __future__ import annotations

import base64

import pytest

from core.passwords import DUMMY_HASH, hash_password, verify_password

# RFC 7914, section 12, the second test vector: scrypt("password", "NaCl", N=1024, r=8, p=16, dkLen=64).
RFC_7914 = (
    "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
    "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def test_a_hash_in_the_stored_format_checks_against_the_rfc_vector() -> None:
    stored = f"scrypt$1024$8$16${_b64(b'NaCl')}${_b64(bytes.fromhex(RFC_7914))}"
    assert verify_password("password", stored)
    assert not verify_password("Password", stored)


def test_hash_names_its_parameters_and_checks() -> None:
    stored = hash_password("correct horse", salt=b"0123456789abcdef")
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", "16384", "8", "1")
    assert base64.b64decode(salt) == b"0123456789abcdef"
    assert len(base64.b64decode(digest)) == 32
    assert verify_password("correct horse", stored)
    assert not verify_password("correct horse ", stored)


def test_each_hash_gets_its_own_salt() -> None:
    first, second = hash_password("same"), hash_password("same")
    assert first != second
    assert verify_password("same", first)
    assert verify_password("same", second)


def test_non_ascii_passwords_work() -> None:
    assert verify_password("pässwörd ✓", hash_password("pässwörd ✓", n=2**10))


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "plain text",
        "bcrypt$12$abc",
        "scrypt$1024$8$1$not base64!$AAAA",
        "scrypt$1000$8$1$AAAA$AAAA",  # N not a power of two
        "scrypt$1024$8$1$AAAA$",  # no hash
        f"scrypt${2**30}$8$1$AAAA$AAAA",  # a cost that would exhaust the machine
        "scrypt$1024$x$1$AAAA$AAAA",
    ],
)
def test_malformed_or_foreign_hashes_never_match_and_never_raise(stored: str) -> None:
    assert verify_password("anything", stored) is False


def test_the_dummy_hash_matches_nothing() -> None:
    assert not verify_password("", DUMMY_HASH)
    assert not verify_password("password", DUMMY_HASH)


def test_empty_password_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        hash_password("")
