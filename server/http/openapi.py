"""``GET /openapi.json``: the REST API described from the same pydantic models that validate it.

Each route module declares an :class:`~server.http.spec.Operation` per route; this module turns them into an
OpenAPI 3.1 document once. A test checks that every HTTP route of the app is described here.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.metadata import version
from typing import Any, Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import JsonSchemaMode, models_json_schema
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.http import audio, interviews, signin, uploads
from server.http.access import SESSION_COOKIE
from server.http.schemas import ErrorResponse
from server.http.spec import Operation

_REF = "#/components/schemas/{model}"

#: Each (model, mode) to its ``$ref`` schema, as pydantic's ``models_json_schema`` returns them.
Refs = dict[tuple[Any, JsonSchemaMode], dict[str, Any]]

_ERROR_MEANINGS = {
    400: "Malformed request body.",
    401: "A credential is required: sign in, or send a token (`sign_in_required`, `token_required`, ...).",
    403: "The token does not give access, or a signed-in request failed the CSRF checks (`csrf_failed`).",
    404: "No such interview.",
    409: "Not possible in the current state (of the interview, or of the server's sign-in).",
    413: "The body or file is too large.",
    415: "The file's type (judged by its content) is not accepted.",
    422: "Invalid input; the message names the field or the problem.",
    429: "Too many requests from this credential; `Retry-After` says when to try again.",
    502: "A speech engine failed.",
    503: "The server cannot take it now: busy with other work of this kind, or the database is unreachable "
    "(`store_unavailable`); retry after the `Retry-After` seconds.",
}

_ACCESS = {
    "public": "",
    "candidate": "Needs the interview's candidate token (`candidate_token` in the body, or a Bearer token).",
    "observer": "Needs the interview's observer token (Bearer, or `?token=`), the admin token (Bearer), or a "
    "signed-in recruiter's session cookie (with `X-Viva-CSRF: 1` on a POST).",
    "recruiter": "Needs the admin token (Bearer) or a signed-in recruiter's session cookie (with `X-Viva-CSRF: 1` "
    "on a POST); open only with `VIVA_AUTH=none`.",
}


class HealthCheck(BaseModel):
    status: Literal["up", "down"]
    message: str | None = Field(default=None, description="Why it is down.")
    engine: str | None = Field(default=None, description="The bus: in_process (one node) or redis.")


class Health(BaseModel):
    status: Literal["ok", "degraded", "unavailable"] = Field(
        description='"ok"; "degraded" when the bus (Redis) is down (interviews go on); "unavailable" (HTTP 503) '
        "when the store is down."
    )
    checks: dict[str, HealthCheck] = Field(description="Per component: store, bus.")


class Liveness(BaseModel):
    status: Literal["ok"] = Field(description='"ok" while the process serves requests.')
    pid: int = Field(description="The process that answered: one of the workers under `viva serve --workers N`.")


class PublicConfig(BaseModel):
    version: str
    protocol_version: int
    engines: dict[str, str] = Field(description="Engine name per role: interviewer, stt, tts, vad, turn_model.")
    audio: dict[str, int] = Field(description="input_sample_rate, input_frame_ms, output_sample_rate.")
    limits: dict[str, float] = Field(description="Timeouts and size limits the client should respect.")
    auth: dict[str, str] = Field(
        description='`mode`: "token" (the recruiter signs in) or "none" (VIVA_AUTH=none, with a `warning`).'
    )


class OpenApiDocument(BaseModel):
    openapi: str
    info: dict[str, Any]
    paths: dict[str, Any]
    components: dict[str, Any]


# The service routes (server/http/health.py), which declare nothing themselves.
_SERVICE_OPERATIONS = [
    Operation(
        "GET",
        "/health",
        "Readiness: the store answers (and the bus)",
        "503 with `status: unavailable` and the failing component when the database is unreachable; 200 "
        "`degraded` when only Redis is down. Answered whatever the `Host`, for load balancers.",
        response=Health,
    ),
    Operation(
        "GET",
        "/health/live",
        "Liveness: the process serves requests (touches no database)",
        response=Liveness,
    ),
    Operation("GET", "/api/v1/config", "Public configuration: engines, audio format, limits", response=PublicConfig),
    Operation("GET", "/openapi.json", "This document", response=OpenApiDocument),
    Operation(
        "GET",
        "/metrics",
        "Prometheus metrics",
        "Turn latency by stage, sessions, engine usage, in the Prometheus text format. The recruiter's (a "
        "scraper sends the admin token as a Bearer token) unless `VIVA_METRICS_PUBLIC` is set.",
        response_media="text/plain; version=0.0.4",
        errors=(401, 403),
        access="recruiter",
    ),
]


def all_operations() -> list[Operation]:
    return [
        *_SERVICE_OPERATIONS,
        *signin.operations,
        *uploads.operations,
        *interviews.operations,
        *audio.operations,
    ]


def _models(operations: list[Operation]) -> list[tuple[type[BaseModel], JsonSchemaMode]]:
    pairs: list[tuple[type[BaseModel], JsonSchemaMode]] = [(ErrorResponse, "serialization")]
    for op in operations:
        if op.body is not None:
            pairs.append((op.body, "validation"))
        if op.response is not None:
            pairs.append((op.response, "serialization"))
    return list(dict.fromkeys(pairs))


def _request_body(op: Operation, refs: Refs) -> dict[str, Any] | None:
    content: dict[str, Any] = {}
    if op.body is not None:
        content["application/json"] = {"schema": refs[(op.body, "validation")]}
    for media in op.upload:
        content[media] = {"schema": _MULTIPART_FILE if media == "multipart/form-data" else _raw_schema(media)}
    return {"required": True, "content": content} if content else None


def _parameters(op: Operation) -> list[dict[str, Any]]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}} for name in _path_names(op.path)
    ]
    if op.query is not None:
        schema = op.query.model_json_schema()
        required = set(schema.get("required", ()))
        for name, field_schema in schema["properties"].items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": field_schema})
    return params


_MULTIPART_FILE: dict[str, Any] = {
    "type": "object",
    "properties": {"file": {"type": "string", "format": "binary"}},
    "required": ["file"],
}


def _raw_schema(media: str) -> dict[str, str]:
    """A body that is not JSON: text, or bytes (audio)."""
    return {"type": "string"} if media.startswith("text/") else {"type": "string", "format": "binary"}


def _path_names(path: str) -> list[str]:
    return [part[1:-1].split(":")[0] for part in path.split("/") if part.startswith("{")]


def _responses(op: Operation, refs: Refs) -> dict[str, Any]:
    if op.response_media is not None:
        success: dict[str, Any] = {
            "description": "OK",
            "content": {op.response_media: {"schema": _raw_schema(op.response_media)}},
        }
    elif op.response is not None:
        success = {
            "description": "OK",
            "content": {"application/json": {"schema": refs[(op.response, "serialization")]}},
        }
    else:
        success = {"description": "OK"}
    responses = {str(op.status): success}
    error_ref = refs[(ErrorResponse, "serialization")]
    for status in sorted(set(op.errors)):
        responses[str(status)] = {
            "description": _ERROR_MEANINGS[status],
            "content": {"application/json": {"schema": error_ref}},
        }
    return responses


@cache
def openapi_document() -> dict[str, Any]:
    operations = all_operations()
    refs, definitions = models_json_schema(_models(operations), ref_template=_REF)
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        entry: dict[str, Any] = {
            "summary": op.summary,
            "operationId": re.sub(r"[^a-z0-9]+", "_", f"{op.method} {op.path}".lower()).strip("_"),
            "responses": _responses(op, refs),
        }
        description = " ".join(part for part in (op.description, _ACCESS[op.access]) if part)
        if description:
            entry["description"] = description
        if params := _parameters(op):
            entry["parameters"] = params
        if body := _request_body(op, refs):
            entry["requestBody"] = body
        if op.access != "public":
            entry["security"] = [{"bearer": []}] if op.access == "candidate" else [{"bearer": []}, {"session": []}]
        paths.setdefault(op.path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Viva",
            "version": version("viva"),
            "description": "Viva's REST API. The live interview itself runs over the WebSocket "
            "`/ws/interview/{interview_id}`, described in protocol/README.md. Every error is "
            '`{"error": {"code": ..., "message": ...}}`. A request whose `Host` is not one of the server\'s names '
            "gets 400 `invalid_host` (see `VIVA_ALLOWED_HOSTS`).",
        },
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE},
            },
        },
    }


async def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(openapi_document())


routes = [Route("/openapi.json", openapi_json, methods=["GET"])]
