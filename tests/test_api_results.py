"""Results over REST: every answered question scored under the rubric, stored, reused, and the report."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from server.conversation.setup import InterviewSetup, InterviewType
from server.evaluation.rubric import CRITERIA, rubric_for
from server.services.runtime import Services
from server.store.base import StoredTurn
from server.store.tokens import hash_token
from tests.api_support import STRONG_ANSWER, app_client, postgres_services, start, with_settings
from tests.test_api import ask, hold_interview, reply

WEAK_ANSWER = "I did some stuff with computers, it was fine I guess."


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(services) as client:
        yield client


async def results(client: httpx.AsyncClient, interview_id: str, **params: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/interview/results/{interview_id}", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize("database", ["sqlite", "postgres"])
async def test_results_of_an_interview_held_over_rest(services: Services, database: str) -> None:
    async def run(services: Services) -> None:
        async with app_client(services) as client:
            started, asked = await hold_interview(client)
            interview_id = started["interview_id"]
            body = await results(client, interview_id)
            assert body["complete"] is True and body["status"] == "completed"
            assert body["rubric_version"] == rubric_for(InterviewType.TECHNICAL).key
            numbers = sorted({q["question_number"] for q in asked})
            assert [q["question_number"] for q in body["questions"]] == numbers
            for question in body["questions"]:
                assert 0 <= question["score"] <= 10
                assert set(question["criteria"]) == set(CRITERIA)
                assert question["feedback"].startswith("Strength:")
                assert question["rubric_version"] == body["rubric_version"]
                assert STRONG_ANSWER in question["answer"]
                assert question["engine"] == "builtin"
            scores = [q["score"] for q in body["questions"]]
            assert body["final_score"] == round(sum(scores) / len(scores), 1)
            assert body["report"]["overall"] == body["final_score"]
            assert len(body["report"]["transcript"]) == len(asked)

            stored = await services.store.get_interview(interview_id)
            assert stored is not None and stored.final_score == body["final_score"]
            rows = await services.store.get_evaluations(interview_id)
            assert [r.score for r in rows] == scores and all(r.evidence["criteria"] for r in rows)

            again = await results(client, interview_id)
            assert again == body, "unchanged answers are not scored again"

            saved = await client.post(f"/api/v1/interview/save/{interview_id}")
            assert saved.status_code == 200
            assert saved.json()["evaluated_at"] > body["evaluated_at"], "save scores afresh"
            assert [q["score"] for q in saved.json()["questions"]] == scores, "scoring is deterministic"

            history = (await client.get("/api/v1/interviews")).json()
            assert history["items"][0]["final_score"] == body["final_score"]

    if database == "sqlite":
        await run(services)
    else:
        async with postgres_services(services) as pg_services:
            await run(pg_services)


async def test_results_are_partial_while_running_and_follow_new_answers(client: httpx.AsyncClient) -> None:
    started = await start(client, num_questions=3)
    interview_id = started["interview_id"]
    first = await ask(client, started)
    empty = await results(client, interview_id)
    assert (empty["complete"], empty["questions"], empty["final_score"]) == (False, [], None)

    answered = (await reply(client, started, WEAK_ANSWER, turn_index=first["turn_index"])).json()
    partial = await results(client, interview_id)
    assert [q["question_number"] for q in partial["questions"]] == [1]
    assert partial["questions"][0]["answer"] == WEAK_ANSWER
    weak_score = partial["questions"][0]["score"]

    next_question = answered["next_question"]
    assert next_question["question_number"] == 1, "a thin answer gets a follow-up on the same question"
    await reply(client, started, STRONG_ANSWER, turn_index=next_question["turn_index"])
    updated = await results(client, interview_id)
    assert updated["questions"][0]["answer"] == f"{WEAK_ANSWER} {STRONG_ANSWER}"
    assert updated["questions"][0]["score"] > weak_score, "the follow-up's answer counts for the question"
    assert updated["evaluated_at"] > partial["evaluated_at"]


async def test_results_of_a_live_interview_are_read_from_the_store(
    client: httpx.AsyncClient, services: Services
) -> None:
    """Turns recorded by a live (voice) session, not over REST, get results the same way."""
    setup = InterviewSetup(
        candidate_name="Grace", job_title="SRE", interview_type=InterviewType.BEHAVIORAL, num_questions=2
    )
    interview_id = await services.store.create_interview(setup, hash_token("c"), hash_token("o"))
    await services.store.mark_started(interview_id, {})
    now = datetime.now(UTC)
    for index, (number, answer) in enumerate([(1, STRONG_ANSWER), (2, WEAK_ANSWER)]):
        turn = StoredTurn(index, "question", number, f"Question {number}?", answer, "voice", now, now, now, 9000, 800)
        await services.store.append_turn(interview_id, turn, {})
    await services.store.finish(interview_id, "completed", "completed")

    body = await results(client, interview_id)
    assert [(q["question_number"], q["question_text"]) for q in body["questions"]] == [
        (1, "Question 1?"),
        (2, "Question 2?"),
    ]
    assert body["questions"][0]["score"] > body["questions"][1]["score"]
    assert body["report"]["metrics"]["response_delay_ms_mean"] == 800
    markdown = await client.get(f"/api/v1/interview/results/{interview_id}", params={"format": "markdown"})
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# Interview report: Grace, SRE") and WEAK_ANSWER in markdown.text


async def test_results_access_and_errors(services: Services) -> None:
    services = with_settings(services, admin_token="admin-secret")
    async with app_client(services) as recruiter, app_client(services, signed_in=False) as client:
        started = await start(recruiter)
        url = f"/api/v1/interview/results/{started['interview_id']}"
        assert (await client.get(url)).status_code == 401
        assert (await client.get(url, params={"token": started["candidate_token"]})).status_code == 403
        assert (await client.get(url, params={"token": started["observer_token"]})).status_code == 200
        save = f"/api/v1/interview/save/{started['interview_id']}"
        assert (
            await client.post(save, headers={"Authorization": f"Bearer {started['observer_token']}"})
        ).status_code == 200
        bad = await client.get(url, params={"token": started["observer_token"], "format": "pdf"})
        assert (bad.status_code, bad.json()["error"]["code"]) == (422, "validation_error")
        missing = await client.get("/api/v1/interview/results/nope", headers={"Authorization": "Bearer admin-secret"})
        assert (missing.status_code, missing.json()["error"]["code"]) == (404, "interview_not_found")
