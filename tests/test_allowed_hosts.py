"""The server answers only to its own names: a wrong Host gets 400 ``invalid_host`` over HTTP and is refused on
both sockets before they are accepted, so a page on another name that resolves to the server (DNS rebinding)
gets nowhere; the sockets' Origin check compares with the server's names, never with the Host."""

from __future__ import annotations

import httpx
import pytest
import websockets

from protocol import messages as m
from server.config import Settings
from server.services.runtime import Services
from tests.api_support import app_client, start, with_settings
from tests.live_client import start_interview

EVIL = "evil.example"


def invalid_host(response: httpx.Response) -> None:
    assert response.status_code == 400, response.text
    assert response.json()["error"]["code"] == "invalid_host"
    assert response.headers["x-content-type-options"] == "nosniff"  # still one of ours, with the security headers


@pytest.mark.parametrize(
    ("settings", "allowed", "refused"),
    [
        ({}, ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST."], [EVIL, "127.0.0.2"]),
        (
            {"public_url": "https://Interviews.Example.com/viva", "allowed_hosts": "viva.internal, 10.0.0.5"},
            ["interviews.example.com", "viva.internal:8000", "10.0.0.5"],
            [EVIL, "example.com"],
        ),
        ({"host": "0.0.0.0"}, ["localhost"], ["0.0.0.0", EVIL]),
        ({"host": "192.168.1.20"}, ["192.168.1.20:8000", "localhost"], [EVIL]),
    ],
)
async def test_only_the_servers_names_are_answered(
    services: Services, settings: dict[str, str], allowed: list[str], refused: list[str]
) -> None:
    async with app_client(with_settings(services, **settings)) as client:
        for host in allowed:
            assert (await client.get("/api/v1/config", headers={"host": host})).status_code == 200, host
        for host in refused:
            invalid_host(await client.get("/api/v1/config", headers={"host": host}))
            invalid_host(await client.post("/api/v1/interview/start", headers={"host": host}, json={}))
        # Probes and scrapes by address (load balancers, Kubernetes, Prometheus) still work.
        for path in ("/health", "/health/live"):
            assert (await client.get(path, headers={"host": "10.0.0.7:8000"})).status_code == 200, path
        recruiter = {"host": "10.0.0.7:8000", "authorization": f"Bearer {services.auth.admin_token}"}
        assert (await client.get("/metrics", headers=recruiter)).status_code == 200


async def test_a_star_answers_to_any_name(services: Services) -> None:
    async with app_client(with_settings(services, allowed_hosts="*")) as client:
        assert (await client.get("/api/v1/config", headers={"host": EVIL})).status_code == 200
        await start(client)


def test_the_allowed_names() -> None:
    assert Settings(host="0.0.0.0").allowed_host_names == {"localhost", "127.0.0.1", "::1"}
    assert Settings(allowed_hosts="*").allowed_host_names is None
    named = Settings(host="10.1.2.3", public_url="http://[2001:db8::1]:8080", allowed_hosts=" A.example , b.example.")
    assert named.allowed_host_names == {
        "localhost",
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "2001:db8::1",
        "a.example",
        "b.example",
    }


def socket_urls(base_url: str, created: dict[str, str], host: str) -> list[str]:
    """Both sockets' URLs with ``host`` as the name (the connection still goes to the test server)."""
    port = base_url.rsplit(":", 1)[1]
    base = f"ws://{host}:{port}"
    return [
        f"{base}/ws/interview/{created['interview_id']}?token={created['candidate_token']}",
        f"{base}/ws/observe/{created['interview_id']}?token={created['observer_token']}",
    ]


async def handshake_status(url: str, base_url: str, origin: str | None = None) -> int:
    """The HTTP status of the socket's handshake (101 when accepted), connecting to the test server whatever
    host the URL names."""
    port = int(base_url.rsplit(":", 1)[1])
    try:
        async with websockets.connect(url, host="127.0.0.1", port=port, origin=origin) as ws:  # type: ignore[arg-type]
            await ws.send(m.encode(m.Hello()))
            return 101
    except websockets.InvalidStatus as refused:
        return int(refused.response.status_code)


def test_a_wrong_host_gets_invalid_host_from_a_real_server(live_server: str) -> None:
    port = live_server.rsplit(":", 1)[1]
    for path in ("/api/v1/config", "/", "/interview.html"):
        invalid_host(httpx.get(f"{live_server}{path}", headers={"host": f"{EVIL}:{port}"}, timeout=30))
    assert httpx.get(f"http://localhost:{port}/api/v1/config", timeout=30).status_code == 200


async def test_sockets_refuse_a_wrong_host_and_dns_rebinding(live_server: str) -> None:
    created = start_interview(live_server)
    port = live_server.rsplit(":", 1)[1]
    for url in socket_urls(live_server, created, EVIL):
        assert await handshake_status(url, live_server) == 403, url
        # DNS rebinding: the attacker's page, on a name pointed at this server, carries that name as Host and
        # Origin alike. Comparing the Origin with the Host let it in.
        assert await handshake_status(url, live_server, origin=f"http://{EVIL}:{port}") == 403, url
    for url in socket_urls(live_server, created, "127.0.0.1"):
        # The right Host, but a page of another site.
        assert await handshake_status(url, live_server, origin=f"http://{EVIL}:{port}") == 403, url


async def test_sockets_accept_the_servers_own_names(live_server: str) -> None:
    created = start_interview(live_server)
    port = live_server.rsplit(":", 1)[1]
    for host in ("127.0.0.1", "localhost"):
        for url in socket_urls(live_server, created, host):
            for origin in (None, f"http://{host}:{port}"):
                assert await handshake_status(url, live_server, origin=origin) == 101, (url, origin)
