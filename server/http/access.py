"""Who may do what: the candidate's token for answering, the observer's or the admin's for reading results.

Tokens arrive as ``Authorization: Bearer <token>`` (or, for links opened in a browser, ``?token=``; for the
candidate also in the JSON body). Only their SHA-256 digests are stored and compared; links expire and can be
revoked (:mod:`server.services.links` says which refusal applies).
"""

from __future__ import annotations

from starlette.requests import Request

from server.http.errors import ApiError
from server.services.links import LinkRefused, RefusalCode, check_link, is_admin
from server.services.runtime import Services
from server.store.base import InterviewRecord, LinkRole


def offered_token(request: Request, body_token: str | None = None) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return body_token or request.query_params.get("token") or None


#: The HTTP status of each way a link can be refused (``CLOSE_CODES`` in :mod:`server.http.admission`).
HTTP_STATUS: dict[RefusalCode, int] = {
    "token_required": 401,
    "invalid_token": 403,
    "wrong_link": 403,
    "token_expired": 401,
    "token_revoked": 401,
}


def credential_key(request: Request, services: Services) -> str:
    """Who is asking, for limits per recruiter: the admin token when one is offered and valid, else the client's
    address (behind a proxy, the address it forwards: uvicorn trusts ``X-Forwarded-For`` from 127.0.0.1).

    Signed-in recruiters are keyed here too when sign-in exists. An unverified token never becomes a key of
    its own, so inventing tokens cannot buy more.
    """
    token = offered_token(request)
    if token is not None and services.settings.admin_token is not None and is_admin(services, token):
        return "admin"
    return f"address:{request.client.host if request.client else 'unknown'}"


async def load_interview(services: Services, interview_id: str) -> InterviewRecord:
    record = await services.store.get_interview(interview_id)
    if record is None:
        raise ApiError(404, "interview_not_found", f"There is no interview with id {interview_id!r}.")
    return record


async def _require_link(services: Services, interview_id: str, token: str | None, role: LinkRole) -> None:
    try:
        await check_link(services, interview_id, token, role)
    except LinkRefused as refused:
        raise ApiError(HTTP_STATUS[refused.code], refused.code, refused.message) from None


async def require_candidate(request: Request, services: Services, interview_id: str, body_token: str | None) -> None:
    token = offered_token(request, body_token)
    if token is None:
        raise ApiError(401, "token_required", "Send the candidate token (candidate_token, or a Bearer token).")
    await _require_link(services, interview_id, token, "candidate")


def require_admin(request: Request, services: Services) -> None:
    """Recruiter-wide routes (the history): open unless ``VIVA_ADMIN_TOKEN`` is set."""
    if services.settings.admin_token is None:
        return
    token = offered_token(request)
    if token is None:
        raise ApiError(401, "token_required", "This server requires the admin token as a Bearer token.")
    if not is_admin(services, token):
        raise ApiError(403, "invalid_token", "The admin token is not valid.")


async def require_observer(request: Request, services: Services, interview_id: str) -> None:
    """One interview's results: its observer token, or the admin token. Without an admin token set, a request
    that offers no token is let through; one that offers a wrong, expired or revoked token never is."""
    token = offered_token(request)
    if token is None:
        if services.settings.admin_token is None:
            return
        raise ApiError(401, "token_required", "Send the observer token of this interview, or the admin token.")
    if not is_admin(services, token):
        await _require_link(services, interview_id, token, "observer")
