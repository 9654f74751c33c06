"""The REST API in-process: start, uploads, an interview held in text, history, access, errors, OpenAPI."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets
from starlette.routing import Mount, Route, WebSocketRoute

from protocol import messages as m
from server.app import create_app
from server.services.runtime import Services
from server.store.tokens import hash_token
from tests.api_support import START, STRONG_ANSWER, app_client, postgres_services, served, start, with_settings
from tests.conftest import recruiter_headers
from tests.test_documents import blank_pdf, encrypted_pdf, text_pdf


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(services) as client:
        yield client


def error_of(response: httpx.Response) -> tuple[int, str]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert body["error"]["message"]
    return response.status_code, body["error"]["code"]


# ---------------------------------------------------------------------------------------------- start


async def test_start_returns_links_and_stores_only_token_digests(client: httpx.AsyncClient, services: Services) -> None:
    started = await start(client)
    interview_id, token = started["interview_id"], started["candidate_token"]
    assert started["candidate_url"] == f"/interview.html?id={interview_id}&token={token}"
    assert started["observer_url"] == f"/report.html?id={interview_id}&token={started['observer_token']}"
    assert len(token) >= 40 and token != started["observer_token"]
    assert await services.store.check_candidate_token(interview_id, hash_token(token))
    assert await services.store.check_observer_token(interview_id, hash_token(started["observer_token"]))
    database = (
        services.settings.sqlite_path.read_bytes()
        + services.settings.sqlite_path.with_name("viva.sqlite3-wal").read_bytes()
    )
    assert token.encode() not in database and hash_token(token).encode() in database


async def test_start_gives_the_candidate_socket_url_and_the_socket_opens(
    client: httpx.AsyncClient, services: Services
) -> None:
    # Over https (as behind a TLS proxy) the socket is wss://, on the host the request was sent to.
    secure = (await client.post("https://localhost:8443/api/v1/interview/start", json=START)).json()
    assert secure["candidate_socket_url"] == (
        f"wss://localhost:8443/ws/interview/{secure['interview_id']}?token={secure['candidate_token']}"
    )
    async with served(services) as url:
        async with httpx.AsyncClient(base_url=url, headers=recruiter_headers()) as http:
            response = await http.post("/api/v1/interview/start", json=START)
        assert response.status_code == 201, response.text
        started = response.json()
        socket_url = started["candidate_socket_url"]
        assert (
            socket_url
            == f"{url.replace('http', 'ws', 1)}/ws/interview/{started['interview_id']}?token="
            + (started["candidate_token"])
        )
        async with websockets.connect(socket_url) as socket:
            await socket.send(m.encode(m.Hello(client="api-test")))
            ready = m.parse_server_message(await asyncio.wait_for(socket.recv(), 10))
        assert isinstance(ready, m.Ready) and ready.interview_id == started["interview_id"], ready


async def test_start_takes_a_question_bank_and_a_time_budget(client: httpx.AsyncClient, services: Services) -> None:
    bank = [{"text": "Why do you want this job?"}, {"text": "Explain ACID.", "notes": "atomicity, isolation"}]
    started = await start(client, question_bank=bank, time_budget_s=900)
    record = await services.store.get_interview(started["interview_id"])
    assert record is not None
    assert [(q.text, q.notes) for q in record.setup.question_bank] == [
        ("Why do you want this job?", ""),
        ("Explain ACID.", "atomicity, isolation"),
    ]
    assert record.setup.time_budget_s == 900
    first = await ask(client, started)
    assert "Why do you want this job?" in first["question_text"]


async def test_start_uses_the_default_number_of_questions(client: httpx.AsyncClient, services: Services) -> None:
    started = await start(client, num_questions=None)
    record = await services.store.get_interview(started["interview_id"])
    assert record is not None and record.setup.num_questions == services.settings.default_num_questions


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"candidate_name": ""}, "candidate_name"),
        ({"candidate_name": "   "}, "candidate_name"),
        ({"job_title": None}, "job_title"),
        ({"interview_type": "trivia"}, "interview_type"),
        ({"num_questions": 0}, "num_questions"),
        ({"num_questions": 31}, "num_questions"),
        ({"num_questions": "five"}, "num_questions"),
        ({"resume_text": "x" * 50_001}, "resume_text"),
        ({"nickname": "Ada"}, "nickname"),
        ({"question_bank": [{"text": ""}]}, "question_bank.0.text"),
        ({"time_budget_s": 5}, "time_budget_s"),
    ],
)
async def test_start_names_the_bad_field(client: httpx.AsyncClient, change: dict[str, Any], field: str) -> None:
    body = {
        "candidate_name": "Ada",
        "job_title": "Engineer",
        "interview_type": "mixed",
        "num_questions": 3,
        **change,
    }
    response = await client.post("/api/v1/interview/start", json=body)
    assert error_of(response) == (422, "validation_error")
    assert f"{field}:" in response.json()["error"]["message"]


async def test_start_refuses_bodies_that_are_not_a_json_object(client: httpx.AsyncClient) -> None:
    assert error_of(await client.post("/api/v1/interview/start", content=b"{nope")) == (400, "malformed_json")
    assert error_of(await client.post("/api/v1/interview/start", json=["a"])) == (422, "validation_error")
    huge = b'{"candidate_name": "' + b"a" * 300_000 + b'"}'
    assert error_of(await client.post("/api/v1/interview/start", content=huge)) == (413, "payload_too_large")


# ---------------------------------------------------------------------------------------------- uploads


async def test_upload_pdf_and_txt(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/upload/pdf", files={"file": ("cv.pdf", text_pdf(["Ada Lovelace", "Payments API"]), "application/pdf")}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["pages"] == 2 and "Ada Lovelace" in body["text"] and body["chars"] == len(body["text"])
    response = await client.post("/api/v1/upload/txt", files={"file": ("cv.txt", "Zoë Müller\nPython".encode())})
    assert response.json() == {"text": "Zoë Müller\nPython", "pages": 1, "chars": 17, "truncated": False}


async def test_upload_type_is_judged_by_content_not_name(client: httpx.AsyncClient) -> None:
    pdf_named_txt = await client.post("/api/v1/upload/txt", files={"file": ("cv.txt", text_pdf(["hi"]))})
    assert error_of(pdf_named_txt) == (415, "unsupported_type")
    text_named_pdf = await client.post(
        "/api/v1/upload/pdf", files={"file": ("cv.pdf", b"plain words", "application/pdf")}
    )
    assert error_of(text_named_pdf) == (415, "unsupported_type")
    png = await client.post("/api/v1/upload/pdf", files={"file": ("cv.pdf", b"\x89PNG\r\n\x1a\n" + bytes(64))})
    assert "PNG" in png.json()["error"]["message"]


async def test_upload_pdf_problems_each_get_their_code(services: Services) -> None:
    cases = {
        "pdf_encrypted": encrypted_pdf("hunter2"),
        "pdf_no_text": blank_pdf(),
        "pdf_corrupt": text_pdf(["cut short"])[:300],
        "pdf_too_many_pages": text_pdf(["page"] * 3),
    }
    async with app_client(with_settings(services, max_pdf_pages=2)) as client:
        for code, data in cases.items():
            response = await client.post("/api/v1/upload/pdf", files={"file": ("cv.pdf", data)})
            assert error_of(response) == (422, code)


async def test_upload_limits_and_shape(services: Services) -> None:
    async with app_client(with_settings(services, max_upload_bytes=4096)) as client:
        too_big = await client.post("/api/v1/upload/txt", files={"file": ("cv.txt", b"a" * 5000)})
        assert error_of(too_big) == (413, "payload_too_large")
        fits = await client.post("/api/v1/upload/txt", files={"file": ("cv.txt", b"a" * 4000)})
        assert fits.status_code == 200
        wrong_field = await client.post("/api/v1/upload/txt", files={"resume": ("cv.txt", b"hello")})
        assert error_of(wrong_field) == (422, "missing_file")
        not_multipart = await client.post("/api/v1/upload/txt", content=b"hello")
        assert error_of(not_multipart) == (415, "expected_multipart")


# ---------------------------------------------------------------------------------------------- text interview


async def ask(client: httpx.AsyncClient, started: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(
        "/api/v1/interview/question",
        json={"interview_id": started["interview_id"], "candidate_token": started["candidate_token"]},
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


async def reply(client: httpx.AsyncClient, started: dict[str, Any], text: str, **extra: Any) -> httpx.Response:
    return await client.post(
        "/api/v1/interview/answer",
        json={
            "interview_id": started["interview_id"],
            "candidate_token": started["candidate_token"],
            "answer": text,
            **extra,
        },
    )


async def hold_interview(client: httpx.AsyncClient) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A whole interview over REST; returns the start response and every question as it was asked."""
    started = await start(client)
    asked = [await ask(client, started)]
    assert asked[0]["complete"] is False and asked[0]["turn_index"] == 0
    assert await ask(client, started) == asked[0], "asking again returns the same question"
    for _ in range(12):
        response = await reply(client, started, STRONG_ANSWER, turn_index=asked[-1]["turn_index"])
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["turn_index"] == asked[-1]["turn_index"]
        if body["complete"]:
            assert body["next_question"] is None and body["closing"]
            return started, asked
        assert body["next_question"]["turn_index"] == body["turn_index"] + 1
        asked.append({"interview_id": started["interview_id"], "complete": False, **body["next_question"]})
    raise AssertionError("the interview did not complete")


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_a_whole_interview_over_rest(services: Services, database: str) -> None:
    async def run(services: Services) -> None:
        async with app_client(services) as client:
            started, asked = await hold_interview(client)
            interview_id = started["interview_id"]
            assert (await ask(client, started)) == {
                "interview_id": interview_id,
                "complete": True,
                "question_number": None,
                "question_text": None,
                "kind": None,
                "turn_index": None,
                "asked_at": None,
            }
            assert error_of(await reply(client, started, "One more thing")) == (409, "interview_over")

            detail = (await client.get(f"/api/v1/interviews/{interview_id}")).json()
            assert detail["status"] == "completed" and detail["end_reason"] == "completed"
            assert detail["setup"]["job_title"] == "Backend Engineer"
            assert [t["question"] for t in detail["turns"]] == [q["question_text"] for q in asked]
            assert [t["asked_at"] for t in detail["turns"]] == [q["asked_at"] for q in asked]
            assert all(t["answer"] == STRONG_ANSWER and t["answered_by"] == "text" for t in detail["turns"])
            assert {t["question_number"] for t in detail["turns"]} == {1, 2}
            # In text the greeting comes with the first question, which the first turn answers.
        assert detail["turns"][0]["kind"] == "question" and "Ada" in detail["turns"][0]["question"]

    if database == "sqlite":
        await run(services)
    else:
        async with postgres_services(services) as pg_services:
            await run(pg_services)


