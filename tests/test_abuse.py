"""No single client can hurt the others: hostile input is refused specifically, limits refuse with their
codes, a bug in one message closes only that socket (and still frees its session), and heavy work (PDFs)
never delays speech. Limits are set small through the settings, so each refusal comes quickly."""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import websockets
from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from protocol import messages as m
from protocol.audio import INPUT_FRAME_BYTES
from server.app import create_app
from server.http import candidate_socket
from server.services.runtime import Services
from tests.api_support import START, app_client, served, with_settings
from tests.conftest import ADMIN_TOKEN
from tests.live_client import LiveClient, dump, is_type
from tests.observer_client import ObserverClient

NESTED = "[" * 1100 + "]" * 1100
DEEP_OBJECT = '{"type": "hello", "client": ' + '{"a": ' * 600 + "1" + "}" * 600 + "}"


def slow_pdf(operators: int = 600_000) -> bytes:
    """One small page (a few KB compressed) whose content stream holds ``operators`` text operators: pypdf
    takes seconds on it, inside the one page, where its own time check never runs."""
    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    stream = DecodedStreamObject()
    stream.set_data(b"BT /F1 12 Tf 72 720 Td " + b"(a) Tj " * operators + b"ET")
    page[NameObject("/Contents")] = writer._add_object(stream.flate_encode())
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(services) as client:
        yield client


