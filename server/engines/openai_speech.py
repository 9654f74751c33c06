"""Speech through OpenAI (or a compatible server): transcription and streamed PCM speech.

Same failure rule as the other ``openai`` engines: two failures and the embedded engine given as
``fallback`` does the job (speech is resampled to this engine's rate so the session's output format does
not change mid-interview). Without a fallback, the failure surfaces as :class:`EngineError`. Usage
(seconds transcribed, characters and seconds synthesized) goes to the current interview's meter.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import openai

from protocol.audio import INPUT_SAMPLE_RATE
from server.audio.files import wav_bytes
from server.audio.pcm import resample_pcm16
from server.config import Settings
from server.engines.base import EngineError, SpeechToText, TextToSpeech, Transcript
from server.llm.client import (
    ATTEMPTS,
    MODEL_FAILURES,
    ModelFailed,
    call_with_retry,
    describe_failure,
    make_client,
)
from server.llm.usage import record

#: OpenAI's ``pcm`` speech format: 24 kHz, 16-bit, mono, little-endian.
OPENAI_PCM_RATE = 24_000
_CHUNK_BYTES = 4_800  # 100 ms at 24 kHz


class OpenAISpeechToText:
    name = "openai"

    def __init__(
        self, settings: Settings, fallback: SpeechToText | None = None, client: openai.AsyncOpenAI | None = None
    ) -> None:
        self.settings = settings
        self.fallback = fallback
        self.client = client or make_client(settings)

    async def transcribe(self, pcm16k: bytes, *, partial: bool = False, urgent: bool = False) -> Transcript:
        """Transcribe an utterance. Live-caption passes (``partial``) go to the embedded engine when there is
        one: paying for a remote pass every second would multiply the cost for a caption."""
        if partial and self.fallback is not None:
            return await self.fallback.transcribe(pcm16k, partial=True, urgent=urgent)
        wav = wav_bytes(pcm16k, INPUT_SAMPLE_RATE)
        try:
            text = await call_with_retry(lambda: self._request(wav), self.settings.openai_retry_delay_s)
        except ModelFailed as failure:
            if self.fallback is None:
                raise EngineError(f"openai transcription failed twice: {failure}") from None
            record(fallbacks=1)
            return await self.fallback.transcribe(pcm16k, partial=partial, urgent=urgent)
        record(transcribed_seconds=len(pcm16k) / (2 * INPUT_SAMPLE_RATE))
        return Transcript(text.strip())

    async def _request(self, wav: bytes) -> str:
        result = await self.client.audio.transcriptions.create(
            model=self.settings.openai_stt_model, file=("answer.wav", wav, "audio/wav"), response_format="json"
        )
        return result.text


class OpenAITextToSpeech:
    name = "openai"
    sample_rate = OPENAI_PCM_RATE

    def __init__(
        self, settings: Settings, fallback: TextToSpeech | None = None, client: openai.AsyncOpenAI | None = None
    ) -> None:
        self.settings = settings
        self.fallback = fallback
        self.client = client or make_client(settings)

    async def synthesize(self, text: str, *, background: bool = False) -> AsyncIterator[bytes]:
        """Stream the remote speech (a remote service has no queue of ours to order: ``background`` only reaches
        the fallback)."""
        reasons: list[str] = []
        for _attempt in range(ATTEMPTS):
            produced = 0
            try:
                async for chunk in self._stream(text):
                    produced += len(chunk)
                    yield chunk
                record(synthesized_characters=len(text), synthesized_seconds=produced / (2 * OPENAI_PCM_RATE))
                return
            except MODEL_FAILURES as exc:
                if produced:
                    raise EngineError(f"openai speech failed mid-utterance: {describe_failure(exc)}") from None
                reasons.append(describe_failure(exc))
        if self.fallback is None:
            raise EngineError(f"openai speech failed twice: {'; '.join(reasons)}")
        record(fallbacks=1)
        async for chunk in self.fallback.synthesize(text, background=background):
            yield resample_pcm16(chunk, self.fallback.sample_rate, OPENAI_PCM_RATE)

    async def _stream(self, text: str) -> AsyncIterator[bytes]:
        """PCM chunks as they arrive, each a whole number of samples."""
        async with self.client.audio.speech.with_streaming_response.create(
            model=self.settings.openai_tts_model,
            voice=self.settings.openai_tts_voice,
            input=text,
            response_format="pcm",
        ) as response:
            carry = b""
            async for data in response.iter_bytes(_CHUNK_BYTES):
                data = carry + data
                cut = len(data) - len(data) % 2
                carry = data[cut:]
                if cut:
                    yield data[:cut]
