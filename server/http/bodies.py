"""Reading request bodies: JSON into pydantic models, multipart uploads within a size limit.

Every refusal is an :class:`~server.errors.ApiError`, so a bad body always gets a JSON error naming what is
wrong, never a crash.
"""

from __future__ import annotations

import json
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.types import Message

from protocol.messages import MAX_JSON_DEPTH, json_too_deep
from server.http.errors import ApiError

M = TypeVar("M", bound=BaseModel)

#: Room for the multipart envelope (boundaries, part headers) around the file itself.
_MULTIPART_OVERHEAD = 64 * 1024
_MAX_JSON_BYTES = 256 * 1024


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem, each led by the field's name, e.g. ``num_questions: Input should be ...``."""
    parts = []
    for error in exc.errors(include_url=False):
        field = ".".join(str(part) for part in error["loc"]) or "body"
        parts.append(f"{field}: {error['msg']}")
    return "Invalid request. " + "; ".join(parts)


async def read_limited(request: Request, limit: int, too_large: str) -> bytes:
    """The whole body, refused with 413 as soon as it passes ``limit`` (whatever Content-Length claims)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "payload_too_large", too_large)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ApiError(413, "payload_too_large", too_large)
    return bytes(body)


async def read_json(request: Request, model: type[M]) -> M:
    body = await read_limited(request, _MAX_JSON_BYTES, f"The JSON body exceeds {_MAX_JSON_BYTES} bytes.")
    if json_too_deep(body):  # before parsing: the parser recurses per level and would fail with a 500
        raise ApiError(400, "malformed_json", f"The body nests arrays or objects deeper than {MAX_JSON_DEPTH} levels.")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "malformed_json", f"The body is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ApiError(422, "validation_error", "Invalid request. body: expected a JSON object")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiError(422, "validation_error", describe_validation_error(exc)) from exc


async def read_upload(request: Request, max_bytes: int, field: str = "file") -> bytes:
    """The bytes of the one file sent as multipart field ``field``, at most ``max_bytes`` long."""
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        raise ApiError(415, "expected_multipart", f"Send the file as multipart/form-data in a field named {field!r}.")
    too_large = f"The file is larger than the limit of {max_bytes} bytes."
    body = await read_limited(request, max_bytes + _MULTIPART_OVERHEAD, too_large)

    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(max_files=1, max_fields=10)
    except Exception as exc:  # multipart parse errors come in several types
        raise ApiError(400, "malformed_multipart", f"The multipart body cannot be read: {exc}") from exc
    try:
        upload = form.get(field)
        if not isinstance(upload, UploadFile):
            raise ApiError(422, "missing_file", f"No file in the multipart field {field!r}.")
        data = await upload.read()
    finally:
        await form.close()
    if len(data) > max_bytes:
        raise ApiError(413, "payload_too_large", too_large)
    return data
