"""Browser-facing protections: which host names the server answers to, which origins may call the API, and the
headers every response carries.

- Allowed hosts: a request whose ``Host`` is not one of the server's names (:attr:`Settings.allowed_host_names`:
  the loopback names, the public URL's host, the bind host, ``VIVA_ALLOWED_HOSTS``) gets 400 ``invalid_host``,
  and such a socket is refused before it is accepted. That defeats DNS rebinding: a page on a name the attacker
  points at this server carries that name as its Host. ``/health``, ``/health/live`` and ``/metrics`` are
  exempt, because load balancers, orchestrators and Prometheus reach them by address (they hold no secret).
- CORS: only the origins in ``VIVA_CORS_ORIGINS`` (none by default: same origin only) may call the API from
  a browser. WebSockets are not covered by CORS, so a socket opened from a page of another origin is refused
  here too (the tokens in the links are the real protection; this stops a foreign page from using them). The
  Origin is compared with the server's own names and the configured origins, never with the request's Host,
  which a rebinding page controls.
- Content-Security-Policy: scripts and styles only from this server's own files, never inline, so text that
  slipped into a page as markup still could not run. Pages render untrusted text with ``textContent`` anyway.
- No referrer (the links carry tokens), no sniffing, no framing.
- ``Cache-Control: no-store`` on every API answer (tokens, resumes, transcripts, results, reports, history) and
  on the metrics, so neither the browser's cache nor a proxy keeps them. The guarded pages set their own
  (:mod:`server.http.pages`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.config import Settings, host_name
from server.http.errors import error_response

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

#: Paths whose every answer is private (``Cache-Control: no-store``).
PRIVATE_PREFIXES = ("/api/", "/metrics")


#: Reached by address (a load balancer, Kubernetes, Prometheus), and holding no secret: answered whatever the Host.
HOST_EXEMPT_PATHS = frozenset({"/health", "/health/live", "/metrics"})


class AllowedHosts:
    """Answers only requests whose Host names this server (``None``: any host, the unsafe ``*``)."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str] | None) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.hosts is None or scope["path"] in HOST_EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        host = Headers(scope=scope).get("host", "")
        if host_name(host) in self.hosts:
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008, "reason": "host not allowed"})
            return
        shown = host[:100] or "(none)"
        response = error_response(
            400,
            "invalid_host",
            f"This server does not answer to the host name {shown!r}. If it is one of its names, add it to "
            "VIVA_ALLOWED_HOSTS or set VIVA_PUBLIC_URL.",
        )
        await response(scope, receive, send)


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response and refuses WebSockets from foreign origins."""

    def __init__(self, app: ASGIApp, allowed_origins: list[str], hosts: frozenset[str] | None) -> None:
        self.app = app
        self.allowed_origins = set(allowed_origins)
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and not self._origin_allowed(Headers(scope=scope)):
            await send({"type": "websocket.close", "code": 4003, "reason": "origin not allowed"})
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        private = scope["path"].startswith(PRIVATE_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    if name not in headers:
                        headers[name] = value
                if private and "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _origin_allowed(self, headers: Headers) -> bool:
        """No Origin (not a browser), a page on one of the server's own names, or a configured origin."""
        origin = headers.get("origin")
        if origin is None:
            return True
        if origin.rstrip("/") in self.allowed_origins or self.hosts is None:
            return True
        return host_name(urlsplit(origin).netloc) in self.hosts


def middleware(settings: Settings) -> list[Middleware]:
    origins = settings.allowed_origins
    hosts = settings.allowed_host_names
    return [
        Middleware(SecurityHeaders, allowed_origins=origins, hosts=hosts),
        Middleware(AllowedHosts, hosts=hosts),
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        ),
    ]
