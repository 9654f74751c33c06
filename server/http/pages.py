"""Which of the web client's pages whom: a guard in front of the static files.

- The candidate's page and the sign-in page are public (the candidate's does nothing without its link token).
  Its valid link to an interview that has finished gets the completed page (``complete.html``) at the same
  address: a candidate opening their link again is thanked, not shown a refused connection. Any other link
  gets the live page, whose socket says what is wrong with it (expired, revoked, unknown).
- The set-up page and the history are the recruiter's: a signed-in session, or ``VIVA_AUTH=none``. Opening
  one with ``?token=<admin token>`` (the link printed at start-up) signs in and redirects to the same page
  without the token in its address.
- The report and the live room are the recruiter's too, or the holder of that interview's observer link
  (``?id=…&token=…``, or the admin token).
- Anyone else is redirected to the sign-in page, told why (no session, an expired one, a refused link) and
  where they were going. Every other page name is the recruiter's: a new page is private until listed here.

Guarded pages are sent with ``Cache-Control: no-store``, so no shared cache hands them to someone else.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlencode

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.http.access import session_expiry
from server.http.signin import set_session_cookie
from server.services.auth import SessionProblem, SessionRefused
from server.services.links import LinkRefused, check_link, check_watcher
from server.services.runtime import Services
from server.store.base import FINAL_STATUSES, StoreUnavailable

#: The candidate's live page; ``COMPLETED_PAGE`` is served in its place once the interview has finished.
CANDIDATE_PAGE = "interview.html"
COMPLETED_PAGE = "complete.html"
PUBLIC_PAGES = frozenset({CANDIDATE_PAGE, COMPLETED_PAGE, "signin.html"})
#: Pages an interview's observer link opens: ``?id=<interview id>&token=<observer token>``.
LINK_PAGES = frozenset({"report.html", "observer.html"})
SIGN_IN_PAGE = "/signin.html"
#: The sign-in page's ``reason`` for each way a session cookie fails.
_SESSION_REASONS: dict[SessionProblem, str] = {
    "missing": "sign_in_required",
    "invalid": "session_invalid",
    "expired": "session_expired",
}


def page_name(path: str) -> str | None:
    """The HTML page a path serves (``index.html`` for ``/``), lower-cased; None for anything else."""
    normal = posixpath.normpath("/" + path.lstrip("/"))
    if normal == "/":
        return "index.html"
    name = normal.lstrip("/").lower()
    return name if name.endswith((".html", ".htm")) else None


class PageGuard:
    """Serve a guarded page only to whom it is for (see the module's docstring); pass everything else."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = page_name(scope["path"]) if scope["type"] == "http" else None
        if page is None or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        services: Services = scope["app"].state.services
        if page == CANDIDATE_PAGE:
            # Never cached: once the interview has finished, the same address is the completed page.
            if await _finished(request, services):
                completed = f"/{COMPLETED_PAGE}"
                scope = {**scope, "path": completed, "raw_path": completed.encode()}
            await self.app(scope, receive, _no_store(scope, send))
            return
        if page in PUBLIC_PAGES:
            await self.app(scope, receive, send)
            return
        refusal = await self._link_page(request, services) if page in LINK_PAGES else self._page(request, services)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, receive, _no_store(scope, send))

    def _page(self, request: Request, services: Services) -> Response | None:
        """The recruiter's page: None to serve it, else the redirect to give."""
        token = request.query_params.get("token")
        if token is not None and services.auth.admin_token is not None:
            if not services.auth.is_admin(token):
                return _to_sign_in(request, "invalid_token")
            response = RedirectResponse(_without_token(request), status_code=303)
            set_session_cookie(response, request, services, services.auth.new_session())
            return response
        return self._session(request, services)

    async def _link_page(self, request: Request, services: Services) -> Response | None:
        """The report or the live room: the interview's observer link, the admin token, or a session."""
        token = request.query_params.get("token")
        if not token:
            return self._session(request, services)
        try:
            await check_watcher(services, request.query_params.get("id", ""), token)
        except LinkRefused as refused:
            if self._session(request, services) is None:
                return None  # a signed-in recruiter holding a stale link: the page says what is wrong with it
            return _to_sign_in(request, refused.code)
        return None

    def _session(self, request: Request, services: Services) -> Response | None:
        if services.auth.open:
            return None
        try:
            session_expiry(request, services)
        except SessionRefused as refused:
            return _to_sign_in(request, _SESSION_REASONS[refused.problem])
        return None


def _no_store(scope: Scope, send: Send) -> Send:
    """``send``, with ``Cache-Control: no-store`` on the response."""

    async def send_private(message: Message) -> None:
        if message["type"] == "http.response.start":
            MutableHeaders(scope=message)["Cache-Control"] = "no-store"
        await send(message)

    return send_private


async def _finished(request: Request, services: Services) -> bool:
    """Whether the candidate's page was opened with a valid candidate link to an interview that has finished.

    Anything else (no link, a refused one, the database unreachable) is False: the live page is served, and its
    socket explains the refusal.
    """
    interview_id, token = request.query_params.get("id"), request.query_params.get("token")
    if not interview_id or not token:
        return False
    try:
        await check_link(services, interview_id, token, "candidate")
        record = await services.store.get_interview(interview_id)
    except (LinkRefused, StoreUnavailable):
        return False
    return record is not None and record.status in FINAL_STATUSES


def _without_token(request: Request) -> str:
    query = urlencode([(key, value) for key, value in request.query_params.multi_items() if key != "token"])
    return request.url.path + (f"?{query}" if query else "")


def _to_sign_in(request: Request, reason: str) -> RedirectResponse:
    """To the sign-in page, saying why and where to return (never with a token in the address)."""
    target = f"{SIGN_IN_PAGE}?{urlencode({'reason': reason, 'next': _without_token(request)})}"
    return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})
