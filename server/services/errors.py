"""Refusals a service can give, in the caller's terms rather than HTTP's.

A service raises :class:`Refused` with a stable ``code``, a message for the person behind the request, and
the ``reason`` class; :mod:`server.http.errors` turns the class into a status code, the sockets into an
error message. So services never know about HTTP, and every refusal still reaches the client specifically.
"""

from __future__ import annotations

from typing import Literal

RefusalReason = Literal["conflict", "invalid", "not_found", "too_large", "unprocessable", "rate_limited", "unavailable"]


class Refused(Exception):
    """The service will not do this: ``code`` names why (stable), ``message`` says it to a person."""

    def __init__(self, reason: RefusalReason, code: str, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.reason: RefusalReason = reason
        self.code = code
        self.message = message
        self.retry_after_s = retry_after_s
