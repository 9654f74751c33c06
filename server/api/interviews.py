"""The interview routes: create one, hold it over REST in text, read its results and the history."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from server.api.bodies import read_json
from server.api.schemas import StartRequest, StartResponse
from server.services import Services
from server.store.tokens import hash_token, new_token


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def start_interview(request: Request) -> JSONResponse:
    services = _services(request)
    body = await read_json(request, StartRequest)
    setup = body.to_setup(services.settings.default_num_questions)
    candidate_token, observer_token = new_token(), new_token()
    interview_id = await services.store.create_interview(setup, hash_token(candidate_token), hash_token(observer_token))
    response = StartResponse(
        interview_id=interview_id,
        candidate_token=candidate_token,
        candidate_url=f"/interview.html?id={interview_id}&token={candidate_token}",
        observer_token=observer_token,
        observer_url=f"/report.html?id={interview_id}&token={observer_token}",
    )
    return JSONResponse(response.model_dump(), status_code=201)


routes = [
    Route("/api/v1/interview/start", start_interview, methods=["POST"]),
]
