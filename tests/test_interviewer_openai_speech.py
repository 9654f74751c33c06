"""OpenAI speech engines (transcription, streamed PCM speech) through the real SDK and a local server."""

from __future__ import annotations

import struct
from collections.abc import AsyncIterator, Iterator

import pytest

from server.audio.pcm import resample_pcm16
from server.config import Settings
from server.engines.base import EngineError, SpeechToText, TextToSpeech, Transcript
from server.engines.openai_speech import OPENAI_PCM_RATE, OpenAISpeechToText, OpenAITextToSpeech
from server.llm.usage import UsageMeter, metering
from tests.fake_openai import SPEECH, TRANSCRIPTIONS, FakeOpenAI, Scripted, tone

ONE_SECOND_16K = struct.pack("<16000h", *([1000, -1000] * 8000))


class RecordingStt:
    """An embedded-engine stand-in that says which calls reached it."""

    name = "embedded"

    def __init__(self) -> None:
        self.calls: list[bool] = []

    async def transcribe(self, pcm16k: bytes, *, partial: bool = False, urgent: bool = False) -> Transcript:
        self.calls.append(partial)
        return Transcript("from the embedded engine")


class ToneTts:
    name = "embedded"
    sample_rate = 16_000

    async def synthesize(self, text: str, *, background: bool = False) -> AsyncIterator[bytes]:
        for _ in range(2):
            yield ONE_SECOND_16K[:16_000]  # half a second per chunk


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeOpenAI]:
    yield from FakeOpenAI.running()


@pytest.fixture
def settings(fake: FakeOpenAI) -> Settings:
    fake.reset()
    return Settings(
        openai_base_url=fake.base_url,
        openai_api_key="sk-test",
        openai_timeout_s=1.0,
        openai_retry_delay_s=0,
        openai_stt_model="whisper-1",
        openai_tts_model="tts-1",
        openai_tts_voice="alloy",
    )


def test_engines_implement_the_speech_interfaces(settings: Settings) -> None:
    assert isinstance(OpenAISpeechToText(settings), SpeechToText)
    assert isinstance(OpenAITextToSpeech(settings), TextToSpeech)


async def test_transcription_sends_a_wav_and_meters_the_seconds(settings: Settings, fake: FakeOpenAI) -> None:
    fake.push(TRANSCRIPTIONS, Scripted(text="  I led the migration.  "))
    meter = UsageMeter()
    with metering(meter):
        heard = await OpenAISpeechToText(settings).transcribe(ONE_SECOND_16K)
    assert heard == Transcript("I led the migration.")
    (request,) = fake.calls(TRANSCRIPTIONS)
    assert request.body["model"] == "whisper-1"
    assert request.body["file_bytes"] == len(ONE_SECOND_16K) + 44  # PCM plus the WAV header
    assert meter.usage.transcribed_seconds == 1.0


async def test_live_captions_use_the_embedded_engine(settings: Settings, fake: FakeOpenAI) -> None:
    embedded = RecordingStt()
    engine = OpenAISpeechToText(settings, fallback=embedded)
    assert (await engine.transcribe(ONE_SECOND_16K, partial=True)).text == "from the embedded engine"
    assert embedded.calls == [True] and fake.calls(TRANSCRIPTIONS) == []


async def test_transcription_failing_twice_falls_back(settings: Settings, fake: FakeOpenAI) -> None:
    fake.push(TRANSCRIPTIONS, Scripted(status=500), Scripted(status=429))
    embedded = RecordingStt()
    meter = UsageMeter()
    with metering(meter):
        heard = await OpenAISpeechToText(settings, fallback=embedded).transcribe(ONE_SECOND_16K)
    assert heard.text == "from the embedded engine" and embedded.calls == [False]
    assert len(fake.calls(TRANSCRIPTIONS)) == 2 and meter.usage.fallbacks == 1


async def test_transcription_without_fallback_raises_an_engine_error(settings: Settings, fake: FakeOpenAI) -> None:
    fake.push(TRANSCRIPTIONS, Scripted(delay_s=1.5), Scripted(status=500))
    with pytest.raises(EngineError, match="timeout; HTTP 500"):
        await OpenAISpeechToText(settings).transcribe(ONE_SECOND_16K)


async def test_speech_streams_pcm_at_24_khz(settings: Settings, fake: FakeOpenAI) -> None:
    audio = tone(0.5)
    fake.push(SPEECH, Scripted(audio=audio + b"\x01"))  # an odd trailing byte is not a sample
    engine = OpenAITextToSpeech(settings)
    meter = UsageMeter()
    with metering(meter):
        chunks = [chunk async for chunk in engine.synthesize("Hello Jane.")]
    assert engine.sample_rate == OPENAI_PCM_RATE
    assert len(chunks) > 1 and all(len(c) % 2 == 0 for c in chunks)
    assert b"".join(chunks) == audio
    (request,) = fake.calls(SPEECH)
    assert request.body == {"model": "tts-1", "voice": "alloy", "input": "Hello Jane.", "response_format": "pcm"}
    assert meter.usage.synthesized_characters == len("Hello Jane.")
    assert meter.usage.synthesized_seconds == pytest.approx(0.5)


async def test_speech_failing_twice_falls_back_resampled(settings: Settings, fake: FakeOpenAI) -> None:
    fake.push(SPEECH, Scripted(status=429), Scripted(status=500))
    engine = OpenAITextToSpeech(settings, fallback=ToneTts())
    audio = b"".join([chunk async for chunk in engine.synthesize("Hello.")])
    assert len(audio) == 2 * OPENAI_PCM_RATE  # one second of 16 kHz audio, now at 24 kHz
    assert len(fake.calls(SPEECH)) == 2


async def test_speech_without_fallback_raises_an_engine_error(settings: Settings, fake: FakeOpenAI) -> None:
    fake.push(SPEECH, Scripted(status=500), Scripted(status=500))
    with pytest.raises(EngineError, match="HTTP 500; HTTP 500"):
        _ = [chunk async for chunk in OpenAITextToSpeech(settings).synthesize("Hello.")]


def test_resampling_keeps_the_waveform() -> None:
    source = tone(0.1)  # 24 kHz
    down = resample_pcm16(source, 24_000, 16_000)
    assert len(down) == 2 * 1600
    up = resample_pcm16(down, 16_000, 24_000)
    original = struct.unpack(f"<{len(source) // 2}h", source)
    restored = struct.unpack(f"<{len(up) // 2}h", up)
    assert len(restored) == len(original)
    assert max(abs(a - b) for a, b in zip(original, restored, strict=True)) < 1500
