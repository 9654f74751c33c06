"""Who may open what: each way a link's token can be refused, on both sockets and over HTTP; revocation; CORS,
security headers, and no secret in the configuration or the pages."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import websockets

from protocol import messages as m
from server.services.auth import RecruiterAuth
from tests.conftest import ADMIN_TOKEN, ServerProcess, free_port
from tests.live_client import LiveClient, start_interview
from tests.observer_client import ObserverClient, ws_base

LINK_TTL_S = 2.0
ADMIN_SECRET = "admin-secret-4c1d"
OPENAI_SECRET = "sk-openai-secret-9f2e"
REDIS_SECRET = "redis-secret-77aa"
TRUSTED_ORIGIN = "https://hr.example.com"
FOREIGN_ORIGIN = "https://evil.example.net"


@pytest.fixture(scope="module")
def short_links_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server whose links expire two seconds after the interview is created."""
    server = ServerProcess(
        tmp_path_factory.mktemp("short-links"),
        env={"VIVA_CANDIDATE_LINK_TTL_S": str(LINK_TTL_S), "VIVA_OBSERVER_LINK_TTL_S": str(LINK_TTL_S)},
    )
    server.start()
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def guarded_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server configured with secrets (admin token, OpenAI key, a Redis password) and one trusted origin."""
    server = ServerProcess(
        tmp_path_factory.mktemp("guarded"),
        env={
            "VIVA_ADMIN_TOKEN": ADMIN_SECRET,
            "VIVA_OPENAI_API_KEY": OPENAI_SECRET,
            "VIVA_REDIS_URL": f"redis://:{REDIS_SECRET}@127.0.0.1:{free_port()}/0",  # nobody listens there
            "VIVA_CORS_ORIGINS": TRUSTED_ORIGIN,
        },
    )
    server.start()
    yield server.url
    server.stop()


async def close_code(url: str, **connect: object) -> int | None:
    """Open a socket and return the code it is closed with."""
    async with websockets.connect(url, **connect) as ws:  # type: ignore[arg-type]
        with pytest.raises(websockets.ConnectionClosed):
            while True:
                await asyncio.wait_for(ws.recv(), 10)
    return ws.close_code


def observe_url(base: str, interview_id: str, token: str) -> str:
    return f"{ws_base(base)}/ws/observe/{interview_id}?token={token}"


def interview_url(base: str, interview_id: str, token: str) -> str:
    return f"{ws_base(base)}/ws/interview/{interview_id}?token={token}"


def revoke(base: str, created: dict, link: str, token: str | None = None) -> httpx.Response:
    return httpx.post(
        f"{base}/api/v1/interviews/{created['interview_id']}/revoke",
        json={"link": link},
        headers={"Authorization": f"Bearer {token or created['observer_token']}"},
        timeout=30,
    )


def question(base: str, created: dict, token: str) -> httpx.Response:
    body = {"interview_id": created["interview_id"], "candidate_token": token}
    return httpx.post(f"{base}/api/v1/interview/question", json=body, timeout=60)


def results(base: str, created: dict, token: str) -> httpx.Response:
    url = f"{base}/api/v1/interview/results/{created['interview_id']}"
    return httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=60)


def error(response: httpx.Response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


async def test_each_wrong_link_is_refused_on_the_sockets_with_its_own_close_code(live_server: str) -> None:
    created, other = start_interview(live_server), start_interview(live_server)
    iid, candidate, observer = created["interview_id"], created["candidate_token"], created["observer_token"]
    cases = {
        "observe without a token": (observe_url(live_server, iid, ""), m.CloseCode.UNAUTHORIZED),
        "observe with a wrong token": (observe_url(live_server, iid, "x" * 43), m.CloseCode.UNAUTHORIZED),
        "observe with another interview's token": (
            observe_url(live_server, iid, other["observer_token"]),
            m.CloseCode.UNAUTHORIZED,
        ),
        "observe with the candidate's link": (observe_url(live_server, iid, candidate), m.CloseCode.FORBIDDEN),
        "observe a missing interview": (observe_url(live_server, "no-such", observer), m.CloseCode.NOT_FOUND),
        "answer with the observer's link": (interview_url(live_server, iid, observer), m.CloseCode.FORBIDDEN),
    }
    codes = {name: await close_code(url) for name, (url, _) in cases.items()}
    assert codes == {name: code for name, (_, code) in cases.items()}

    assert revoke(live_server, created, "observer").status_code == 200
    assert revoke(live_server, other, "candidate").status_code == 200
    assert await close_code(observe_url(live_server, iid, observer)) == m.CloseCode.TOKEN_REVOKED
    revoked_candidate = interview_url(live_server, other["interview_id"], other["candidate_token"])
    assert await close_code(revoked_candidate) == m.CloseCode.TOKEN_REVOKED


async def test_each_wrong_link_is_refused_over_http_with_its_own_status(live_server: str) -> None:
    created, other = start_interview(live_server), start_interview(live_server)
    candidate, observer = created["candidate_token"], created["observer_token"]
    assert error(question(live_server, created, other["candidate_token"])) == (403, "invalid_token")
    assert error(question(live_server, created, observer)) == (403, "wrong_link")
    assert error(results(live_server, created, other["observer_token"])) == (403, "invalid_token")
    assert error(results(live_server, created, candidate)) == (403, "wrong_link")
    assert error(revoke(live_server, created, "observer", token=candidate)) == (403, "wrong_link")
    assert question(live_server, created, candidate).status_code == 200
    assert results(live_server, created, observer).status_code == 200

    assert error(revoke(live_server, {"interview_id": "no-such"}, "candidate", token="t")) == (403, "invalid_token")
    assert error(revoke(live_server, created, "admin")) == (422, "validation_error")

    revoked = revoke(live_server, created, "candidate")
    assert revoked.status_code == 200
    body = revoked.json()
    assert body["link"] == "candidate" and datetime.fromisoformat(body["revoked_at"]) <= datetime.now(UTC)
    assert error(question(live_server, created, candidate)) == (401, "token_revoked")
    assert results(live_server, created, observer).status_code == 200, "the other link still works"
    assert revoke(live_server, created, "observer").status_code == 200
    assert error(results(live_server, created, observer)) == (401, "token_revoked")
    assert error(revoke(live_server, created, "observer")) == (401, "token_revoked")


async def test_links_have_long_random_tokens_and_expire(short_links_server: str) -> None:
    created = start_interview(short_links_server)
    tokens = {created["candidate_token"], created["observer_token"]}
    assert len(tokens) == 2 and all(len(token) >= 43 for token in tokens), "at least 256 random bits, URL-safe"
    expires = datetime.fromisoformat(created["candidate_link_expires_at"])
    assert timedelta(0) < expires - datetime.now(UTC) <= timedelta(seconds=LINK_TTL_S)
    assert created["observer_room_url"] == (
        f"/observer.html?id={created['interview_id']}&token={created['observer_token']}"
    )
    iid = created["interview_id"]
    assert question(short_links_server, created, created["candidate_token"]).status_code == 200

    time.sleep(max(0.0, (expires - datetime.now(UTC)).total_seconds()) + 0.3)
    assert error(question(short_links_server, created, created["candidate_token"])) == (401, "token_expired")
    assert error(results(short_links_server, created, created["observer_token"])) == (401, "token_expired")
    observe = observe_url(short_links_server, iid, created["observer_token"])
    assert await close_code(observe) == m.CloseCode.TOKEN_EXPIRED
    answer = interview_url(short_links_server, iid, created["candidate_token"])
    assert await close_code(answer) == m.CloseCode.TOKEN_EXPIRED


async def test_revoking_a_link_closes_the_connections_holding_it(live_server: str) -> None:
    created = start_interview(live_server)
    candidate = await LiveClient.connect(live_server, created["interview_id"], created["candidate_token"])
    await candidate.handshake()
    observer = await ObserverClient.connect(live_server, created["interview_id"], created["observer_token"])
    await observer.wait_for(lambda msg: isinstance(msg, m.History), 10)

    assert revoke(live_server, created, "candidate").status_code == 200
    await asyncio.wait_for(candidate.closed.wait(), 10)
    assert candidate.close_code == m.CloseCode.TOKEN_REVOKED
    assert await observer.wait_for(lambda msg: isinstance(msg, m.CandidateConnection) and not msg.connected, 10)

    assert revoke(live_server, created, "observer").status_code == 200
    assert await observer.wait_closed() == m.CloseCode.TOKEN_REVOKED


def signed_in(base: str, admin_token: str) -> httpx.Client:
    """A client holding the recruiter's session cookie, as a browser after signing in."""
    client = httpx.Client(base_url=base, timeout=30)
    assert client.post("/api/v1/auth/signin", json={"token": admin_token}).status_code == 200
    return client


