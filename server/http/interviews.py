"""The interview routes: create one, hold it over REST in text, read it and the history."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import TypeVar, cast

from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from server.evaluation.base import question_from_snapshot
from server.http.access import credential_key, load_interview, require_candidate, require_observer, require_recruiter
from server.http.bodies import describe_validation_error, read_json
from server.http.errors import ApiError
from server.http.schemas import (
    AnswerRequest,
    AnswerResponse,
    HistoryItem,
    HistoryPage,
    HistoryQuery,
    InterviewDetail,
    ObserverQuery,
    Question,
    QuestionGrounding,
    QuestionRequest,
    QuestionResponse,
    QuestionScore,
    ResultsQuery,
    ResultsResponse,
    RevokeRequest,
    RevokeResponse,
    StartRequest,
    StartResponse,
)
from server.http.spec import Operation
from server.observers.steering import link_revoked
from server.services import text_interview
from server.services.results import Results, interview_results
from server.services.runtime import Services
from server.store.base import FINAL_STATUSES, InterviewRecord, InterviewStatus
from server.store.tokens import hash_token, new_token

Q = TypeVar("Q", bound=BaseModel)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def start_interview(request: Request) -> JSONResponse:
    services = _services(request)
    require_recruiter(request, services)
    request.app.state.start_limit.check(credential_key(request, services), time.monotonic())
    body = await read_json(request, StartRequest)
    setup = body.to_setup(services.settings.default_num_questions)
    candidate_token, observer_token = new_token(), new_token()
    now = datetime.now(UTC)
    candidate_expires_at = now + timedelta(seconds=services.settings.candidate_link_ttl_s)
    observer_expires_at = now + timedelta(seconds=services.settings.observer_link_ttl_s)
    interview_id = await services.store.create_interview(
        setup,
        hash_token(candidate_token),
        hash_token(observer_token),
        candidate_expires_at=candidate_expires_at,
        observer_expires_at=observer_expires_at,
    )
    response = StartResponse(
        interview_id=interview_id,
        candidate_token=candidate_token,
        candidate_url=f"/interview.html?id={interview_id}&token={candidate_token}",
        candidate_socket_url=_socket_url(request, f"/ws/interview/{interview_id}", candidate_token),
        observer_token=observer_token,
        observer_url=f"/report.html?id={interview_id}&token={observer_token}",
        observer_room_url=f"/observer.html?id={interview_id}&token={observer_token}",
        candidate_link_expires_at=candidate_expires_at,
        observer_link_expires_at=observer_expires_at,
    )
    return JSONResponse(response.model_dump(mode="json"), status_code=201)


def _socket_url(request: Request, path: str, token: str) -> str:
    """An absolute WebSocket URL on the scheme and host the request came to, as a browser resolves the relative
    page links (behind a proxy, uvicorn takes the scheme from ``X-Forwarded-Proto`` when the proxy is trusted)."""
    scheme = "wss" if request.url.scheme == "https" else "ws"
    return str(request.url.replace(scheme=scheme, path=path, query=f"token={token}", fragment=""))


async def next_question(request: Request) -> JSONResponse:
    services = _services(request)
    body = await read_json(request, QuestionRequest)
    await require_candidate(request, services, body.interview_id, body.candidate_token)
    async with text_interview.interview_lock(body.interview_id):
        record = await load_interview(services, body.interview_id)
        pending = await text_interview.current_question(services, record)
    if pending is None:
        return JSONResponse(QuestionResponse(interview_id=record.id, complete=True).model_dump(mode="json"))
    question = Question.of(pending)
    return JSONResponse(
        QuestionResponse(interview_id=record.id, complete=False, **question.model_dump()).model_dump(mode="json")
    )


async def submit_answer(request: Request) -> JSONResponse:
    services = _services(request)
    body = await read_json(request, AnswerRequest)
    await require_candidate(request, services, body.interview_id, body.candidate_token)
    async with text_interview.interview_lock(body.interview_id):
        record = await load_interview(services, body.interview_id)
        outcome = await text_interview.answer(services, record, body.answer, body.turn_index)
    response = AnswerResponse(
        interview_id=record.id,
        turn_index=outcome.turn.index,
        complete=outcome.next_question is None,
        next_question=Question.of(outcome.next_question) if outcome.next_question else None,
        closing=outcome.closing,
    )
    return JSONResponse(response.model_dump(mode="json"))


async def list_interviews(request: Request) -> JSONResponse:
    services = _services(request)
    require_recruiter(request, services)
    query = _query(request, HistoryQuery)
    page = await services.store.list_interviews(
        limit=query.limit, offset=query.offset, job_title=query.job_title, status=query.status
    )
    end = query.offset + len(page.items)
    response = HistoryPage(
        items=[HistoryItem.of(s) for s in page.items],
        total=page.total,
        limit=query.limit,
        offset=query.offset,
        next_offset=end if end < page.total else None,
    )
    return JSONResponse(response.model_dump(mode="json"))


def _query(request: Request, model: type[Q]) -> Q:
    try:
        return model.model_validate(dict(request.query_params))
    except ValidationError as exc:
        raise ApiError(422, "validation_error", describe_validation_error(exc)) from exc


def _grounding(record: InterviewRecord, question_number: int) -> QuestionGrounding | None:
    planned = question_from_snapshot(record.interviewer_state or {}, question_number)
    if planned is None:
        return None
    return QuestionGrounding(source=planned.grounding.source.value, quote=planned.grounding.quote)


def _results_body(results: Results) -> ResultsResponse:
    record, report = results.record, results.report
    return ResultsResponse(
        interview_id=record.id,
        status=cast(InterviewStatus, record.status),
        complete=record.status in FINAL_STATUSES,
        candidate_name=record.setup.candidate_name,
        job_title=record.setup.job_title,
        interview_type=record.setup.interview_type,
        final_score=report.overall,
        rubric_version=report.rubric,
        evaluated_at=results.evaluated_at,
        questions=[
            QuestionScore(
                question_number=q.row.question_number,
                question_text=q.row.question_text,
                grounding=_grounding(record, q.row.question_number),
                answer=q.row.answer,
                score=q.row.score,
                feedback=q.row.feedback,
                criteria={c.criterion: c.score for c in q.evaluation.criteria},
                evidence={c.criterion: c.quotes for c in q.evaluation.criteria},
                rationale={c.criterion: c.rationale for c in q.evaluation.criteria},
                flags=list(q.evaluation.flags),
                rubric_version=q.row.rubric_version,
                engine=q.evaluation.engine,
                evaluated_at=q.row.evaluated_at,
            )
            for q in results.questions
        ],
        report=report,
    )


async def _results(request: Request, *, rescore: bool) -> Response:
    services = _services(request)
    interview_id = request.path_params["interview_id"]
    await require_observer(request, services, interview_id)
    query = _query(request, ResultsQuery)
    async with text_interview.interview_lock(interview_id):
        record = await load_interview(services, interview_id)
        results = await interview_results(services, record, rescore=rescore)
    if query.format == "markdown":
        return PlainTextResponse(results.report.to_markdown(), media_type="text/markdown; charset=utf-8")
    return JSONResponse(_results_body(results).model_dump(mode="json"))


async def get_results(request: Request) -> Response:
    return await _results(request, rescore=False)


async def save_results(request: Request) -> Response:
    return await _results(request, rescore=True)


async def get_interview(request: Request) -> JSONResponse:
    services = _services(request)
    interview_id = request.path_params["interview_id"]
    await require_observer(request, services, interview_id)
    _query(request, ObserverQuery)
    record = await load_interview(services, interview_id)
    return JSONResponse(InterviewDetail.of(record).model_dump(mode="json"))


async def revoke_link(request: Request) -> JSONResponse:
    """Revoke a link for good; live connections holding it are closed (the candidate's, the observers')."""
    services = _services(request)
    interview_id = request.path_params["interview_id"]
    await require_observer(request, services, interview_id)
    body = await read_json(request, RevokeRequest)
    await load_interview(services, interview_id)
    revoked_at = await services.store.revoke_token(interview_id, body.link)
    await link_revoked(services.bus, interview_id, body.link)
    response = RevokeResponse(interview_id=interview_id, link=body.link, revoked_at=revoked_at)
    return JSONResponse(response.model_dump(mode="json"))


routes = [
    Route("/api/v1/interview/start", start_interview, methods=["POST"]),
    Route("/api/v1/interview/question", next_question, methods=["POST"]),
    Route("/api/v1/interview/answer", submit_answer, methods=["POST"]),
    Route("/api/v1/interview/results/{interview_id}", get_results, methods=["GET"]),
    Route("/api/v1/interview/save/{interview_id}", save_results, methods=["POST"]),
    Route("/api/v1/interviews", list_interviews, methods=["GET"]),
    Route("/api/v1/interviews/{interview_id}", get_interview, methods=["GET"]),
    Route("/api/v1/interviews/{interview_id}/revoke", revoke_link, methods=["POST"]),
]

operations = [
    Operation(
        "POST",
        "/api/v1/interview/start",
        "Create an interview",
        "Returns the interview's id and its links: the candidate's (live interview page) and the observer's (the "
        "report, and the live room to watch and steer, for someone who does not sign in). Their tokens are shown "
        "only here; the server keeps only their SHA-256 digests. Links expire (`VIVA_CANDIDATE_LINK_TTL_S`, "
        "`VIVA_OBSERVER_LINK_TTL_S`) and can be revoked. Each recruiter may create "
        "`VIVA_INTERVIEW_STARTS_PER_MINUTE` per minute; more get 429 `too_many_starts` with `Retry-After`.",
        body=StartRequest,
        response=StartResponse,
        status=201,
        errors=(400, 401, 403, 413, 422, 429, 503),
        access="recruiter",
    ),
    Operation(
        "POST",
        "/api/v1/interview/question",
        "The question to answer now",
        "Starts the interview on the first call. Asking again returns the same question, worded the same, "
        "until it is answered; `complete` is true once the interview is over.",
        body=QuestionRequest,
        response=QuestionResponse,
        errors=(400, 401, 403, 404, 422, 503),
        access="candidate",
    ),
    Operation(
        "POST",
        "/api/v1/interview/answer",
        "Answer the current question",
        "The answer is saved as a turn (with the interviewer's state) before the reply returns the next "
        "question, or the closing words when the interview is complete.",
        body=AnswerRequest,
        response=AnswerResponse,
        errors=(400, 401, 403, 404, 409, 422, 503),
        access="candidate",
    ),
    Operation(
        "GET",
        "/api/v1/interview/results/{interview_id}",
        "Scores, feedback and the report",
        "Each answered question is scored under the interview type's rubric (scores are stored, and reused while "
        "the answers are unchanged), with the report. Partial while the interview is running. `?format=markdown` "
        "returns the report as Markdown.",
        query=ResultsQuery,
        response=ResultsResponse,
        errors=(401, 403, 404, 422, 503),
        access="observer",
    ),
    Operation(
        "POST",
        "/api/v1/interview/save/{interview_id}",
        "Score every answer afresh and store the report",
        "Like the results, but re-scores every question (after a rubric or engine change) and stores the new "
        "scores and report.",
        query=ResultsQuery,
        response=ResultsResponse,
        errors=(401, 403, 404, 422, 503),
        access="observer",
    ),
    Operation(
        "GET",
        "/api/v1/interviews",
        "Interview history",
        "Newest first, paginated, filterable by job title (case-insensitive, any part) and status.",
        query=HistoryQuery,
        response=HistoryPage,
        errors=(401, 403, 422, 503),
        access="recruiter",
    ),
    Operation(
        "GET",
        "/api/v1/interviews/{interview_id}",
        "One interview: set-up, status and every turn with its timings",
        query=ObserverQuery,
        response=InterviewDetail,
        errors=(401, 403, 404, 422, 503),
        access="observer",
    ),
    Operation(
        "POST",
        "/api/v1/interviews/{interview_id}/revoke",
        "Revoke one of the interview's links",
        "The link's token is refused from then on (HTTP 401 `token_revoked`, WebSocket close 4012), and live "
        "connections holding it are closed.",
        body=RevokeRequest,
        response=RevokeResponse,
        errors=(400, 401, 403, 404, 422, 503),
        access="observer",
    ),
]
