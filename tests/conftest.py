"""Shared fixtures: the speech engines load once per test session; a real server runs as a subprocess."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from server.config import Settings
from server.services.runtime import Services

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
#: The recruiter's admin token of the servers the tests start (``ServerProcess``), unless a test sets its own.
ADMIN_TOKEN = "viva-tests-admin-token-5f0c2b9e"


def recruiter_headers(token: str = ADMIN_TOKEN) -> dict[str, str]:
    """Headers of an API client acting as the recruiter: the admin token as a Bearer token."""
    return {"Authorization": f"Bearer {token}"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def engines() -> tuple:
    """Whisper, Piper and Silero, loaded once for the whole run."""
    from server.engines import create_engines

    return create_engines(Settings())


@pytest.fixture
async def services(engines: tuple, tmp_path: Path) -> AsyncIterator[Services]:
    """Real engines (shared) with a fresh SQLite store in a temporary data directory (and its generated admin
    token: ``services.auth.admin_token``)."""
    from server.conversation.factory import create_interviewer_factory
    from server.services.auth import recruiter_auth
    from server.store import create_store

    settings = Settings(data_dir=tmp_path / "data", admin_token=ADMIN_TOKEN)
    store = create_store(settings)
    await store.open()
    stt, tts, vad = engines
    yield Services(
        settings=settings,
        store=store,
        stt=stt,
        tts=tts,
        vad=vad,
        interviewers=create_interviewer_factory(settings),
        auth=recruiter_auth(settings),
    )
    await store.close()


class ServerProcess:
    """A real ``viva serve`` in a subprocess, on a free port, with its own data directory.

    Its admin token is :data:`ADMIN_TOKEN` unless ``env`` sets ``VIVA_ADMIN_TOKEN`` (empty: the server
    generates one in its data directory, as on a first run).
    """

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, args: Sequence[str] = ()) -> None:
        self.args = list(args)  # more options of ``viva serve`` (``--workers 2``)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.log_path = data_dir / "server.log"
        # Tests create many interviews from one address: a generous start limit unless a test sets its own.
        limits = {"VIVA_INTERVIEW_STARTS_PER_MINUTE": "100000"}
        self.env = {
            **os.environ,
            **limits,
            "VIVA_DATA_DIR": str(data_dir),
            "VIVA_ADMIN_TOKEN": ADMIN_TOKEN,
            **(env or {}),
        }
        self.process: subprocess.Popen[bytes] | None = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, timeout: float = 60) -> ServerProcess:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--host", "127.0.0.1", "--port", str(self.port), *self.args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log_path.read_text()[-4000:]}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError(f"server did not start in {timeout} s:\n{self.log_path.read_text()[-4000:]}")

    def stop(self, kill: bool = False) -> None:
        if self.process and self.process.poll() is None:
            if kill:
                self.process.kill()
            else:
                self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real server with the embedded engines, shared by the tests that talk to one."""
    server = ServerProcess(tmp_path_factory.mktemp("live-server"))
    server.start()
    yield server.url
    server.stop()


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[ServerProcess]:
    """A private server a test may kill and restart (durability tests)."""
    server = ServerProcess(tmp_path / "server")
    yield server
    server.stop()
