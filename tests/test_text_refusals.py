"""Text no database can keep (a NUL, another control character, an unpaired surrogate) is refused at every
boundary, naming the field, the same on SQLite and PostgreSQL; what the server writes itself is made storable
in the store, so it can never fail a write. PostgreSQL refuses NUL outright, which once made these 500s."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from protocol import messages as m
from server.services.documents import extract_txt
from server.services.runtime import Services
from server.store.base import PendingQuestion, QuestionEvaluation, StoredEvent, StoredTurn
from tests.api_support import START, app_client, postgres_services, start
from tests.live_client import LiveClient, start_interview
from tests.observer_client import ObserverClient
from tests.test_store import SETUP, StoreFactory, make_store  # noqa: F401  (the fixture, on both databases)

NUL = "\x00"


@pytest.fixture(params=["sqlite", "postgres"])
async def client(request: pytest.FixtureRequest, services: Services) -> AsyncIterator[httpx.AsyncClient]:
    if request.param == "sqlite":
        async with app_client(services) as c:
            yield c
        return
    async with postgres_services(services) as pg_services, app_client(pg_services) as c:
        yield c


def refused_field(response: httpx.Response) -> str:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    return str(error["message"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"candidate_name": f"Ada{NUL}"}, "candidate_name"),
        ({"job_title": f"Back{NUL}end"}, "job_title"),
        ({"job_description": f"Python{NUL}"}, "job_description"),
        ({"resume_text": f"{NUL}Ten years"}, "resume_text"),
        ({"question_bank": [{"text": f"Why{NUL}?"}]}, "question_bank.0.text"),
        ({"question_bank": [{"text": "Why?", "notes": f"a{NUL}b"}]}, "question_bank.0.notes"),
        ({"candidate_name": "Ada\x07"}, "candidate_name"),  # a bell: any control character but tab and newlines
        ({"job_title": "Back\ud800end"}, "job_title"),  # an unpaired surrogate, sent as the JSON escape \\ud800
    ],
)
async def test_start_refuses_control_characters_naming_the_field(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    body = json.dumps({**START, **change})  # ASCII-escaped, as a client would send "\u0000"
    response = await client.post("/api/v1/interview/start", content=body, headers={"content-type": "application/json"})
    assert refused_field(response).startswith(f"Invalid request. {field}: ")
    assert (await client.get("/api/v1/interviews")).json()["total"] == 0, "nothing was stored"


async def test_tabs_and_line_breaks_are_text(client: httpx.AsyncClient) -> None:
    created = await start(client, job_description="Python\tPostgreSQL\r\nKubernetes\n\nPayments")
    detail = (await client.get(f"/api/v1/interviews/{created['interview_id']}")).json()
    assert detail["setup"]["job_description"] == "Python\tPostgreSQL\r\nKubernetes\n\nPayments"


async def test_every_other_route_refuses_nul_naming_the_field(client: httpx.AsyncClient) -> None:
    created = await start(client)
    candidate = {"interview_id": created["interview_id"], "candidate_token": created["candidate_token"]}
    assert (await client.post("/api/v1/interview/question", json=candidate)).status_code == 200

    for path, body, field in (
        ("/api/v1/interview/question", {**candidate, "interview_id": f"x{NUL}"}, "interview_id"),
        ("/api/v1/interview/question", {**candidate, "candidate_token": f"t{NUL}"}, "candidate_token"),
        ("/api/v1/interview/answer", {**candidate, "answer": f"I built{NUL} it."}, "answer"),
        ("/api/v1/audio/tts", {"text": f"Hello{NUL}"}, "text"),
    ):
        assert f"{field}: Value error" in refused_field(await client.post(path, json=body)), path
    assert "job_title: Value error" in refused_field(await client.get("/api/v1/interviews?job_title=Back%00"))
    # Access is checked before anything else is read: a link token with a NUL opens nothing.
    for path in (
        f"/api/v1/interviews/{created['interview_id']}?token=t%00",
        f"/api/v1/interview/results/{created['interview_id']}?token=t%00",
    ):
        refused = await client.get(path)
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "invalid_token"), path

    # A NUL where no model reads it (the path) is dropped by the store, as from every value: never a 500.
    same = await client.get(f"/api/v1/interviews/{created['interview_id']}%00")
    assert same.status_code == 200, same.text
    assert same.json()["interview_id"] == created["interview_id"]
    detail = (await client.get(f"/api/v1/interviews/{created['interview_id']}")).json()
    assert detail["turns"] == [], "the refused answer was not recorded"


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"type": "hello", "client": f"web{NUL}"}, "client"),
        ({"type": "text_answer", "text": f"I led it{NUL}."}, "text"),
        ({"type": "text_answer", "text": "I led it\x1b[31m."}, "text"),
    ],
)
def test_candidate_messages_with_control_characters_are_invalid(message: dict[str, Any], field: str) -> None:
    with pytest.raises(m.ProtocolError) as refused:
        m.parse_client_message(json.dumps({"v": 1, **message}))
    assert refused.value.code is m.ErrorCode.INVALID_MESSAGE
    assert f"{field}: Value error, contains a control character" in refused.value.message


@pytest.mark.parametrize(
    ("message", "field"),
    [
        ({"type": "observe", "name": f"Bo{NUL}"}, "name"),
        ({"type": "ask_question", "text": f"Why{NUL}?"}, "text"),
        ({"type": "add_note", "text": f"Strong{NUL}"}, "text"),
        ({"type": "add_note", "text": "Strong", "request_id": f"r{NUL}"}, "request_id"),
        ({"type": "skip_topic", "request_id": f"r{NUL}"}, "request_id"),
    ],
)
def test_observer_messages_with_control_characters_are_invalid(message: dict[str, Any], field: str) -> None:
    with pytest.raises(m.ProtocolError) as refused:
        m.parse_observer_message(json.dumps({"v": 1, **message}))
    assert refused.value.code is m.ErrorCode.INVALID_MESSAGE
    assert f"{field}: Value error, contains a control character" in refused.value.message


def test_typed_text_keeps_tabs_line_breaks_and_any_language() -> None:
    answer = m.parse_client_message(json.dumps({"v": 1, "type": "text_answer", "text": "Oui\tçà\n日本語 🙂\r\n"}))
    assert isinstance(answer, m.TextAnswer) and answer.text == "Oui\tçà\n日本語 🙂\r\n"


async def test_the_store_keeps_what_the_server_writes_whatever_it_holds(make_store: StoreFactory) -> None:  # noqa: F811
    """Text that never passed a model (a transcript, an extracted document, an event) cannot fail a write."""
    store = make_store()
    await store.open()
    now = datetime.now(UTC)
    setup = dataclasses.replace(SETUP, resume_text=f"Ten{NUL} years \ud800")
    interview_id = await store.create_interview(setup, "digest")
    await store.mark_started(interview_id, {"said": f"hel{NUL}lo"}, PendingQuestion(0, "greeting", 0, f"Hi{NUL}", now))
    turn = StoredTurn(0, "greeting", 0, f"Hi{NUL}", f"I am{NUL} Ada", "voice", now, now, now, 1200)
    await store.append_turn(interview_id, turn, {"transcript": f"I am{NUL} Ada", f"k{NUL}": float("nan")})
    await store.append_events(interview_id, [StoredEvent(1, "note", now, {"type": "note", "text": f"a{NUL}b"})])
    evaluation = QuestionEvaluation(1, f"Q{NUL}", f"A{NUL}", 7.0, f"F{NUL}", "v1", {"q": [f"x{NUL}"]}, now)
    await store.save_question_evaluation(interview_id, evaluation)
    await store.save_evaluation(interview_id, [evaluation], float("inf"), {"summary": f"s{NUL}"})

    record = await store.get_interview(interview_id)
    assert record is not None
    assert record.setup.resume_text == "Ten years \ufffd"
    assert record.turns[0].answer == "I am Ada" and record.turns[0].question == "Hi"
    assert record.interviewer_state == {"transcript": "I am Ada", "k": None}
    assert record.final_score is None and record.report == {"summary": "s"}
    assert (await store.get_events(interview_id))[0].payload["text"] == "ab"
    assert (await store.get_evaluations(interview_id))[0].evidence == {"q": ["x"]}
    assert (await store.list_interviews(limit=5, job_title=f"Back{NUL}end")).total == 1


def test_txt_uploads_turn_control_bytes_into_spaces_not_glued_words() -> None:
    extracted = extract_txt(b"Python\x00Kubernetes\x01PostgreSQL\x00\x00\x00Redis\x1fdone")
    assert extracted.text == "Python Kubernetes PostgreSQL Redis done"


async def test_both_sockets_answer_nul_with_invalid_message_and_go_on(live_server: str) -> None:
    created = start_interview(live_server)
    candidate = await LiveClient.connect(live_server, created["interview_id"], created["candidate_token"])
    await candidate.send_raw(json.dumps({"v": 1, "type": "hello", "client": f"web{NUL}"}))
    refused: m.ErrorMessage = await candidate.wait_for(lambda msg: isinstance(msg, m.ErrorMessage), 10)
    assert refused.code is m.ErrorCode.INVALID_MESSAGE and "client:" in refused.message and not refused.fatal
    await candidate.handshake()  # the session goes on

    observer = await ObserverClient.connect(live_server, created["interview_id"], created["observer_token"])
    await observer.wait_for(lambda msg: isinstance(msg, m.History), 10)
    await observer.send_raw(json.dumps({"v": 1, "type": "add_note", "text": f"Strong{NUL}", "request_id": "n1"}))
    note_refused: m.ErrorMessage = await observer.wait_for(lambda msg: isinstance(msg, m.ErrorMessage), 10)
    assert note_refused.code is m.ErrorCode.INVALID_MESSAGE and "text:" in note_refused.message
    await candidate.close()
    await observer.close()