async def test_answer_rules(client: httpx.AsyncClient) -> None:
    started = await start(client)
    assert error_of(await reply(client, started, "Too early")) == (409, "not_started")
    first = await ask(client, started)
    assert error_of(await reply(client, started, "   ")) == (422, "validation_error")
    assert error_of(await reply(client, started, "x" * 8001)) == (422, "validation_error")
    assert error_of(await reply(client, started, STRONG_ANSWER, turn_index=3)) == (409, "not_asked_yet")
    assert (await reply(client, started, STRONG_ANSWER, turn_index=first["turn_index"])).status_code == 200
    retried = await reply(client, started, STRONG_ANSWER, turn_index=first["turn_index"])
    assert error_of(retried) == (409, "already_answered")


async def test_concurrent_answers_to_one_question(client: httpx.AsyncClient, services: Services) -> None:
    started = await start(client)
    first = await ask(client, started)
    responses = await asyncio.gather(
        *(reply(client, started, f"{STRONG_ANSWER} ({n})", turn_index=first["turn_index"]) for n in range(3))
    )
    assert sorted(r.status_code for r in responses) == [200, 409, 409]
    record = await services.store.get_interview(started["interview_id"])
    assert record is not None and len(record.turns) == 1


async def test_a_new_client_continues_where_the_interview_stood(services: Services) -> None:
    """The candidate's connection drops; a fresh client with the same link carries on."""
    async with app_client(services) as first_client:
        started = await start(first_client)
        await ask(first_client, started)
        answered = (await reply(first_client, started, STRONG_ANSWER)).json()
    async with app_client(services) as second_client:
        again = await ask(second_client, started)
        assert again["question_text"] == answered["next_question"]["question_text"]
        assert again["turn_index"] == 1