def test_pages_and_responses_carry_the_security_headers(guarded_server: str) -> None:
    recruiter = signed_in(guarded_server, ADMIN_SECRET)
    pages = ("/observer.html", "/interview.html", "/", "/history.html", "/signin.html")
    for path in (*pages, "/api/v1/config", "/health"):
        response = recruiter.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp, path
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"
    page = recruiter.get("/observer.html").text
    assert "<script" in page and all(' src="' in tag for tag in page.split("<script")[1:]), "no inline script"


def test_no_secret_in_the_configuration_or_the_pages(guarded_server: str) -> None:
    recruiter = signed_in(guarded_server, ADMIN_SECRET)
    pages = ("/api/v1/config", "/", "/interview.html", "/observer.html", "/observer.js", "/openapi.json")
    for path in pages:
        text = recruiter.get(path).text
        for secret in (ADMIN_SECRET, OPENAI_SECRET, REDIS_SECRET):
            assert secret not in text, f"{path} exposes a secret"


def test_cors_allows_only_the_configured_origins(guarded_server: str, live_server: str) -> None:
    def preflight(base: str, origin: str) -> httpx.Response:
        return httpx.options(
            f"{base}/api/v1/interview/start",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "content-type",
            },
            timeout=30,
        )

    allowed = preflight(guarded_server, TRUSTED_ORIGIN)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == TRUSTED_ORIGIN
    for base, origin in ((guarded_server, FOREIGN_ORIGIN), (live_server, TRUSTED_ORIGIN)):
        refused = preflight(base, origin)
        assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
        simple = httpx.get(f"{base}/api/v1/config", headers={"Origin": origin}, timeout=30)
        assert "access-control-allow-origin" not in simple.headers


