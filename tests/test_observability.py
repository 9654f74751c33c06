"""Operators' view: Prometheus metrics, and JSON logs with the interview id and without secrets or transcripts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest

from protocol import messages as m
from tests.conftest import ServerProcess, recruiter_headers
from tests.live_client import LiveClient, is_type, start_interview

pytestmark = pytest.mark.slow

SECRET_ANSWER = "My confidential answer mentions the Zanzibar ledger migration in detail."


async def metrics_when(base_url: str, line: str, timeout: float = 10) -> str:
    """The metrics once ``line`` appears in them (a closing session updates them a moment after the close)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        metrics = httpx.get(f"{base_url}/metrics", headers=recruiter_headers(), timeout=10).text
        if line in metrics or asyncio.get_running_loop().time() > deadline:
            return metrics
        await asyncio.sleep(0.1)


async def test_metrics_and_logs_of_a_session(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path / "server").start()
    try:
        created = start_interview(server.url)
        client = await LiveClient.connect(server.url, created["interview_id"], created["candidate_token"])
        await client.handshake()
        await client.send(m.Start())
        await client.wait_for(is_type(m.StateChanged, state=m.SessionState.LISTENING), 60)
        live = httpx.get(f"{server.url}/metrics", headers=recruiter_headers(), timeout=10).text
        assert "viva_live_sessions 1.0" in live
        await client.send(m.TextAnswer(text=SECRET_ANSWER))
        await client.wait_for(is_type(m.UtteranceEnd, utterance_id=2), 60)  # 0 greeting, 1 question 1, 2 the reply
        await client.send(m.End())
        await client.wait_for(is_type(m.Ended), 30)
        await client.close()

        metrics = await metrics_when(server.url, "viva_live_sessions 0.0")  # the session finishes closing
        assert "viva_live_sessions 0.0" in metrics
        assert 'viva_turns_total{answered_by="text"} 1.0' in metrics
        assert "viva_response_gap_ms_count 1.0" in metrics
        assert 'viva_turn_stage_ms_count{stage="first_audio"} 1.0' in metrics
        assert "viva_engine_errors" in metrics
    finally:
        server.stop()

    lines = [json.loads(line) for line in server.log_path.read_text().splitlines() if line.startswith("{")]
    assert lines, "the server logs JSON lines"
    session_lines = [line for line in lines if line.get("interview_id") == created["interview_id"]]
    assert any(line["message"] == "session opened" for line in session_lines)
    assert any(line["message"] == "turn answered" for line in session_lines)
    text = server.log_path.read_text()
    for secret in (created["candidate_token"], created["observer_token"], "Zanzibar"):
        assert secret not in text, f"{secret!r} leaked into the logs"
