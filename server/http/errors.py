"""JSON error responses with a stable code and a human message, for every HTTP route."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from server.services.errors import RefusalReason, Refused
from server.store.base import StoreUnavailable

log = logging.getLogger("viva.http")

#: When a client should try again after the database was unreachable (a restart or failover takes seconds).
STORE_RETRY_AFTER_S = 5
STORE_UNAVAILABLE_MESSAGE = "The database is unreachable right now. Try again in a few seconds."


class ApiError(Exception):
    """Raise from a route to answer ``{"error": {"code": ..., "message": ...}}`` with ``status``."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def error_response(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status)


async def handle_api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return error_response(exc.status, exc.code, exc.message)


#: The status of each class of service refusal.
REFUSAL_STATUS: dict[RefusalReason, int] = {
    "invalid": 400,
    "not_found": 404,
    "conflict": 409,
    "too_large": 413,
    "unprocessable": 422,
    "rate_limited": 429,
    "unavailable": 503,
}


async def handle_refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Refused)
    response = error_response(REFUSAL_STATUS[exc.reason], exc.code, exc.message)
    if exc.retry_after_s is not None:
        response.headers["Retry-After"] = str(max(1, round(exc.retry_after_s)))
    return response


async def handle_store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """The database is down or unreachable: not a bug, a state; the client may retry (nothing was written)."""
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    response = error_response(503, "store_unavailable", STORE_UNAVAILABLE_MESSAGE)
    response.headers["Retry-After"] = str(STORE_RETRY_AFTER_S)
    return response


async def handle_http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
    return error_response(exc.status_code, code, str(exc.detail))


async def handle_unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A bug: log it with its traceback, and still answer in JSON (never a bare text page)."""
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "Something went wrong on the server; it has been logged.")


EXCEPTION_HANDLERS = {
    ApiError: handle_api_error,
    Refused: handle_refused,
    StoreUnavailable: handle_store_unavailable,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