async def test_candidate_token_is_required(client: httpx.AsyncClient) -> None:
    started = await start(client)
    other = await start(client)
    url = "/api/v1/interview/question"
    missing = await client.post(url, json={"interview_id": started["interview_id"]})
    assert error_of(missing) == (401, "token_required")
    wrong = await client.post(
        url, json={"interview_id": started["interview_id"], "candidate_token": other["candidate_token"]}
    )
    assert error_of(wrong) == (403, "invalid_token")
    observer = await client.post(
        url, json={"interview_id": started["interview_id"], "candidate_token": started["observer_token"]}
    )
    assert error_of(observer) == (403, "wrong_link")  # the observer's link cannot answer
    bearer = await client.post(
        url,
        json={"interview_id": started["interview_id"]},
        headers={"Authorization": f"Bearer {started['candidate_token']}"},
    )
    assert bearer.status_code == 200


# ---------------------------------------------------------------------------------------------- history and access


async def test_history_newest_first_paginated_filtered(client: httpx.AsyncClient) -> None:
    ids = [
        (await start(client, job_title=title))["interview_id"]
        for title in ("Data Engineer", "Designer", "Data Analyst")
    ]
    started = await start(client, job_title="Data Scientist")
    ids.append(started["interview_id"])
    await ask(client, started)

    page = (await client.get("/api/v1/interviews", params={"limit": 2})).json()
    assert [i["interview_id"] for i in page["items"]] == ids[::-1][:2]
    assert (page["total"], page["next_offset"]) == (4, 2)
    last = (await client.get("/api/v1/interviews", params={"limit": 2, "offset": 2})).json()
    assert [i["interview_id"] for i in last["items"]] == ids[::-1][2:] and last["next_offset"] is None

    data = (await client.get("/api/v1/interviews", params={"job_title": "data"})).json()
    assert [i["job_title"] for i in data["items"]] == ["Data Scientist", "Data Analyst", "Data Engineer"]
    running = (await client.get("/api/v1/interviews", params={"status": "in_progress"})).json()
    assert [i["interview_id"] for i in running["items"]] == [started["interview_id"]]
    assert running["items"][0]["started_at"] is not None

    bad = await client.get("/api/v1/interviews", params={"status": "paused", "limit": 0})
    assert error_of(bad) == (422, "validation_error")
    assert "status:" in bad.json()["error"]["message"] and "limit:" in bad.json()["error"]["message"]


