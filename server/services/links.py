"""Who holds which link: an interview's candidate link answers, its observer link watches and steers.

A token is checked against the digests the store keeps, then against the link's expiry and revocation. Every
way a token can fail has its own refusal, with an HTTP status and error code for the REST routes and a
WebSocket close code for the sockets (:mod:`server.http.access` maps them), so a client can tell the holder
exactly what went wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from server.services.runtime import Services
from server.store.base import LinkRole
from server.store.tokens import hash_token

RefusalCode = Literal["token_required", "invalid_token", "wrong_link", "token_expired", "token_revoked"]


class LinkRefused(Exception):
    """A token that does not open the link it was offered for: ``code`` says why, ``message`` to whom."""

    def __init__(self, code: RefusalCode, message: str) -> None:
        super().__init__(message)
        self.code: RefusalCode = code
        self.message = message


_WRONG_TOKEN = {
    "candidate": "The candidate token does not match this interview.",
    "observer": "The token does not give access to this interview.",
}
_WRONG_ROLE = {
    "candidate": "This is the observer's link: it can watch and steer the interview, not answer in it.",
    "observer": "This is the candidate's link: it can answer, not watch or steer.",
}


async def check_link(services: Services, interview_id: str, token: str | None, role: LinkRole) -> None:
    """Accept a valid token of ``role``'s link of this interview; raise :class:`LinkRefused` otherwise."""
    if not token:
        raise LinkRefused("token_required", f"Send the {role} link's token.")
    match = await services.store.match_token(interview_id, hash_token(token))
    if match is None:
        raise LinkRefused("invalid_token", _WRONG_TOKEN[role])
    if match.role != role:
        raise LinkRefused("wrong_link", _WRONG_ROLE[role])
    status = match.status(datetime.now(UTC))
    if status == "expired":
        raise LinkRefused("token_expired", f"The {role} link has expired.")
    if status == "revoked":
        raise LinkRefused("token_revoked", f"The {role} link has been revoked.")


async def check_watcher(services: Services, interview_id: str, token: str | None) -> None:
    """The observer link of this interview, or the admin token, which may watch every interview."""
    if not services.auth.is_admin(token):
        await check_link(services, interview_id, token, "observer")
