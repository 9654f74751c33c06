"""The REST API's routes, one module per area."""

from __future__ import annotations

from starlette.routing import BaseRoute

from server.api import interviews, uploads

routes: list[BaseRoute] = [*uploads.routes, *interviews.routes]
