"""The REST API's routes, one module per area."""

from __future__ import annotations

from starlette.routing import BaseRoute

from server.http import audio, interviews, openapi, signin, uploads

routes: list[BaseRoute] = [
    *signin.routes,
    *uploads.routes,
    *interviews.routes,
    *audio.routes,
    *openapi.routes,
]
