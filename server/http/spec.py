"""How each REST route is described in the OpenAPI document, declared next to the route itself."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

Access = Literal["public", "candidate", "observer", "recruiter"]


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str = ""
    #: JSON body model; ``None`` with ``upload`` set for multipart/binary bodies.
    body: type[BaseModel] | None = None
    #: Media types of a file body: ``multipart/form-data`` (field ``file``) and/or raw types like ``audio/*``.
    upload: tuple[str, ...] = ()
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    #: Set for a binary response (``audio/wav``) instead of a JSON ``response`` model.
    response_media: str | None = None
    status: int = 200
    errors: tuple[int, ...] = ()
    access: Access = "public"
