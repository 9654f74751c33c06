"""Who may do what: the recruiter everything on their side; an interview's candidate link answers in it, its
observer link reads its results and watches it.

The recruiter is whoever holds the admin token (``Authorization: Bearer``, for API clients) or a session
cookie signed for it (the pages, after signing in). A cookie rides along with every request the browser
makes, so a state-changing request authenticated by it must also prove it comes from Viva's own pages: the
``X-Viva-CSRF`` header (which no other site can add without a CORS preflight Viva refuses) and no cross-site
``Origin`` or ``Sec-Fetch-Site``. A request that offers a token is judged by that token alone.

Link tokens arrive as a Bearer token, ``?token=`` (links opened in a browser) or, for the candidate, in the
JSON body. Only their SHA-256 digests are stored; links expire and can be revoked (:mod:`server.services.links`
says which refusal applies).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import HTTPConnection, Request

from server.config import Settings, is_token_text
from server.http.errors import ApiError
from server.services.auth import SessionRefused
from server.services.links import LinkRefused, RefusalCode, check_link
from server.services.runtime import Services
from server.store.base import InterviewRecord, LinkRole

#: The session cookie set by signing in (:mod:`server.http.signin`).
SESSION_COOKIE = "viva_session"
#: The header Viva's pages send with every state-changing request made with the session cookie.
CSRF_HEADER = "X-Viva-CSRF"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_SAME_SITE_FETCHES = frozenset({"same-origin", "none"})
_CROSS_SITE = "Refused: this request comes from another site's page (its Origin or Sec-Fetch-Site says so)."

#: The HTTP status of each way a link can be refused (``CLOSE_CODES`` in :mod:`server.http.admission`).
HTTP_STATUS: dict[RefusalCode, int] = {
    "token_required": 401,
    "invalid_token": 403,
    "wrong_link": 403,
    "token_expired": 401,
    "token_revoked": 401,
}


def bearer_token(connection: HTTPConnection) -> str | None:
    """The Bearer token of the Authorization header, if any; a malformed one is refused (401), never a crash.

    Other schemes (``Basic`` from a proxy in front) are not Viva's and are ignored.
    """
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    token = value.strip()
    if not is_token_text(token):
        raise ApiError(
            401,
            "invalid_authorization",
            "The Authorization header must be 'Bearer <token>', the token in printable ASCII without spaces.",
        )
    return token


def offered_token(connection: HTTPConnection, body_token: str | None = None) -> str | None:
    return bearer_token(connection) or body_token or connection.query_params.get("token") or None


def session_expiry(connection: HTTPConnection, services: Services) -> int:
    """The expiry of the connection's valid session cookie; :class:`SessionRefused` without one."""
    return services.auth.check_session(connection.cookies.get(SESSION_COOKIE))


def same_origin(connection: HTTPConnection, settings: Settings) -> bool:
    """No cross-site signal: an ``Origin`` of this server (as reached, or its public URL) or none, and a
    ``Sec-Fetch-Site`` of ``same-origin`` or ``none`` (typed in, a bookmark) or none (not a browser)."""
    fetch_site = connection.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in _SAME_SITE_FETCHES:
        return False
    origin = connection.headers.get("origin")
    if origin is None:
        return True
    public = urlsplit(settings.base_url)
    parts = urlsplit(origin)
    return parts.netloc == connection.headers.get("host") or (parts.scheme, parts.netloc) == (
        public.scheme,
        public.netloc,
    )


def check_csrf(request: Request, settings: Settings) -> None:
    """A cookie-authenticated request that changes something must come from Viva's own pages."""
    if request.headers.get(CSRF_HEADER) != "1":
        raise ApiError(
            403,
            "csrf_failed",
            f"Refused: a request signed in by the session cookie must carry the {CSRF_HEADER}: 1 header "
            "(Viva's pages send it). API clients: send the admin token as a Bearer token instead.",
        )
    if not same_origin(request, settings):
        raise ApiError(403, "csrf_failed", _CROSS_SITE)


def _signed_in(request: Request, services: Services, missing: str) -> None:
    """Let a signed-in recruiter through (with the CSRF checks on a state change), or refuse with 401. With
    ``VIVA_AUTH=none`` anyone is let through, except another site's page changing something."""
    if services.auth.open:
        if request.method not in SAFE_METHODS and not same_origin(request, services.settings):
            raise ApiError(403, "csrf_failed", _CROSS_SITE)
        return
    try:
        session_expiry(request, services)
    except SessionRefused as refused:
        raise ApiError(401, "sign_in_required", missing if refused.problem == "missing" else refused.message) from None
    if request.method not in SAFE_METHODS:
        check_csrf(request, services.settings)


def require_recruiter(request: Request, services: Services) -> None:
    """The recruiter's routes: the admin token as a Bearer token (never in a URL), or a signed-in session."""
    token = bearer_token(request)
    if token is not None:
        if not services.auth.is_admin(token):
            raise ApiError(403, "invalid_token", "The token is not this server's admin token.")
        return
    _signed_in(
        request,
        services,
        "Sign in as the recruiter first (the sign-in link Viva printed at start-up), or send the admin token "
        "as a Bearer token.",
    )


async def require_observer(request: Request, services: Services, interview_id: str) -> None:
    """One interview's results and links: its observer token, the admin token, or a signed-in recruiter. An
    offered token is judged alone: a wrong, expired or revoked one is refused even with a session."""
    token = offered_token(request)
    if token is None:
        _signed_in(
            request,
            services,
            "Sign in as the recruiter, or send this interview's observer token (Bearer, or ?token=).",
        )
        return
    if not services.auth.is_admin(token):
        await _require_link(services, interview_id, token, "observer")


async def require_candidate(request: Request, services: Services, interview_id: str, body_token: str | None) -> None:
    token = offered_token(request, body_token)
    if token is None:
        raise ApiError(401, "token_required", "Send the candidate token (candidate_token, or a Bearer token).")
    await _require_link(services, interview_id, token, "candidate")


async def load_interview(services: Services, interview_id: str) -> InterviewRecord:
    record = await services.store.get_interview(interview_id)
    if record is None:
        raise ApiError(404, "interview_not_found", f"There is no interview with id {interview_id!r}.")
    return record


async def _require_link(services: Services, interview_id: str, token: str, role: LinkRole) -> None:
    try:
        await check_link(services, interview_id, token, role)
    except LinkRefused as refused:
        raise ApiError(HTTP_STATUS[refused.code], refused.code, refused.message) from None


def credential_key(request: Request, services: Services) -> str:
    """Who is asking, for limits per recruiter: the recruiter (admin token or signed-in session), else the
    client's address (behind a proxy, the address it forwards: uvicorn trusts ``X-Forwarded-For`` from
    127.0.0.1). An unverified token never becomes a key of its own, so inventing tokens cannot buy more."""
    try:
        token = bearer_token(request)
    except ApiError:
        token = None
    if token is not None and services.auth.is_admin(token):
        return "recruiter"
    if token is None:
        try:
            session_expiry(request, services)
            return "recruiter"
        except SessionRefused:
            pass
    return f"address:{request.client.host if request.client else 'unknown'}"