async def test_admin_token_guards_recruiter_routes(services: Services) -> None:
    services = with_settings(services, admin_token="s3cret-admin")
    async with app_client(services) as recruiter, app_client(services, signed_in=False) as client:
        started = await start(recruiter)
        other = await start(recruiter)
        interview = f"/api/v1/interviews/{started['interview_id']}"
        assert error_of(await client.get("/api/v1/interviews")) == (401, "sign_in_required")
        assert error_of(await client.get("/api/v1/interviews", headers={"Authorization": "Bearer nope"})) == (
            403,
            "invalid_token",
        )
        assert (await client.get("/api/v1/interviews", headers={"Authorization": "Bearer s3cret-admin"})).json()[
            "total"
        ] == 2
        assert error_of(await client.get(interview)) == (401, "sign_in_required")
        assert (await client.get(interview, params={"token": started["observer_token"]})).status_code == 200
        assert (await client.get(interview, headers={"Authorization": "Bearer s3cret-admin"})).status_code == 200
        assert error_of(await client.get(interview, params={"token": other["observer_token"]})) == (
            403,
            "invalid_token",
        )
        assert error_of(await client.get(interview, params={"token": started["candidate_token"]})) == (
            403,
            "wrong_link",  # the candidate's link cannot watch
        )


async def test_unknown_interview(client: httpx.AsyncClient) -> None:
    assert error_of(await client.get("/api/v1/interviews/nope")) == (404, "interview_not_found")


async def test_every_error_is_json(client: httpx.AsyncClient) -> None:
    assert error_of(await client.get("/api/v1/nowhere")) == (404, "not_found")
    assert error_of(await client.delete("/api/v1/interviews")) == (405, "method_not_allowed")


# ---------------------------------------------------------------------------------------------- OpenAPI


async def test_openapi_describes_every_route(client: httpx.AsyncClient, services: Services) -> None:
    document = (await client.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.1")
    described = {(path, method.upper()) for path, item in document["paths"].items() for method in item}
    app = create_app(services=services)
    served = set()
    for route in app.routes:
        if isinstance(route, Route):
            served |= {(route.path, method) for method in route.methods or () if method != "HEAD"}
        else:
            assert isinstance(route, WebSocketRoute | Mount), f"unexpected route type {route!r}"
    missing = served - described
    assert not missing, f"routes missing from /openapi.json: {sorted(missing)}"
    assert not described - served, f"/openapi.json describes routes that do not exist: {sorted(described - served)}"


async def test_openapi_bodies_and_references_resolve(client: httpx.AsyncClient) -> None:
    document = (await client.get("/openapi.json")).json()
    start_op = document["paths"]["/api/v1/interview/start"]["post"]
    assert start_op["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/StartRequest"
    }
    assert set(document["components"]["schemas"]["StartRequest"]["properties"]) >= {
        "candidate_name",
        "job_title",
        "job_description",
        "resume_text",
        "interview_type",
        "num_questions",
    }
    assert "201" in start_op["responses"] and "422" in start_op["responses"]
    upload = document["paths"]["/api/v1/upload/pdf"]["post"]["requestBody"]["content"]
    assert upload["multipart/form-data"]["schema"]["properties"]["file"]["format"] == "binary"
    history = document["paths"]["/api/v1/interviews"]["get"]
    assert {p["name"] for p in history["parameters"]} == {"limit", "offset", "job_title", "status"}

    def refs(node: Any) -> list[str]:
        if isinstance(node, dict):
            return [node["$ref"]] if "$ref" in node else [r for v in node.values() for r in refs(v)]
        return [r for v in node for r in refs(v)] if isinstance(node, list) else []

    names = set(document["components"]["schemas"])
    assert {ref.rsplit("/", 1)[1] for ref in refs(document)} <= names
