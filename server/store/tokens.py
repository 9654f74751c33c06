"""Access tokens of interview links: random, shown once, stored only as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def digests_match(stored: str | None, offered: str) -> bool:
    """Constant-time comparison, so timing does not reveal how much of a digest matched."""
    return stored is not None and hmac.compare_digest(stored, offered)
