"""Browser-facing protections: which origins may call the API, and the headers every response carries.

- CORS: only the origins in ``VIVA_CORS_ORIGINS`` (none by default: same origin only) may call the API from
  a browser. WebSockets are not covered by CORS, so a socket opened from a page of another origin is refused
  here too (the tokens in the links are the real protection; this stops a foreign page from using them).
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

from server.config import Settings

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


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response and refuses WebSockets from foreign origins."""

    def __init__(self, app: ASGIApp, allowed_origins: list[str]) -> None:
        self.app = app
        self.allowed_origins = set(allowed_origins)

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
        """No Origin (not a browser), the page's own host, or a configured origin."""
        origin = headers.get("origin")
        if origin is None:
            return True
        return urlsplit(origin).netloc == headers.get("host") or origin.rstrip("/") in self.allowed_origins


def middleware(settings: Settings) -> list[Middleware]:
    origins = settings.allowed_origins
    return [
        Middleware(SecurityHeaders, allowed_origins=origins),
        Middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type"],
            max_age=600,
        ),
    ]
