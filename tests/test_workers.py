"""Several worker processes on one port: ``viva serve --workers 2`` with PostgreSQL and Redis, as a node of
the multinode set-up. Both workers serve; an observer on one worker follows a candidate on the other; the
admin token is made and announced once; ``/metrics`` reports the node, whichever worker answers the scrape.
Without Redis, several workers are refused at start.

The kernel chooses the worker of each connection, so the tests find a worker by opening connections until
one is answered by it (``/health/live`` names the process), then speak HTTP or a WebSocket over that same
connection.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from protocol import messages as m
from server import processes
from server.config import Settings
from server.processes import default_workers
from tests.conftest import ROOT, ServerProcess, recruiter_headers
from tests.live_client import DEFAULT_SETUP, LiveClient, answer_when_allowed, is_type, start_interview
from tests.observer_client import ObserverClient
from tests.postgres import POSTGRES_URL, connect, temporary_schema
from tests.redis_support import require_redis

#: Connections opened at most to find a given worker. The kernel's choice is not round robin: every worker
#: waits on the shared socket and the first to call accept wins, so a busy one (still making its speech
#: cache, on a loaded machine) may lose many races in a row.
ATTEMPTS = 500


class WorkerConnection:
    """One keep-alive HTTP/1.1 connection, so one worker process: ``pid`` says which."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self._buffer = b""
        self.pid = int(json.loads(self.get("/health/live")[1])["pid"])

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        return self._response()

    def request(self, method: str, path: str, payload: object = None) -> tuple[int, bytes]:
        """A call of the recruiter's API (the tests' admin token), with a JSON body if ``payload``."""
        body = b"" if payload is None else json.dumps(payload).encode()
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", f"Content-Length: {len(body)}"]
        lines += ["Content-Type: application/json", *(f"{k}: {v}" for k, v in recruiter_headers().items())]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        return self._response()

    def _response(self) -> tuple[int, bytes]:
        while b"\r\n\r\n" not in self._buffer:
            self._read()
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        length = int(re.search(rb"(?i)content-length: *(\d+)", head).group(1))  # type: ignore[union-attr]
        while len(self._buffer) < length:
            self._read()
        body, self._buffer = self._buffer[:length], self._buffer[length:]
        return int(head.split()[1]), body

    def _read(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self._buffer += chunk

    def close(self) -> None:
        self.sock.close()


def worker_pids(port: int, count: int = 2, timeout: float = 90) -> set[int]:
    """The workers serving, once ``count`` of them do: each loads its engines before it accepts (the server
    counts as started when the first does), and a replacement for a dead one starts the same way."""
    deadline = time.monotonic() + timeout
    pids: set[int] = set()
    while len(pids) < count and time.monotonic() < deadline:
        pids = set()
        for _ in range(20):
            probe = WorkerConnection(port)
            pids.add(probe.pid)
            probe.close()
        if len(pids) < count:
            time.sleep(0.5)
    return pids


def on_worker(port: int, *, pid: int | None = None, not_pid: int | None = None) -> WorkerConnection:
    """A connection served by the worker ``pid`` (or by any worker but ``not_pid``)."""
    for _ in range(ATTEMPTS):
        connection = WorkerConnection(port)
        if (pid is None or connection.pid == pid) and connection.pid != not_pid:
            return connection
        connection.close()
    raise AssertionError(f"no connection reached the wanted worker in {ATTEMPTS} attempts")


@pytest.fixture
async def schema() -> AsyncIterator[str]:
    await (await connect()).close()
    async with temporary_schema("viva_workers") as name:
        yield name


def postgres_and_redis(schema: str) -> dict[str, str]:
    return {"VIVA_DATABASE_URL": POSTGRES_URL, "VIVA_DATABASE_SCHEMA": schema, "VIVA_REDIS_URL": require_redis()}


@contextmanager
def two_workers(tmp_path: Path, env: dict[str, str]) -> Iterator[ServerProcess]:
    """``viva serve --workers 2``, once both workers serve (each loads its engines before it accepts; the
    server counts as started when the first does)."""
    server = ServerProcess(tmp_path / "node", env=env, args=["--workers", "2"])
    try:
        server.start(timeout=120)
        assert len(worker_pids(server.port)) == 2, "the second worker did not start"
        yield server
    finally:
        server.stop()


def metric(text: bytes, name: str) -> float:
    found = re.search(rf"^{re.escape(name)} (\S+)$", text.decode(), re.MULTILINE)
    assert found is not None, f"{name} is missing from /metrics"
    return float(found.group(1))


@pytest.mark.multinode
@pytest.mark.slow
async def test_two_workers_share_the_port_the_token_the_live_events_and_the_metrics(
    tmp_path: Path, schema: str
) -> None:
    with two_workers(tmp_path, {**postgres_and_redis(schema), "VIVA_ADMIN_TOKEN": ""}) as server:  # a first run
        assert server.process is not None
        pids = worker_pids(server.port)
        assert len(pids) == 2 and server.process.pid not in pids, "both workers serve, the parent does not"

        # Made once, by the parent, before the workers started; said once; accepted by both workers.
        token = (server.data_dir / "admin_token").read_text().strip()
        assert server.log().count("Viva is running: open") == 1
        assert f"?token={token}" in server.log()
        recruiter = {"Authorization": f"Bearer {token}"}

        def scrape(pid: int) -> tuple[int, bytes]:
            """``/metrics`` as the worker ``pid`` answers it (on a new connection: idle ones time out)."""
            connection = on_worker(server.port, pid=pid)
            try:
                return connection.get("/metrics", recruiter)
            finally:
                connection.close()

        assert [scrape(pid)[0] for pid in pids] == [200, 200]

        created = start_interview(server.url, admin_token=token, num_questions=1)
        iid = created["interview_id"]
        observer_connection = on_worker(server.port)
        candidate_connection = on_worker(server.port, not_pid=observer_connection.pid)
        observer = await ObserverClient.connect(
            server.url, iid, created["observer_token"], sock=observer_connection.sock
        )
        await observer.wait_for(lambda msg: isinstance(msg, m.ObserverReady), 10)
        candidate = await LiveClient.connect(
            server.url, iid, created["candidate_token"], sock=candidate_connection.sock
        )
        await candidate.handshake()
        await candidate.send(m.Start())
        await observer.wait_for(is_type(m.UtteranceText, sentence=0), 60)  # spoken on the other worker

        # One live session on the node, whichever worker is asked.
        assert [metric(scrape(pid)[1], "viva_live_sessions") for pid in pids] == [1.0, 1.0]

        await candidate.wait_for(is_type(m.UtteranceEnd, utterance_id=1), 90)
        await answer_when_allowed(candidate, "I moved billing to Kubernetes with canary releases.", turn=0)
        await observer.wait_for(is_type(m.FinalTranscript, turn=0), 15)
        assert [f.text for f in observer.payloads(m.FinalTranscript)] == [
            f.text for f in candidate.messages(m.FinalTranscript)
        ]
        turns = 'viva_turns_total{answered_by="text"}'
        assert [metric(scrape(pid)[1], turns) for pid in pids] == [1.0, 1.0]
        await candidate.close()
        await observer.close()


@pytest.mark.multinode
@pytest.mark.slow
async def test_a_reconnect_on_another_worker_takes_the_interview_over(tmp_path: Path, schema: str) -> None:
    """As between nodes: the new socket resumes the interview; the old one, on the other worker, loses it at
    its next write (its answer is refused, 4009), so one answer per turn is kept."""
    with two_workers(tmp_path, postgres_and_redis(schema)) as server:
        created = start_interview(server.url, num_questions=2)
        iid, link = created["interview_id"], created["candidate_token"]
        first_connection = on_worker(server.port)
        first = await LiveClient.connect(server.url, iid, link, sock=first_connection.sock)
        await first.handshake()
        await first.send(m.Start())
        await first.wait_for(is_type(m.UtteranceEnd, utterance_id=1), 90)

        second_connection = on_worker(server.port, not_pid=first_connection.pid)
        second = await LiveClient.connect(server.url, iid, link, sock=second_connection.sock)
        await second.handshake()
        await second.send(m.Start())
        await answer_when_allowed(second, "I led the migration of our billing service.", turn=0)

        await first.send(m.TextAnswer(text="An answer given on the old connection."))
        await asyncio.wait_for(first.closed.wait(), 30)
        assert first.close_code == m.CloseCode.SUPERSEDED
        assert not first.messages(m.FinalTranscript)
        await second.close()


@pytest.mark.multinode
@pytest.mark.slow
async def test_a_worker_that_dies_is_replaced_and_its_sessions_leave_the_metrics(tmp_path: Path) -> None:
    with two_workers(tmp_path, {"VIVA_REDIS_URL": require_redis()}) as server:
        created = start_interview(server.url, num_questions=1)
        connection = on_worker(server.port)
        doomed = connection.pid
        candidate = await LiveClient.connect(
            server.url, created["interview_id"], created["candidate_token"], sock=connection.sock
        )
        await candidate.handshake()
        survivor = on_worker(server.port, not_pid=doomed)
        assert metric(survivor.get("/metrics", recruiter_headers())[1], "viva_live_sessions") == 1.0
        survivor.close()

        os.kill(doomed, signal.SIGKILL)  # a crash: no shutdown, its gauge file is left behind
        await asyncio.wait_for(candidate.closed.wait(), 15)
        pids = worker_pids(server.port)  # the supervisor started a replacement
        assert len(pids) == 2 and doomed not in pids
        for pid in pids:
            scraped = on_worker(server.port, pid=pid)
            assert metric(scraped.get("/metrics", recruiter_headers())[1], "viva_live_sessions") == 0.0
            scraped.close()


@pytest.mark.multinode
@pytest.mark.slow
def test_two_workers_share_one_sqlite_file(tmp_path: Path) -> None:
    """Both migrate the same new file at start (one waits for the other), then each writes interviews to it
    that the other reads."""
    with two_workers(tmp_path, {"VIVA_REDIS_URL": require_redis()}) as server:
        first, second = (on_worker(server.port, pid=pid) for pid in sorted(worker_pids(server.port)))
        made: dict[int, list[str]] = {first.pid: [], second.pid: []}
        for _ in range(5):
            for connection in (first, second):
                status, body = connection.request("POST", "/api/v1/interview/start", DEFAULT_SETUP)
                assert status == 201, body
                made[connection.pid].append(json.loads(body)["interview_id"])
        for reader, writer in ((first, second), (second, first)):
            for iid in made[writer.pid]:
                status, body = reader.request("GET", f"/api/v1/interview/results/{iid}")
                assert status == 200 and json.loads(body)["interview_id"] == iid
        first.close()
        second.close()


def test_several_workers_without_redis_are_refused_at_start(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "VIVA_REDIS_URL"}
    refused = subprocess.run(
        [sys.executable, "-m", "server.cli", "serve", "--workers", "2"],
        cwd=ROOT,
        env={**env, "VIVA_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "VIVA_REDIS_URL" in refused.stderr
    assert not (tmp_path / "admin_token").exists(), "refused before anything was made"


def test_a_node_limit_is_split_over_the_workers() -> None:
    assert Settings(workers=2).per_worker(20) == 10
    assert Settings(workers=3).per_worker(20) == 6  # rounded down: the node never takes more than 20
    assert Settings(workers=4).per_worker(1) == 1  # at least one each
    assert Settings().per_worker(20) == 20  # one process is the whole node


def test_one_worker_per_core_only_with_redis() -> None:
    assert default_workers(Settings(redis_url=None)) == 1
    assert default_workers(Settings(redis_url="redis://127.0.0.1:6379")) == processes.cores()


@pytest.mark.parametrize(("cpu_max", "expected"), [("50000 100000\n", 1), ("100000 100000\n", 1), ("max 100000\n", 2)])
def test_a_container_cpu_quota_bounds_the_cores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cpu_max: str, expected: int
) -> None:
    (tmp_path / "cpu.max").write_text(cpu_max)
    monkeypatch.setattr(processes, "CGROUP_CPU_MAX", tmp_path / "cpu.max")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert processes.cores() == expected
