"""Password hashing (argon2id via ``argon2-cffi``) and the minimum password rule.

Only hashes are stored; a password never leaves this module in any other form.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2-cffi's defaults are argon2id with RFC 9106's "low memory" profile (64 MiB, t=3):
# about 50 ms per hash on this machine, which is what a sign-in may cost.
_HASHER = PasswordHasher()

MIN_LENGTH = 10

# Verifying against this hash when the login does not exist (or has no password) makes an
# unknown login cost the same time as a wrong password, so timing does not reveal it.
_DUMMY_HASH = _HASHER.hash("not a password: timing equaliser")


def use_hasher(hasher: PasswordHasher) -> PasswordHasher:
    """Swap the hasher (tests use cheap parameters); returns the previous one."""
    global _HASHER, _DUMMY_HASH
    previous, _HASHER = _HASHER, hasher
    _DUMMY_HASH = hasher.hash("not a password: timing equaliser")
    return previous


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when ``password`` matches ``stored_hash``; a missing hash costs a dummy verify."""
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return _HASHER.check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True


def password_problems(password: str, login: str = "") -> list[str]:
    """Why ``password`` is refused (codes for the i18n catalogue ``auth.pw.<code>``); empty: fine."""
    problems: list[str] = []
    if len(password) < MIN_LENGTH:
        problems.append("too_short")
    if password.isdigit():
        problems.append("all_digits")
    if login and password.strip().casefold() == login.strip().casefold():
        problems.append("is_login")
    if password != password.strip():
        problems.append("spaces")
    return problems
