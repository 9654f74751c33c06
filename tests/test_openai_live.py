"""The whole live interview on OpenAI-compatible engines (interviewer, scoring, transcription, speech).

A real `viva serve` talks through the real `openai` SDK to a local OpenAI-compatible server; the candidate
speaks over the live socket. What each interview used (tokens, audio seconds) ends up in its report's cost.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from protocol import messages as m
from tests.conftest import ServerProcess
from tests.fake_openai import TRANSCRIPTIONS, FakeOpenAI, Recorded, Scripted
from tests.live_client import LiveClient, is_type, start_interview
from tests.speech import compose

pytestmark = pytest.mark.slow

HEARD = "I built a payment service in Python on Kubernetes for a large bank, and I led a team of four engineers."


async def test_a_spoken_interview_on_openai_engines_accounts_for_its_cost(tmp_path: Path) -> None:
    fake = FakeOpenAI().start()
    fake.handle(TRANSCRIPTIONS, lambda request: Scripted(text=HEARD))
    env = {
        "VIVA_OPENAI_BASE_URL": fake.base_url,
        "VIVA_OPENAI_API_KEY": "sk-test",
        "VIVA_INTERVIEWER_ENGINE": "openai",
        "VIVA_EVALUATOR_ENGINE": "openai",
        "VIVA_STT_ENGINE": "openai",
        "VIVA_TTS_ENGINE": "openai",
        "VIVA_OPENAI_RETRY_DELAY_S": "0",
    }
    server = ServerProcess(tmp_path / "server", env=env).start()
    try:
        config = httpx.get(f"{server.url}/api/v1/config", timeout=10).json()
        assert config["engines"] == {
            "interviewer": "openai",
            "stt": "openai",
            "tts": "openai",
            "vad": "silero",
            "turn_model": "none",
        }
        assert "sk-test" not in str(config)

        created = start_interview(server.url)
        client = await LiveClient.connect(server.url, created["interview_id"], created["candidate_token"])
        ready = await client.handshake()
        assert ready.output_sample_rate == 24_000
        await client.send(m.Start())
        await client.stream_silence_until(is_type(m.StateChanged, state=m.SessionState.LISTENING), 60)
        await client.stream(compose(0.5, "I built a payment service in Python on Kubernetes for a large bank.", 1.5))
        final: m.FinalTranscript = await client.stream_silence_until(is_type(m.FinalTranscript), 30)
        assert final.text == HEARD
        await client.stream_silence_until(lambda msg: isinstance(msg, m.UtteranceEnd) and msg.utterance_id > 0, 60)
        await client.send(m.End())
        await client.wait_for(is_type(m.Ended), 30)
        await asyncio.wait_for(client.closed.wait(), 30)

        transcriptions = fake.calls(TRANSCRIPTIONS)
        assert transcriptions and all(r.body["file_bytes"] > 0 for r in transcriptions)
        assert all(isinstance(r, Recorded) for r in fake.requests)

        results = httpx.get(
            f"{server.url}/api/v1/interview/results/{created['interview_id']}",
            headers={"Authorization": f"Bearer {created['observer_token']}"},
            timeout=30,
        ).json()
        usage = results["report"]["usage"]
        assert usage["model_requests"] > 0 and usage["prompt_tokens"] > 0
        assert usage["transcribed_seconds"] > 0 and usage["synthesized_characters"] > 0
        assert results["report"]["estimated_cost_usd"] > 0
    finally:
        server.stop()
        fake.stop()