async def create(base_url: str, token: str = ADMIN_TOKEN) -> dict[str, Any]:
    """An interview, created as the recruiter (the test servers' admin token unless told otherwise)."""
    headers = {"authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        response = await http.post("/api/v1/interview/start", json=START, headers=headers)
        assert response.status_code == 201, response.text
        return dict(response.json())


async def candidate(base_url: str, created: dict[str, Any] | None = None) -> LiveClient:
    created = created or await create(base_url)
    return await LiveClient.connect(base_url, created["interview_id"], created["candidate_token"])


async def wait_closed(client: LiveClient | ObserverClient, timeout: float = 15) -> int | None:
    await asyncio.wait_for(client.closed.wait(), timeout)
    return client.close_code


# --------------------------------------------------------------------------- hostile input


async def test_deeply_nested_frames_are_invalid_messages_and_the_session_goes_on(live_server: str) -> None:
    created = await create(live_server)
    session = await candidate(live_server, created)
    await session.send_raw(NESTED)
    await session.send_raw(DEEP_OBJECT)
    await session.send_raw(
        m.encode(m.Playback(utterance_id=0, played_ms=0)).replace('"played_ms":0', f'"played_ms":{2**63}')
    )
    await session.handshake()  # still usable
    errors = session.messages(m.ErrorMessage)
    assert [e.code for e in errors] == [m.ErrorCode.INVALID_MESSAGE] * 3, dump(session)
    assert "deeper than 32" in errors[0].message and not any(e.fatal for e in errors)
    await session.send(m.Start())
    await session.wait_for(is_type(m.UtteranceStart), 60)

    observer = await ObserverClient.connect(
        live_server, created["interview_id"], created["observer_token"], observe=False
    )
    await observer.send_raw(NESTED)
    await observer.send_raw(f'{{"type": "observe", "after_seq": {2**63}}}')
    await observer.send(m.Observe())
    await observer.wait_for(lambda msg: isinstance(msg, m.ObserverReady), 15)
    codes = [msg.code for msg in observer.messages(m.ErrorMessage)]
    assert codes == [m.ErrorCode.INVALID_MESSAGE, m.ErrorCode.INVALID_MESSAGE]
    await observer.close()
    await session.close()


async def test_nested_and_huge_numbers_in_rest_get_4xx_never_500(client: httpx.AsyncClient) -> None:
    nested = await client.post("/api/v1/interview/start", content=NESTED, headers={"content-type": "application/json"})
    assert nested.status_code == 400 and nested.json()["error"]["code"] == "malformed_json"
    deep = await client.post("/api/v1/interview/answer", content=DEEP_OBJECT)
    assert deep.status_code == 400 and deep.json()["error"]["code"] == "malformed_json"
    page = await client.get("/api/v1/interviews", params={"offset": str(2**63)})
    assert page.status_code == 422 and page.json()["error"]["code"] == "validation_error"
    answer = await client.post(
        "/api/v1/interview/answer",
        json={"interview_id": "x", "candidate_token": "y", "answer": "hi", "turn_index": 2**63},
    )
    assert answer.status_code == 422


async def test_a_bug_while_handling_a_message_closes_with_1011_and_still_frees_the_session(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever goes wrong inside the session's handling of one message, its shutdown runs."""
    shut_down: list[str] = []
    real_shutdown = candidate_socket.LiveSession.shutdown
    real_feed_text = candidate_socket.LiveSession.feed_text

    async def shutdown(self: Any) -> None:
        shut_down.append(self.record.id)
        await real_shutdown(self)

    async def feed_text(self: Any, text: str) -> None:
        if "boom" in text:
            raise RuntimeError("a bug")
        await real_feed_text(self, text)

    monkeypatch.setattr(candidate_socket.LiveSession, "shutdown", shutdown)
    monkeypatch.setattr(candidate_socket.LiveSession, "feed_text", feed_text)
    async with served(services) as url:
        created = await create(url)
        session = await candidate(url, created)
        await session.handshake()
        await session.send(m.Hello(client="boom"))
        assert await wait_closed(session) == m.CloseCode.INTERNAL_ERROR
        fatal = session.messages(m.ErrorMessage)[-1]
        assert fatal.code is m.ErrorCode.INTERNAL_ERROR and fatal.fatal
        for _ in range(100):
            if shut_down:
                break
            await asyncio.sleep(0.05)
        assert shut_down == [created["interview_id"]]
        again = await candidate(url, created)  # the interview is not stuck on the dead session
        assert (await again.handshake()).interview_id == created["interview_id"]
        await again.close()


# --------------------------------------------------------------------------- limits


async def test_interview_starts_per_credential_are_limited_with_retry_after(services: Services) -> None:
    limited = with_settings(services, interview_starts_per_minute=2, admin_token="admin-secret")
    async with app_client(limited) as client:
        for _ in range(2):
            assert (await client.post("/api/v1/interview/start", json=START)).status_code == 201
        refused = await client.post("/api/v1/interview/start", json=START)
        assert refused.status_code == 429, refused.text
        assert refused.json()["error"]["code"] == "too_many_starts"
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        # The signed-in recruiter and the admin token are one credential: the token buys no second allowance;
        # a made-up token is refused before it could count.
        admin = {"authorization": "Bearer admin-secret"}
        assert (await client.post("/api/v1/interview/start", json=START, headers=admin)).status_code == 429
        forged = {"authorization": "Bearer made-up"}
        assert (await client.post("/api/v1/interview/start", json=START, headers=forged)).status_code == 403


async def test_live_sessions_per_node_are_limited_before_ready(services: Services) -> None:
    async with served(with_settings(services, max_live_sessions=1)) as url:
        first_created = await create(url)
        first = await candidate(url, first_created)
        await first.handshake()
        second = await candidate(url)
        assert await wait_closed(second) == m.CloseCode.TRY_AGAIN_LATER
        assert "limit of 1 live interview" in second.close_reason
        assert not second.messages(m.Ready)
        # A reconnect of the interview already live takes over its own place.
        again = await candidate(url, first_created)
        await again.handshake()
        assert await wait_closed(first) == m.CloseCode.SUPERSEDED
        await again.close()


async def test_observers_per_interview_are_limited(services: Services) -> None:
    async with served(with_settings(services, max_observers_per_interview=1)) as url:
        created = await create(url)
        first = await ObserverClient.connect(url, created["interview_id"], created["observer_token"])
        await first.wait_for(lambda msg: isinstance(msg, m.ObserverReady), 15)
        second = await ObserverClient.connect(url, created["interview_id"], created["observer_token"])
        assert await wait_closed(second) == m.CloseCode.TRY_AGAIN_LATER
        assert "1 observers" in second.close_reason
        await first.close()
        third = await ObserverClient.connect(url, created["interview_id"], created["observer_token"])
        await third.wait_for(lambda msg: isinstance(msg, m.ObserverReady), 15)  # a place was freed
        await third.close()


async def test_a_socket_that_never_says_hello_is_closed(services: Services) -> None:
    async with served(with_settings(services, hello_timeout_s=0.5)) as url:
        silent = await candidate(url)
        assert await wait_closed(silent) == m.CloseCode.HANDSHAKE_TIMEOUT
        polite = await candidate(url)
        await polite.handshake()
        await asyncio.sleep(1)  # past the deadline: a socket that said hello stays open
        assert not polite.closed.is_set()
        await polite.close()


async def test_audio_faster_than_real_time_is_dropped_then_closed(services: Services) -> None:
    settings = {"audio_burst_ms": 400, "audio_flood_close_ms": 1000}
    async with served(with_settings(services, **settings)) as url:
        session = await candidate(url)
        await session.handshake()
        await session.send(m.Start())
        frame = bytes(INPUT_FRAME_BYTES)
        with contextlib.suppress(websockets.ConnectionClosed):
            for _ in range(50_000):  # 1,000 s of audio, as fast as the socket takes it
                await session.send_raw(frame)
                if session.closed.is_set():
                    break
        assert await wait_closed(session) == m.CloseCode.POLICY_VIOLATION
        limited = [e for e in session.messages(m.ErrorMessage) if e.code is m.ErrorCode.RATE_LIMITED]
        assert [e.fatal for e in limited] == [False, True], dump(session)


async def test_typed_answers_and_turns_are_rate_limited_per_session(services: Services) -> None:
    async with served(with_settings(services, turn_messages_per_10s=2)) as url:
        session = await candidate(url)
        await session.handshake()
        await session.send(m.Start())
        await session.send(m.EndTurn())
        await session.send(m.TextAnswer(text="x" * m.MAX_ANSWER_CHARS))
        await session.send(m.Hello())  # not limited: answered at once (already received)
        error = await session.wait_for(is_type(m.ErrorMessage, code=m.ErrorCode.RATE_LIMITED), 15)
        assert not error.fatal and "text_answer" in error.message
        await session.wait_for(is_type(m.ErrorMessage, code=m.ErrorCode.OUT_OF_ORDER), 15)
        assert not session.messages(m.FinalTranscript)
        await session.close()


async def test_observer_steering_is_rate_limited(services: Services) -> None:
    async with served(with_settings(services, steering_per_10s=2)) as url:
        created = await create(url)
        observer = await ObserverClient.connect(url, created["interview_id"], created["observer_token"])
        await observer.wait_for(lambda msg: isinstance(msg, m.ObserverReady), 15)
        for n in range(3):
            await observer.send(m.AddNote(text=f"note {n}", request_id=f"r{n}"))
        refused = await observer.wait_for(lambda msg: isinstance(msg, m.SteeringRefused) and msg.request_id == "r2", 15)
        assert refused.code is m.ErrorCode.RATE_LIMITED
        # The first two were let through to the interview (which is not live, so they are refused for that).
        others = {r.request_id: r.code for r in observer.messages(m.SteeringRefused) if r.request_id != "r2"}
        assert m.ErrorCode.RATE_LIMITED not in others.values()
        await observer.close()


# --------------------------------------------------------------------------- heavy work


async def test_a_pdf_slow_inside_one_page_is_stopped_at_the_time_limit(services: Services) -> None:
    async with app_client(with_settings(services, pdf_timeout_s=1.0)) as client:
        response = await client.post("/api/v1/upload/pdf", files={"file": ("cv.pdf", slow_pdf(), "application/pdf")})
        assert response.status_code == 422, response.text
        assert response.json()["error"]["code"] == "pdf_timeout"
        fine = await client.post("/api/v1/upload/txt", files={"file": ("cv.txt", b"Ada Lovelace, engineer")})
        assert fine.json()["text"] == "Ada Lovelace, engineer"  # the pool goes on after a killed worker


async def test_a_full_document_queue_answers_busy(services: Services) -> None:
    async with app_client(with_settings(services, pdf_timeout_s=1.5, document_workers=1, document_queue=1)) as client:
        data = slow_pdf()
        uploads = [
            asyncio.create_task(client.post("/api/v1/upload/pdf", files={"file": ("cv.pdf", data)})) for _ in range(3)
        ]
        responses = await asyncio.gather(*uploads)
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [422, 422, 503], [r.text for r in responses]
        busy = next(r for r in responses if r.status_code == 503)
        assert busy.json()["error"]["code"] == "busy" and int(busy.headers["retry-after"]) >= 1


async def test_speech_is_not_delayed_by_slow_pdfs(services: Services) -> None:
    """Eight slow PDFs are being read; a sentence of speech made meanwhile is done before any of them."""
    app = create_app(services=with_settings(services, pdf_timeout_s=8.0, document_workers=8))
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://localhost") as client,
    ):
        data = slow_pdf()
        recruiter = {"authorization": f"Bearer {ADMIN_TOKEN}"}
        uploads = [
            asyncio.create_task(client.post("/api/v1/upload/pdf", files={"file": ("cv.pdf", data)}, headers=recruiter))
            for _ in range(8)
        ]
        async with asyncio.timeout(60):
            while app.state.documents.working < 8:  # every PDF is in a worker's hands
                assert not any(upload.done() for upload in uploads), [u.result().text for u in uploads if u.done()]
                await asyncio.sleep(0.01)
        audio = b"".join([chunk async for chunk in services.tts.synthesize("Tell me about a project you led.")])
        assert len(audio) > 0
        assert not any(upload.done() for upload in uploads)
        responses = await asyncio.gather(*uploads)
        assert {r.json().get("error", {}).get("code") for r in responses} == {"pdf_timeout"}, [
            r.text[:300] for r in responses
        ]
