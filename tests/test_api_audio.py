"""``/audio/tts`` and ``/audio/stt`` with the real embedded engines (Piper, Whisper) and PyAV decoding."""

from __future__ import annotations

import io
import wave
from collections.abc import AsyncIterator

import av
import httpx
import numpy as np
import pytest

from protocol.audio import INPUT_SAMPLE_RATE
from server.audio.files import AudioFileError, decode_to_pcm16k, wav_bytes
from server.services.runtime import Services
from tests.api_support import app_client, with_settings
from tests.speech import heard, speak

pytestmark = pytest.mark.slow

SENTENCE = "I designed the payments service in Python and PostgreSQL."
#: Words of SENTENCE that Whisper hears in Piper's voice whatever the codec ("PostgreSQL" comes out as
#: "poster SQL" and "payments" as "payment", so they are not among them).
HEARD = ("designed", "service", "python")


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    async with app_client(services) as client:
        yield client


def encode(pcm16k: bytes, container: str, codec: str) -> bytes:
    """``pcm16k`` re-encoded with PyAV, as a browser or phone would send it."""
    out = io.BytesIO()
    with av.open(out, "w", format=container) as muxer:
        stream = muxer.add_stream(codec, rate=48_000 if codec == "libopus" else INPUT_SAMPLE_RATE)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(np.frombuffer(pcm16k, "<i2").reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = INPUT_SAMPLE_RATE
        resampler = av.AudioResampler(format=stream.format.name, layout="mono", rate=stream.rate)
        for resampled in resampler.resample(frame):
            for packet in stream.encode(resampled):
                muxer.mux(packet)
        for packet in stream.encode(None):
            muxer.mux(packet)
    return out.getvalue()


async def test_tts_returns_a_wav_of_the_text(client: httpx.AsyncClient, services: Services) -> None:
    response = await client.post("/api/v1/audio/tts", json={"text": SENTENCE})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, services.tts.sample_rate)
        seconds = wav.getnframes() / wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2")
    assert 1.5 < seconds < 10
    assert np.abs(samples).max() > 1000, "the audio is not silent"
    transcript = await client.post("/api/v1/audio/stt", files={"file": ("tts.wav", response.content, "audio/wav")})
    assert heard(transcript.json()["text"], *HEARD), transcript.json()


async def test_tts_refuses_bad_text(client: httpx.AsyncClient) -> None:
    for body in ({"text": ""}, {"text": "x" * 2001}, {"words": "hi"}):
        response = await client.post("/api/v1/audio/tts", json=body)
        assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    ("container", "codec"), [("wav", "pcm_s16le"), ("mp3", "libmp3lame"), ("ogg", "libopus"), ("webm", "libopus")]
)
async def test_stt_in_common_formats(client: httpx.AsyncClient, container: str, codec: str) -> None:
    pcm = speak(SENTENCE)
    data = encode(pcm, container, codec)
    response = await client.post("/api/v1/audio/stt", files={"file": (f"answer.{container}", data)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert heard(body["text"], *HEARD), body
    # The length of the decoded audio, give or take the codec's framing (its padding is trimmed on decoding).
    assert abs(body["duration_ms"] - len(pcm) * 1000 / (INPUT_SAMPLE_RATE * 2)) < 50, body


async def test_stt_takes_a_raw_body(client: httpx.AsyncClient) -> None:
    data = wav_bytes(speak(SENTENCE), INPUT_SAMPLE_RATE)
    response = await client.post("/api/v1/audio/stt", content=data, headers={"content-type": "audio/wav"})
    assert response.status_code == 200, response.text
    assert heard(response.json()["text"], *HEARD), response.json()


async def test_stt_silence_is_an_empty_transcript(client: httpx.AsyncClient) -> None:
    silence = wav_bytes(bytes(INPUT_SAMPLE_RATE * 2), INPUT_SAMPLE_RATE)
    response = await client.post("/api/v1/audio/stt", files={"file": ("quiet.wav", silence)})
    assert response.json() == {"text": "", "duration_ms": 1000}


async def test_stt_refusals(services: Services) -> None:
    async with app_client(with_settings(services, max_turn_ms=1000, max_upload_bytes=64 * 1024)) as client:
        not_audio = await client.post("/api/v1/audio/stt", files={"file": ("a.wav", b"just some text" * 20)})
        assert (not_audio.status_code, not_audio.json()["error"]["code"]) == (415, "unsupported_audio")
        long = wav_bytes(bytes(INPUT_SAMPLE_RATE * 2 * 2), INPUT_SAMPLE_RATE)
        too_long = await client.post("/api/v1/audio/stt", files={"file": ("long.wav", long)})
        assert (too_long.status_code, too_long.json()["error"]["code"]) == (413, "audio_too_long")
        huge = await client.post("/api/v1/audio/stt", content=bytes(70 * 1024), headers={"content-type": "audio/wav"})
        assert (huge.status_code, huge.json()["error"]["code"]) == (413, "payload_too_large")
        empty = await client.post("/api/v1/audio/stt", files={"file": ("a.wav", b"")})
        assert (empty.status_code, empty.json()["error"]["code"]) == (422, "empty_file")


def test_decode_resamples_to_16k_mono() -> None:
    stereo_44k = np.stack([np.full(44_100, 1000, "<i2"), np.full(44_100, 3000, "<i2")], axis=1).tobytes()
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(44_100)
        wav.writeframes(stereo_44k)
    pcm = np.frombuffer(decode_to_pcm16k(out.getvalue(), 5000), "<i2")
    assert abs(len(pcm) - INPUT_SAMPLE_RATE) < 100
    assert abs(int(np.median(pcm)) - 2000) < 50, "the channels are mixed to mono"
    with pytest.raises(AudioFileError):
        decode_to_pcm16k(b"RIFF" + bytes(40), 5000)
