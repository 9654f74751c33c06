"""The recruiter's credential: the admin token, and the signed session cookies handed out for it.

Secure by default: without ``VIVA_ADMIN_TOKEN`` the first start generates a token (256 random bits) and keeps
it in ``data_dir/admin_token``, readable by the server's user only, so later starts reuse it. Signing in with
it gives a session cookie ``<expires>.<nonce>.<signature>``, signed with HMAC-SHA256 under a key *derived* from
the admin token: the cookie never contains or reveals the token, every node with the same token accepts the
same cookies, and changing the token ends every session at once. ``VIVA_AUTH=none`` opens the recruiter's
side for local development.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import stat
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from server.config import Settings, is_token_text
from server.services.errors import Refused

log = logging.getLogger("viva.auth")

#: ``VIVA_AUTH=none`` said at start-up and in ``/api/v1/config``.
AUTH_NONE_WARNING = (
    "VIVA_AUTH=none: the recruiter's side (set-up, history, reports, live rooms, uploads, speech, metrics) is "
    "open to anyone who can reach this server, without signing in. Use it for local development only."
)
#: The file under ``data_dir`` holding the generated admin token.
ADMIN_TOKEN_FILE = "admin_token"
_KEY_CONTEXT = b"viva session cookie v1"
_NONCE_BYTES = 16

TokenSource = Literal["setting", "file", "generated"]
#: Why a session cookie was not accepted.
SessionProblem = Literal["missing", "invalid", "expired"]


@dataclass(frozen=True)
class Session:
    """A signed session: the cookie's value and when it stops being accepted (Unix seconds)."""

    value: str
    expires_at: int


class SessionRefused(Exception):
    """A session cookie that does not sign its holder in; ``problem`` says why, ``message`` to whom."""

    def __init__(self, problem: SessionProblem, message: str) -> None:
        super().__init__(message)
        self.problem: SessionProblem = problem
        self.message = message


_SESSION_MESSAGES: dict[SessionProblem, str] = {
    "missing": "Sign in as the recruiter first (open the sign-in link Viva printed at start-up).",
    "invalid": "The sign-in session is not valid (the admin token changed, or the cookie was altered): sign in again.",
    "expired": "The sign-in session has expired: sign in again.",
}


@dataclass(frozen=True)
class RecruiterAuth:
    """Who is the recruiter: the holder of the admin token, or of a session signed for it."""

    mode: Literal["token", "none"]
    #: None only with ``VIVA_AUTH=none`` and no token configured.
    admin_token: str | None
    source: TokenSource | None
    session_ttl_s: float

    @property
    def open(self) -> bool:
        """``VIVA_AUTH=none``: the recruiter's side needs no credential."""
        return self.mode == "none"

    @property
    def _key(self) -> bytes:
        assert self.admin_token is not None
        return hmac.new(self.admin_token.encode(), _KEY_CONTEXT, hashlib.sha256).digest()

    def is_admin(self, token: str | None) -> bool:
        """Constant-time, on bytes (``hmac.compare_digest`` refuses non-ASCII strings)."""
        if self.admin_token is None or not token:
            return False
        offered = token.encode("utf-8", "surrogateescape")
        return hmac.compare_digest(self.admin_token.encode(), offered)

    def new_session(self, now: float | None = None) -> Session:
        assert self.admin_token is not None, "no sessions without an admin token (VIVA_AUTH=none)"
        expires_at = int((time.time() if now is None else now) + self.session_ttl_s)
        body = f"{expires_at}.{secrets.token_urlsafe(_NONCE_BYTES)}"
        return Session(f"{body}.{self._sign(body)}", expires_at)

    def check_session(self, value: str | None, now: float | None = None) -> int:
        """The session's expiry if ``value`` is a live session of this admin token; :class:`SessionRefused`
        otherwise."""
        if not value:
            raise SessionRefused("missing", _SESSION_MESSAGES["missing"])
        expires, _, rest = value.partition(".")
        nonce, _, signature = rest.partition(".")
        if (
            self.admin_token is None
            or not is_token_text(value)
            or not expires.isdigit()
            or len(expires) > 12
            or not nonce
            or not hmac.compare_digest(self._sign(f"{expires}.{nonce}").encode(), signature.encode())
        ):
            raise SessionRefused("invalid", _SESSION_MESSAGES["invalid"])
        if int(expires) <= (time.time() if now is None else now):
            raise SessionRefused("expired", _SESSION_MESSAGES["expired"])
        return int(expires)

    def _sign(self, body: str) -> str:
        digest = hmac.new(self._key, body.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def recruiter_auth(settings: Settings) -> RecruiterAuth:
    """The recruiter's credential for these settings: the configured token, else the one kept in the data
    directory (generated on the first start). With ``VIVA_AUTH=none`` no token is generated."""
    configured = settings.admin_token.get_secret_value() if settings.admin_token else None
    source: TokenSource
    if configured is not None:
        token, source = configured, "setting"
    elif settings.auth == "none":
        return RecruiterAuth("none", None, None, settings.session_ttl_s)
    else:
        token, source = load_or_create_admin_token(settings.data_dir / ADMIN_TOKEN_FILE)
    return RecruiterAuth(settings.auth, token, source, settings.session_ttl_s)


def load_or_create_admin_token(path: Path) -> tuple[str, TokenSource]:
    """The token kept in ``path``, or a new one written there with mode 0600 (never readable by others, not
    even for an instant: it is written to a private temporary file that is then linked into place, so two
    servers starting at once agree on one token and nobody reads a half-written file)."""
    existing = _read_token_file(path)
    if existing is not None:
        return existing, "file"
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.fchmod(descriptor, 0o600)  # whatever the umask
        os.write(descriptor, f"{token}\n".encode())
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    try:
        os.link(temporary, path)  # fails if another process published its token first
    except FileExistsError:
        pass
    finally:
        os.unlink(temporary)
    published = _read_token_file(path)
    if published is None:
        raise Refused("unavailable", "admin_token_file", f"Could not create the admin token file {path}.")
    return published, ("generated" if published == token else "file")


def _read_token_file(path: Path) -> str | None:
    try:
        mode = path.stat().st_mode
        text = path.read_text().strip()
    except FileNotFoundError:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        log.warning("the admin token file %s was readable by others: its mode is now 0600", path)
        with contextlib.suppress(OSError):
            path.chmod(0o600)
    if not is_token_text(text):
        raise Refused(
            "invalid",
            "admin_token_file",
            f"The admin token file {path} is empty or not a token: delete it to generate a new one, "
            "or set VIVA_ADMIN_TOKEN.",
        )
    return text


def announce(auth: RecruiterAuth, settings: Settings) -> None:
    """Say where to open Viva, the way Jupyter does: with the generated token in the link, so the person who
    started the server signs in with one click. Printed, not logged, so the log filter does not blank it
    (and a configured token, which the operator already has, is never printed). Said once per start: by the
    single process, or by the parent of several workers before they start."""
    base = settings.base_url
    if auth.open:
        log.warning(AUTH_NONE_WARNING)
        line = f"Viva is running: open {base}/ (VIVA_AUTH=none: no sign-in, for local development only)"
    elif auth.source == "setting":
        line = f"Viva is running: open {base}/ and sign in with the admin token (VIVA_ADMIN_TOKEN)"
    else:
        assert auth.admin_token is not None
        where = settings.data_dir / ADMIN_TOKEN_FILE
        link = f"{base}/?token={quote(auth.admin_token, safe='')}"
        line = f"Viva is running: open {link}\n(the admin token is kept in {where})"
    print(line, file=sys.stderr, flush=True)