async def test_sockets_refuse_pages_of_foreign_origins(guarded_server: str) -> None:
    created = start_interview(guarded_server, admin_token=ADMIN_SECRET)
    url = observe_url(guarded_server, created["interview_id"], created["observer_token"])
    with pytest.raises(websockets.InvalidStatus) as refused:
        await websockets.connect(url, origin=FOREIGN_ORIGIN)  # type: ignore[arg-type]
    assert refused.value.response.status_code == 403
    for origin in (TRUSTED_ORIGIN, guarded_server):
        async with websockets.connect(url, origin=origin) as ws:  # type: ignore[arg-type]
            await ws.send(m.encode(m.Observe()))
            ready = m.parse_observer_server_message(await asyncio.wait_for(ws.recv(), 10))
            assert isinstance(ready, m.ObserverReady)
            assert ready.live is m.LiveStatus.DEGRADED, "this server's Redis is unreachable"


async def observer_messages(ws: websockets.ClientConnection, count: int) -> list[m.ObserverServerMessage]:
    return [m.parse_observer_server_message(await asyncio.wait_for(ws.recv(), 10)) for _ in range(count)]


async def test_a_signed_in_recruiter_opens_the_live_room_without_a_token(live_server: str) -> None:
    created = start_interview(live_server)
    iid = created["interview_id"]
    signin = httpx.post(f"{live_server}/api/v1/auth/signin", json={"token": ADMIN_TOKEN}, timeout=30)
    session = signin.cookies["viva_session"]
    url = f"{ws_base(live_server)}/ws/observe/{iid}"
    async with websockets.connect(url, additional_headers={"Cookie": f"viva_session={session}"}) as ws:
        await ws.send(m.encode(m.Observe()))
        ready, history = await observer_messages(ws, 2)
        assert isinstance(ready, m.ObserverReady) and ready.interview_id == iid
        assert isinstance(history, m.History)
        # Revoking the observer link shuts out its holders, not the recruiter.
        assert revoke(live_server, created, "observer").status_code == 200
        await ws.send(m.encode(m.AddNote(text="Still here.", request_id="n1")))
        (refused,) = await observer_messages(ws, 1)
        assert isinstance(refused, m.SteeringRefused) and refused.code == m.ErrorCode.NOT_LIVE, "checked, not closed"

    mint = RecruiterAuth("token", ADMIN_TOKEN, "setting", 3600)
    expired = mint.new_session(now=time.time() - 7200).value
    foreign = RecruiterAuth("token", "another-admin-token", "setting", 3600).new_session().value
    cases = {
        "no cookie": ({}, m.CloseCode.UNAUTHORIZED),
        "a tampered cookie": ({"Cookie": f"viva_session={session[:-2]}xx"}, m.CloseCode.UNAUTHORIZED),
        "another server's cookie": ({"Cookie": f"viva_session={foreign}"}, m.CloseCode.UNAUTHORIZED),
        "an expired cookie": ({"Cookie": f"viva_session={expired}"}, m.CloseCode.TOKEN_EXPIRED),
        "a session sent by a sibling site's page": (
            {"Cookie": f"viva_session={session}", "Sec-Fetch-Site": "same-site"},
            m.CloseCode.FORBIDDEN,
        ),
        "a session but a wrong token": (
            {"Cookie": f"viva_session={session}"},
            m.CloseCode.UNAUTHORIZED,
        ),
    }
    codes = {}
    for name, (headers, _) in cases.items():
        target = f"{url}?token={'x' * 43}" if "wrong token" in name else url
        codes[name] = await close_code(target, additional_headers=headers)
    assert codes == {name: code for name, (_, code) in cases.items()}
